"""On a phone (375 x 812), pages fit the screen and the menu is easy to tap."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils.translation import gettext
from playwright.sync_api import expect

from news.models import Article
from tests.browser.conftest import PHONE
from tests.factories import ArticleFactory, ArticlePhotoFactory, OfficeFactory
from tests.news.pages import url_of

pytestmark = pytest.mark.browser

MIN_TARGET_PX = 44

# Elements wider than the screen, and header controls smaller than a fingertip, as the page lays them out.
LAYOUT_PROBLEMS = """(minTarget) => {
  const width = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const overflowing = [...document.body.querySelectorAll("*")]
    .filter((el) => el.getClientRects().length && el.getBoundingClientRect().right > width + 0.5)
    .filter((el) => !el.closest(".data-table, .article-body table"))  // these scroll inside themselves
    .map((el) => `${name(el)} reaches ${Math.round(el.getBoundingClientRect().right)}px`);
  const small = [...document.querySelectorAll("body > header :is(a, button, input)")]
    .map((el) => [el, el.getBoundingClientRect()])
    .filter(([el, box]) => box.width < minTarget || box.height < minTarget)
    .map(([el, box]) => `${name(el)} "${el.textContent.trim()}" is ${box.width | 0}x${box.height | 0}px`);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    width,
    overflowing,
    small,
  };
}"""


def check_fits_and_menu_is_tappable(page):
    page.wait_for_load_state()
    layout = page.evaluate(LAYOUT_PROBLEMS, MIN_TARGET_PX)
    assert layout["scrollWidth"] <= layout["width"], f"{page.url} scrolls sideways: {layout['overflowing']}"
    assert not layout["small"], f"{page.url} has targets under {MIN_TARGET_PX}px: {layout['small']}"
    menu = page.locator("body > header nav a")
    assert menu.count() >= 7, "the main menu and the language links"
    for link in menu.all():
        expect(link).to_be_in_viewport()
        link.tap(trial=True)  # visible, stable, enabled and not covered by anything


def check_in_every_language(page):
    """The page in English and Traditional Chinese (longer words, other fonts), then back in Simplified."""
    for language in ("en", "zh-hant", "zh-hans"):
        page.locator(f'nav.languages a[hreflang="{language}"]').tap()
        expect(page.locator("html")).to_have_attribute("lang", language)
        check_fits_and_menu_is_tappable(page)


def test_pages_fit_a_phone_and_the_menu_works_by_touch(phone, live_server, demo, screenshot):
    page = phone
    article = Article.objects.get()
    office = article.offices.get()

    page.goto("/")
    check_in_every_language(page)

    page.get_by_role("navigation", name=gettext("Main")).get_by_role("link", name=gettext("News")).tap()
    expect(page).to_have_url(f"{live_server.url}/news/")
    check_in_every_language(page)

    page.get_by_role("link", name=article.title).first.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    check_in_every_language(page)

    page.locator(".article-about").get_by_role("link", name=str(office), exact=True).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(office.name)
    check_in_every_language(page)

    page.get_by_role("navigation", name=gettext("Main")).get_by_role("link", name=gettext("Members")).tap()
    expect(page).to_have_url(f"{live_server.url}/members/")
    check_in_every_language(page)
    screenshot(page)


def test_the_article_reads_well_on_a_phone_and_passes_an_accessibility_check(phone):
    office = OfficeFactory(slug="wuzhong")
    article = ArticleFactory(title_zh_hans="吴中区办事处成立大会顺利举行，苏州市工业互联网区域考评指标体系同步发布")
    article.offices.add(office)
    ArticlePhotoFactory(article=article, caption_zh_hans="大会现场")
    ArticleFactory.create_batch(3)
    page = phone

    for url in (url_of(article), url_of(article, "en"), "/news/", "/news/?q=吴中"):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{url} scrolls sideways on a {PHONE['width']} px phone ({width} px)"
        results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa"]})
        assert results.violations_count == 0, f"{url}\n{results.generate_report()}"
