"""An editor and a reader in a real browser (Chromium through Playwright), against a live server."""

import importlib
import shutil

import pytest
from django.apps import apps
from playwright.sync_api import expect, sync_playwright

from news.models import Article
from tests.conftest import in_ci
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    CategoryFactory,
    OfficeFactory,
    UserFactory,
    image_file,
    pdf_file,
)
from tests.news.pages import url_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "a-good-long-password"


@pytest.fixture(scope="module")
def browser():
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        if in_ci():
            pytest.fail("Chromium is required in CI")
        pytest.skip("no Chromium on this machine")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the tests are not async.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """A new browser page on the live server; requests to any other host are refused and recorded."""
    contexts = []

    def make(width=1280, height=900):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
        contexts.append(context)
        context.outside_requests = []

        def route(route):
            if route.request.url.startswith(live_server.url):
                route.continue_()
            else:
                context.outside_requests.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        return context.new_page()

    yield make
    for context in contexts:
        assert context.outside_requests == [], "pages must load nothing from outside the site"
        context.close()


@pytest.fixture
def editor():
    """A member of the Editors group. Tests against a live server empty the database after
    them, groups included, so the group is made as its migration makes it."""
    importlib.import_module("news.migrations.0003_editors_group").create_group(apps, None)
    return UserFactory(groups=["Editors"])


def sign_in(page, user):
    page.goto("/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_be_visible()


def test_an_editor_writes_an_article_and_places_a_photo(open_page, editor, tmp_path):
    category = CategoryFactory()
    OfficeFactory(name_zh_hans="吴中区办事处", short_name_zh_hans="吴中区办事处")
    photo_path, pdf_path = tmp_path / "venue.jpg", tmp_path / "index.pdf"
    photo_path.write_bytes(image_file("venue.jpg", size=(1200, 800)).read())
    pdf_path.write_bytes(pdf_file().read())
    page = open_page()
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


def test_an_editor_publishes_in_bulk_and_reverts_a_change(open_page, editor):
    drafts = ArticleFactory.create_batch(2, status=Article.Status.DRAFT, published_at=None)
    article = ArticleFactory(title_zh_hans="第一版标题")
    page = open_page()
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
    Article.objects.filter(pk=article.pk).update(view_count=99)

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


def test_the_article_reads_well_on_a_phone_and_passes_an_accessibility_check(open_page):
    from axe_playwright_python.sync_playwright import Axe

    office = OfficeFactory(slug="wuzhong")
    article = ArticleFactory(title_zh_hans="吴中区办事处成立大会顺利举行，苏州市工业互联网区域考评指标体系同步发布")
    article.offices.add(office)
    ArticlePhotoFactory(article=article, caption_zh_hans="大会现场")
    ArticleFactory.create_batch(3)
    page = open_page(width=375, height=800)

    for url in (url_of(article), url_of(article, "en"), "/news/", "/news/?q=吴中"):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{url} scrolls sideways on a 375 px phone ({width} px)"
        results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa"]})
        assert results.violations_count == 0, f"{url}\n{results.generate_report()}"
