"""A visitor reads the seed article from the home page onwards, in every language, and searches."""

from urllib.parse import urlsplit

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from news.models import Article

pytestmark = pytest.mark.browser

LANGUAGE_PREFIXES = {"en": "/en", "zh-hant": "/zh-hant", "zh-hans": ""}


def in_language(language, text):
    """`text()` evaluated in `language`: an interface string through gettext, content through its field."""
    with translation.override(language):
        return text()


def switch_languages_and_back(page, title):
    """Each language link shows the same page in that language; 简体中文 returns to where we were."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    path = urlsplit(page.url).path
    for language, prefix in LANGUAGE_PREFIXES.items():
        page.locator(f'nav.languages a[hreflang="{language}"]').click()
        expect(page).to_have_url(origin + prefix + path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", level=1)).to_have_text(in_language(language, title))


def test_visitor_follows_the_seed_article_to_its_office_and_members_in_every_language(
    page, live_server, demo, screenshot
):
    article = Article.objects.get()
    office = article.offices.get()
    president = office.council_seats.get(role="president").organisation
    category = article.category

    page.goto("/")
    switch_languages_and_back(page, lambda: gettext("Suzhou Industrial Internet Industry Alliance"))

    page.get_by_role("navigation", name=gettext("Main")).get_by_role("link", name=gettext("News")).click()
    expect(page).to_have_url(f"{live_server.url}/news/")
    switch_languages_and_back(page, lambda: gettext("News"))

    page.get_by_role("navigation", name=gettext("Categories")).get_by_role("link", name=category.name).click()
    switch_languages_and_back(page, lambda: category.name)

    page.get_by_role("link", name=article.title).first.click()
    switch_languages_and_back(page, lambda: article.title)
    expect(page.locator(".article-body")).to_contain_text("吴中区")

    about = page.locator(".article-about")
    about.get_by_role("link", name=str(office), exact=True).click()
    switch_languages_and_back(page, lambda: office.name)
    expect(page.locator(".council")).to_contain_text(president.name)

    page.locator(".council").get_by_role("link", name=president.name, exact=True).click()
    switch_languages_and_back(page, lambda: president.name)
    expect(page.locator("main")).to_contain_text(office.short_name)

    search = page.get_by_role("search").first
    search.get_by_role("searchbox").fill("吴中")
    search.get_by_role("searchbox").press("Enter")
    expect(page).to_have_url(f"{live_server.url}/search/?q=%E5%90%B4%E4%B8%AD")
    expect(page.get_by_role("heading", level=1)).to_have_text(gettext("Search"))
    results = page.locator("section", has=page.get_by_role("heading", name=gettext("News")))
    expect(results.get_by_role("link", name=article.title)).to_be_visible()
    screenshot(page)
