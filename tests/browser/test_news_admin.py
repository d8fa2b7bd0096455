"""An editor writes an article in the admin, places a photo through the picker, publishes drafts in
bulk and reverts a change from the history."""

import pytest
from playwright.sync_api import expect

from news.models import Article
from tests.browser.admin_steps import sign_in
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    OfficeFactory,
    UserFactory,
    give_views,
    image_file,
    pdf_file,
)
from tests.news.pages import url_of

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def review_off(settings):
    """Editors publishing directly, as with REVIEW_REQUIRED=0 (review: test_review_journey.py)."""
    settings.REVIEW_REQUIRED = False


def test_an_editor_writes_an_article_and_places_a_photo(page, staff_groups, tmp_path):
    category = CategoryFactory()
    OfficeFactory(name_zh_hans="吴中区办事处", short_name_zh_hans="吴中区办事处")
    photo_path, pdf_path = tmp_path / "venue.jpg", tmp_path / "index.pdf"
    photo_path.write_bytes(image_file("venue.jpg", size=(1200, 800)).read())
    pdf_path.write_bytes(pdf_file().read())
    editor = UserFactory(groups=["Editors"])
    sign_in(page, editor)

    page.goto("/admin/news/article/add/")
    page.fill("#id_title_zh_hans", "吴中区办事处成立大会顺利举行")
    page.locator('a.ui-tabs-anchor[href="#tab_id_title_en"]').click()
    expect(page.locator("#id_title_en")).to_be_visible()
    page.fill("#id_title_en", "Wuzhong District Office founded")
    page.locator('a.ui-tabs-anchor[href="#tab_id_title_zh_hans"]').click()
    page.select_option("#id_category", str(category.pk))
    body = page.locator("#tab_id_body_zh_hans .tiptap")
    body.click()
    page.keyboard.type("11月20日上午，大会在苏州智能制造研究院1号楼顺利举行。")

    page.locator("#attachments-group .add-row a").click()
    page.set_input_files("#id_attachments-0-file", str(pdf_path))
    page.fill("#id_attachments-0-title_zh_hans", "考评指标体系")

    page.locator("details:has(.field-offices) > summary").click()  # a section editors seldom open
    page.locator(".form-row.field-offices .select2-selection").click()
    page.locator(".form-row.field-offices .select2-search__field").fill("吴中")
    page.locator(".select2-results__option", has_text="吴中区办事处").click()
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    article = Article.objects.get()
    assert article.title_en == "Wuzhong District Office founded"
    assert article.body_zh_hans == "<p>11月20日上午，大会在苏州智能制造研究院1号楼顺利举行。</p>"
    assert [office.name_zh_hans for office in article.offices.all()] == ["吴中区办事处"]
    assert article.created_by == editor
    assert article.attachments.get().title_zh_hans == "考评指标体系"

    # Place a photo: the figure button, "Browse…", upload in the picker, choose it.
    body = page.locator("#tab_id_body_zh_hans .prose-editor")
    body.locator(".tiptap p").first.click()
    page.keyboard.press("End")
    body.locator(".prose-menubar button[data-name=figure]").click()
    dialog = page.locator("dialog[open]")
    with page.expect_popup() as popup_info:
        dialog.get_by_role("button", name="Browse...").click()
    picker = popup_info.value
    picker.set_input_files("input[type=file]", str(photo_path))
    picker.fill("input[name=alt_text_zh_hans]", "大会会场")
    picker.fill("input[name=caption_zh_hans]", "大会现场")
    picker.click("input[type=submit]")
    picker.locator(".photo-picker-choice", has_text="大会现场").click()
    expect(dialog.locator("input[name=altText]")).to_have_value("大会会场")
    dialog.get_by_role("button", name="Insert", exact=True).click()
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    article.refresh_from_db()
    photo = article.photos.get()
    assert f'data-file="{photo.pk}"' in article.body_zh_hans
    assert "<figcaption>大会现场</figcaption>" in article.body_zh_hans
    expect(page.locator(".field-preview img.news-thumbnail")).to_have_count(1)

    page.goto(url_of(article))
    picture = page.locator(".article-body figure picture img")
    expect(picture).to_have_attribute("alt", "大会会场")
    expect(page.locator(".article-body figcaption")).to_have_text("大会现场")


def test_an_editor_publishes_in_bulk_and_reverts_a_change(page, staff_groups):
    drafts = ArticleFactory.create_batch(2, status=Article.Status.DRAFT, published_at=None)
    article = ArticleFactory(title_zh_hans="第一版标题")
    editor = UserFactory(groups=["Editors"])
    sign_in(page, editor)

    page.goto("/admin/news/article/")
    for draft in drafts:
        page.check(f"input.action-select[value='{draft.pk}']")
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    expect(page.locator(".messagelist .success")).to_contain_text("2")
    assert Article.objects.published().filter(pk__in=[d.pk for d in drafts]).count() == 2

    page.goto(f"/admin/news/article/{article.pk}/change/")
    page.fill("#id_title_zh_hans", "第二版标题")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    give_views(article, 99)

    page.goto(f"/admin/news/article/{article.pk}/history/")
    rows = page.locator("#change-history tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(editor.username)
    rows.first.locator("a").first.click()
    expect(page.locator("#id_title_zh_hans")).to_have_value("第二版标题")
    page.goto(f"/admin/news/article/{article.pk}/change/")
    page.fill("#id_title_zh_hans", "第三版标题")
    page.click("input[name=_save]")
    page.goto(f"/admin/news/article/{article.pk}/history/")
    page.locator("#change-history tbody tr").first.locator("a").first.click()
    expect(page.locator("#id_title_zh_hans")).to_have_value("第二版标题")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    article.refresh_from_db()
    assert (article.title_zh_hans, article.view_count) == ("第二版标题", 99)
