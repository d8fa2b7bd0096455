"""The news-site design in Chromium: no layout shift, the Share control, printing, and screenshots to review."""

import pytest
from playwright.sync_api import expect

from news.models import Article
from tests.browser.conftest import DESKTOP, PHONE, close_context, new_context
from tests.design_content import add_design_content

pytestmark = pytest.mark.browser

LANGUAGE_PREFIXES = {"zh-hans": "", "en": "/en"}

# Every layout shift the page makes, as the Layout Instability API reports it (shifts right after
# input excluded, as in the Cumulative Layout Shift metric). Source: W3C Layout Instability API.
RECORD_LAYOUT_SHIFTS = """
window.__layoutShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) {
      window.__layoutShifts.push({
        value: entry.value,
        sources: entry.sources.map((s) => s.node ? (s.node.outerHTML || s.node.nodeName).slice(0, 120) : "?"),
      });
    }
  }
}).observe({ type: "layout-shift", buffered: true });
"""

# Scrolls to the end in screen-high steps, so that lazy images load as a reader would make them.
SCROLL_THROUGH = """async () => {
  const step = window.innerHeight * 0.8;
  for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
    window.scrollTo(0, y);
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
  window.scrollTo(0, document.documentElement.scrollHeight);
  const loaded = (img) => new Promise((resolve) => {
    if (img.complete) { resolve(); return; }
    img.addEventListener("load", resolve, { once: true });
    img.addEventListener("error", resolve, { once: true });
  });
  const timeout = new Promise((resolve) => setTimeout(resolve, 10000));
  const shown = [...document.images].filter((img) => !img.closest("details:not([open])"));
  await Promise.race([Promise.all(shown.map(loaded)), timeout]);
  await new Promise((resolve) => setTimeout(resolve, 200));
}"""


def design_pages():
    article = Article.objects.get(title_zh_hans__startswith="吴中区办事处成立大会")
    return {"home": "/", "news": "/news/", "article": article.get_absolute_url(), "directory": "/members/"}


def scroll_through(page):
    page.evaluate(SCROLL_THROUGH)


def images_not_loaded(page):
    """The images a reader would see that have not loaded (a closed Share control's QR code loads when opened)."""
    return page.evaluate(
        """() => [...document.images]
          .filter((img) => !img.closest("details:not([open])") && !img.naturalWidth)
          .map((img) => img.src)"""
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_home_list_and_article_do_not_shift_as_they_load(browser, live_server, demo, request, screenshot, viewport):
    add_design_content()
    context, watch = new_context(browser, live_server, viewport=viewport)
    context.add_init_script(RECORD_LAYOUT_SHIFTS)
    page = context.new_page()
    try:
        for name, path in design_pages().items():
            if name == "directory":
                continue
            for prefix in LANGUAGE_PREFIXES.values():
                page.goto(prefix + path)
                scroll_through(page)
                assert not images_not_loaded(page), f"{prefix}{path}: images that did not load"
                shifts = page.evaluate("() => window.__layoutShifts")
                assert shifts == [], f"{prefix}{path} shifted by {sum(s['value'] for s in shifts):.4f}: {shifts}"
    finally:
        close_context(context, watch, request, screenshot)


def test_on_a_desktop_share_shows_the_qr_code_of_the_page(page, demo):
    article = Article.objects.get(title_zh_hans__startswith="吴中区办事处成立大会")
    page.goto("/en" + article.get_absolute_url())
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    qr = page.locator("details.share img.share-qr")
    expect(qr).to_be_hidden()
    page.get_by_text("Share", exact=True).click()
    expect(qr).to_be_visible()
    page.wait_for_function("() => document.querySelector('img.share-qr').naturalWidth > 0")
    assert page.locator("details.share").get_attribute("data-share-url") == canonical


def test_on_a_phone_with_the_web_share_api_share_opens_the_share_sheet(phone, demo):
    phone.context.add_init_script(
        "window.__shared = []; navigator.share = (data) => { window.__shared.push(data); return Promise.resolve(); };"
    )
    article = Article.objects.get(title_zh_hans__startswith="吴中区办事处成立大会")
    phone.goto(article.get_absolute_url())
    phone.locator("details.share summary").tap()
    phone.wait_for_function("() => window.__shared.length === 1")
    shared = phone.evaluate("() => window.__shared[0]")
    assert shared == {"title": article.title_zh_hans, "url": phone.locator("link[rel=canonical]").get_attribute("href")}
    assert phone.locator("details.share").get_attribute("open") is None  # the sheet, not the QR code


def test_an_article_prints_without_navigation_with_its_address_and_photos_at_column_width(page, demo):
    article = Article.objects.get(title_zh_hans__startswith="吴中区办事处成立大会")
    page.goto(article.get_absolute_url())
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    expect(page.locator(".print-url")).to_be_hidden()

    page.emulate_media(media="print")

    for hidden in ("header.site-header", "nav.main-nav", "footer.site-footer", "details.share", "nav.article-pager"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator(".print-url")).to_be_visible()
    expect(page.locator(".print-url")).to_have_text(canonical)
    column = page.locator("article.article").bounding_box()["width"]
    for image in page.locator(".article-cover img, .article-body img").all():
        assert abs(image.bounding_box()["width"] - column) < 1, "a photo narrower or wider than the column"


@pytest.mark.parametrize("language", list(LANGUAGE_PREFIXES))
def test_screenshots_of_the_design(browser, live_server, demo, request, screenshot, language):
    """Full pages at 1280 and 375 px for a reviewer: home, news list, article with the QR code open, directory."""
    add_design_content()
    prefix = LANGUAGE_PREFIXES[language]
    for viewport in (DESKTOP, PHONE):
        options = {"viewport": viewport}
        if viewport == PHONE:
            options |= {"is_mobile": True, "has_touch": True, "device_scale_factor": 2}
        context, watch = new_context(browser, live_server, **options)
        page = context.new_page()
        try:
            for name, path in design_pages().items():
                page.goto(prefix + path)
                if name == "article":
                    page.locator("details.share").evaluate("(details) => { details.open = true; }")
                scroll_through(page)
                page.evaluate("() => window.scrollTo(0, 0)")
                assert not images_not_loaded(page)
                screenshot(page, f"{viewport['width']}-{name}")
        finally:
            close_context(context, watch, request, screenshot)
