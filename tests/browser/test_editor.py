"""An editor writes an article in the admin, previews it, schedules it and publishes it."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from news.models import Article
from tests.browser.admin_steps import (
    expect_saved,
    fill_translated,
    image_upload,
    save,
    sign_in,
    type_translated_body,
)
from tests.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.browser

TITLE = {"zh_hans": "苏州工业互联网标识解析节点上线", "en": "Suzhou industrial internet identifier node goes live"}
BODY = {
    "zh_hans": ["标识解析二级节点在吴中区正式上线。", "首批接入企业三十家。"],
    "en": ["The secondary identifier resolution node went live in Wuzhong.", "Thirty companies joined first."],
}
CAPTION = {"zh_hans": "节点上线仪式现场", "en": "At the launch of the node"}
COVER_SIZE = (1800, 1000)


def open_preview(page):
    """The preview link opens the article in a new tab, as staff see it."""
    with page.context.expect_page() as new_tab:
        page.locator(".field-preview_link a").click()
    preview = new_tab.value
    preview.wait_for_load_state()
    return preview


def expect_resized_image(image, upload_width):
    """The browser shows a rendition made for the web, not the file the editor uploaded."""
    expect(image).to_be_visible()
    image.scroll_into_view_if_needed()
    expect(image).to_have_js_property("complete", True)
    shown = image.evaluate("img => ({src: img.currentSrc, width: img.naturalWidth})")
    assert f"{settings.MEDIA_URL}{settings.IMAGEKIT_CACHEFILE_DIR}/" in shown["src"], shown
    assert shown["src"].endswith((".webp", ".avif")), shown
    assert 0 < shown["width"] < upload_width, shown


def expect_hidden_from_visitors(visitor, article):
    visitor.goto("/news/")
    expect(visitor.get_by_role("link", name=TITLE["zh_hans"])).to_have_count(0)
    assert visitor.request.get(article.get_absolute_url()).status == 404
    assert visitor.goto("/news/").headers["x-page-cache"] == "hit"


def test_editor_writes_previews_schedules_and_publishes_an_article(
    page, visitor, staff_groups, page_cache, screenshot, settings
):
    settings.REVIEW_REQUIRED = False  # Editors publish directly (review: test_review_journey.py)
    CategoryFactory(slug="industry-news", name_zh_hans="行业动态", name_en="Industry News")
    editor = UserFactory(groups=["Editors"])
    sign_in(page, editor)

    page.locator("#content-main .model-article .addlink").click()
    fill_translated(page, "title", TITLE)
    page.locator("#id_category").select_option(label="行业动态")
    type_translated_body(page, "body", BODY)
    page.locator("#id_cover").set_input_files(image_upload("cover.jpg", COVER_SIZE))
    fill_translated(page, "cover_alt", {"zh_hans": "节点机房", "en": "The node's server room"})
    page.locator("#photos-group .add-row a").click()
    page.locator("#id_photos-0-image").set_input_files(image_upload("launch.jpg", (1200, 800), (200, 80, 40)))
    fill_translated(page, "caption", CAPTION, prefix="photos-0-")
    fill_translated(page, "alt_text", {"zh_hans": "嘉宾在台上", "en": "Guests on the stage"}, prefix="photos-0-")

    # A draft: saved, previewable by staff, not public.
    expect(page.locator("#id_status")).to_have_value(Article.Status.DRAFT)
    save(page)
    expect_saved(page)
    article = Article.objects.get()
    assert (article.title_en, article.status, article.photos.count()) == (TITLE["en"], "draft", 1)
    preview = open_preview(page)
    expect(preview.locator(".preview-banner")).to_be_visible()
    expect(preview.get_by_role("heading", level=1)).to_have_text(TITLE["zh_hans"])
    for paragraph in BODY["zh_hans"]:
        expect(preview.locator(".article-body")).to_contain_text(paragraph)
    expect(preview.locator("figcaption")).to_have_text(CAPTION["zh_hans"])
    preview.close()
    expect_hidden_from_visitors(visitor, article)

    # Scheduled for the day after tomorrow: the preview says when, the public list does not show it.
    scheduled_for = timezone.localtime() + datetime.timedelta(days=2)
    page.locator("#id_status").select_option(Article.Status.PUBLISHED)
    page.locator("#id_published_at_0").fill(scheduled_for.strftime("%Y-%m-%d"))
    page.locator("#id_published_at_1").fill("09:00")
    save(page)
    expect_saved(page)
    preview = open_preview(page)
    expect(preview.locator(".preview-banner")).to_contain_text(scheduled_for.strftime("%Y-%m-%d") + " 09:00")
    preview.close()
    expect_hidden_from_visitors(visitor, article)

    # Published now, with the admin's own shortcuts.
    page.locator("#id_published_at_0 + .datetimeshortcuts a").click()  # today
    page.locator("#id_published_at_1 + .datetimeshortcuts a").click()  # now
    save(page, "_save")
    expect_saved(page)

    # Visitors, though served cached pages until now, see it at once: listed in both languages with
    # a cover made for the web, and in full.
    for path, language in (("/news/", "zh_hans"), ("/en/news/", "en")):
        visitor.goto(path)
        card = visitor.locator(".card", has=visitor.get_by_role("link", name=TITLE[language]))
        expect_resized_image(card.locator("img"), COVER_SIZE[0])
    card.get_by_role("link", name=TITLE["en"]).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE["en"])
    for paragraph in BODY["en"]:
        expect(visitor.locator(".article-body")).to_contain_text(paragraph)
    expect(visitor.locator("figcaption")).to_have_text(CAPTION["en"])
    expect_resized_image(visitor.locator(".article-cover img"), COVER_SIZE[0])
    screenshot(visitor)
