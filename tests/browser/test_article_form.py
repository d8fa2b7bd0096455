"""The article form at 1280×800: the first screen holds title, category, cover and the submit
button; text typed is autosaved to the server and offered back after the tab was closed."""

import pytest
from playwright.sync_api import expect

from core.groups import EDITORS
from news import admin as news_admin
from news.models import Article, ArticleAutosave
from tests.browser.admin_steps import sign_in
from tests.factories import ArticleFactory, ArticlePhotoFactory, CategoryFactory, UserFactory

pytestmark = pytest.mark.browser
SCREEN = {"width": 1280, "height": 800}


def fully_on_first_screen(page, selector):
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not shown"
    assert box["y"] >= 0 and box["y"] + box["height"] <= SCREEN["height"], f"{selector} at {box}"
    assert box["x"] >= 0 and box["x"] + box["width"] <= SCREEN["width"], f"{selector} at {box}"
    return box


def test_the_first_screen_holds_what_editors_need(page, staff_groups, screenshot):
    CategoryFactory(name_zh_hans="行业动态")
    sign_in(page, UserFactory(groups=[EDITORS]))
    page.set_viewport_size(SCREEN)
    page.goto("/admin/news/article/add/")
    assert page.evaluate("window.scrollY") == 0
    for selector in (
        "#id_title_zh_hans",
        "#id_category",
        "#id_cover",
        'input[name="_submit_review"]',
        'input[name="_continue"]',
    ):
        fully_on_first_screen(page, selector)
    body = page.locator("#tab_id_body_zh_hans .tiptap").bounding_box()
    assert body["y"] < SCREEN["height"], "the body starts on the first screen"
    for rarely in ("#id_slug", "#id_source_zh_hans", "#id_author", ".field-offices"):
        expect(page.locator(rarely).first).to_be_hidden()

    # The controls stay on screen while the form is scrolled.
    page.evaluate("() => window.scrollTo(0, 3000)")
    assert page.evaluate("window.scrollY") > 500
    fully_on_first_screen(page, 'input[name="_submit_review"]')
    screenshot(page)


def test_text_typed_before_the_tab_was_closed_is_offered_back(browser, page, staff_groups, monkeypatch):
    monkeypatch.setattr(news_admin, "AUTOSAVE_SECONDS", 1)
    CategoryFactory(name_zh_hans="行业动态")
    editor = UserFactory(groups=[EDITORS])
    sign_in(page, editor)
    page.goto("/admin/news/article/add/")
    page.fill("#id_title_zh_hans", "自动保存的标题")
    page.locator("#tab_id_body_zh_hans .tiptap").click()
    page.keyboard.type("关闭标签页前输入的正文。")
    expect(page.locator("#autosave-status")).not_to_be_empty(timeout=10_000)
    autosaved = ArticleAutosave.objects.get(user=editor, article=None)
    assert autosaved.data["title_zh_hans"] == "自动保存的标题"

    reopened = page.context.new_page()
    page.close()
    reopened.goto("/admin/news/article/add/")
    offer = reopened.locator(".autosave-offer")
    expect(offer).to_be_visible()
    with reopened.expect_navigation():
        offer.get_by_role("link").click()
    expect(reopened.locator("#id_title_zh_hans")).to_have_value("自动保存的标题")
    expect(reopened.locator("#tab_id_body_zh_hans .tiptap")).to_contain_text("关闭标签页前输入的正文。")


def test_photos_are_put_in_order_by_dragging(page, staff_groups, settings):
    settings.REVIEW_REQUIRED = False
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    first = ArticlePhotoFactory(article=article, caption_zh_hans="第一张", order=1)
    second = ArticlePhotoFactory(article=article, caption_zh_hans="第二张", order=2)
    sign_in(page, UserFactory(groups=[EDITORS]))
    page.goto(f"/admin/news/article/{article.pk}/change/")
    rows = page.locator("#photos-group .inline-related:not(.empty-form)")
    expect(rows).to_have_count(2)
    # The second photo's title bar, dragged above the first photo, as a mouse does.
    page.set_viewport_size({"width": 1280, "height": 2400})  # both photos on screen at once
    page.locator("#photos-group").evaluate(
        "group => window.scrollTo(0, group.getBoundingClientRect().top + window.scrollY - 100)"
    )
    source = rows.nth(1).locator("h3 b")
    start = source.bounding_box()
    page.mouse.move(start["x"] + 5, start["y"] + 5)
    page.mouse.down()
    target = rows.nth(0).bounding_box()
    page.mouse.move(target["x"] + 20, target["y"] + 10, steps=12)
    page.mouse.up()
    expect(rows.nth(0).locator('input[name$="-caption_zh_hans"]')).to_have_value("第二张")
    expect(rows.nth(0).locator('input[name$="-order"]')).to_have_value("1")
    expect(rows.nth(1).locator('input[name$="-order"]')).to_have_value("2")
    with page.expect_navigation():
        page.locator('input[name="_continue"]').click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.order, first.order) == (1, 2)
