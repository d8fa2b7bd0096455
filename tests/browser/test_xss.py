"""Hostile text in every place the public pages show what editors and visitors typed runs nothing.

Each payload becomes an article (title, summary, body, source, author), a photo caption and
description, an organisation name and a search query. The browser renders each page with the
site's Content Security Policy switched off: the CSP would block an injected handler before it
ran, which would hide a missing escape from this test. What is left to stop a payload is the
escaping and sanitising of the pages themselves, and any dialog, request to another host,
console error or live markup found in the page fails the test.
"""

import json
from contextlib import ExitStack
from math import ceil
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from playwright.sync_api import expect

from members.views import DirectoryView
from news.models import Article, ArticlePhoto
from news.views import PublishedArticlesMixin
from tests.browser.conftest import close_context, new_context
from tests.factories import ArticleFactory, CategoryFactory, OrganisationFactory, image_file

pytestmark = pytest.mark.browser

# The hardening work's corpus, one payload a line.
PAYLOADS = Path(__file__).resolve().parents[1] / "security" / "xss_payloads.txt"
SEARCHES = [("/search/", "#search-q"), ("/news/", "#news-q"), ("/members/", "#directory-q")]
TABS = 3

# Markup that can act, found in the rendered page: handlers, scripts other than the article's
# JSON-LD and the site's own script files (elderly mode, the share button: empty elements loading
# a file under STATIC_URL on this origin), frames and embeds, redirects, forms posting elsewhere,
# and URLs with a script scheme.
LIVE_MARKUP = """() => {
  const found = [];
  const describe = (el) => el.outerHTML.slice(0, 120);
  const ownScript = (el) => {
    if (el.localName !== "script" || !el.hasAttribute("src") || el.textContent.trim()) return false;
    const source = new URL(el.getAttribute("src"), location.href);
    return source.origin === location.origin && source.pathname.startsWith(STATIC_URL);
  };
  for (const el of document.querySelectorAll("*")) {
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\s\\u0000-\\u001f]+/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(`handler ${name}: ${describe(el)}`);
      if (/(^|:)(href|src|srcset|action|formaction|data|poster|background)$/.test(name)
          && /^(javascript|vbscript|livescript|data:text|data:application|data:image\\/svg)/.test(value)) {
        found.push(`script URL in ${name}: ${describe(el)}`);
      }
    }
  }
  const active = "script:not([type='application/ld+json']), iframe, frame, object, embed, applet, base, "
    + "meta[http-equiv], body link, body style, svg script, svg foreignObject";
  for (const el of document.querySelectorAll(active)) {
    if (!ownScript(el)) found.push(`element: ${describe(el)}`);
  }
  for (const form of document.querySelectorAll("form")) {
    const target = new URL(form.getAttribute("action") || "", location.href);
    if (target.origin !== location.origin) found.push(`form posting elsewhere: ${describe(form)}`);
  }
  for (const el of document.querySelectorAll("script[type='application/ld+json']")) {
    if (el.parentElement !== document.head) found.push(`data block outside the head: ${describe(el)}`);
    try { JSON.parse(el.textContent); } catch (error) { found.push(`data block that is not JSON: ${describe(el)}`); }
  }
  return found;
}""".replace("STATIC_URL", json.dumps(settings.STATIC_URL))


def read_payloads():
    return [line for line in PAYLOADS.read_text(encoding="utf-8").splitlines() if line.strip()]


def publish(payloads):
    """One article, photo and organisation per payload; all photos share one small image file."""
    category = CategoryFactory()
    photo_file = default_storage.save("photos/shared.jpg", image_file("shared.jpg", size=(64, 48)))
    for payload in payloads:
        organisation = OrganisationFactory(name_zh_hans=payload, name_en=payload, short_name_zh_hans=payload[:100])
        article = ArticleFactory(
            category=category,
            title_zh_hans=payload,
            title_en=payload,
            summary_zh_hans=payload,
            body_zh_hans=payload,
            source_zh_hans=payload,
            author=payload[:100],
        )
        article.organisations.add(organisation)
        ArticlePhoto.objects.create(
            article=article,
            image=photo_file,
            caption_zh_hans=payload,
            alt_text_zh_hans=payload,
            credit=payload[:100],
        )


@pytest.fixture
def page_without_csp(browser, live_server, request, screenshot):
    context, watch = new_context(browser, live_server, bypass_csp=True)
    yield context.new_page()
    close_context(context, watch, request, screenshot)


def render(tabs, origin, visits):
    """Load each (path, check) of `visits` and run check(tab) on it once loaded, a few tabs side by
    side: the browser lays out one page while the server answers the next. Returns live markup found."""
    found = []
    for start in range(0, len(visits), len(tabs)):
        batch = list(zip(tabs, visits[start : start + len(tabs)], strict=False))  # the last batch may be short
        with ExitStack() as stack:
            navigations = [stack.enter_context(tab.expect_navigation(wait_until="load")) for tab, _ in batch]
            for tab, (path, _check) in batch:
                tab.evaluate("url => { setTimeout(() => location.assign(url)); }", origin + path)
        for navigation, (tab, (path, check)) in zip(navigations, batch, strict=True):
            assert navigation.value.status == 200, f"{path} answered {navigation.value.status}"
            found += [f"{path}: {markup}" for markup in tab.evaluate(LIVE_MARKUP)]
            check(tab)
    return found


def shows_article(article):
    def check(tab):
        expect(tab.get_by_role("heading", level=1)).to_have_text(article.title)
        expect(tab.locator(".article-photos figcaption")).to_contain_text(article.title)

    return check


def shows_query(field, payload):
    def check(tab):
        expect(tab.locator(field)).to_have_value(payload.strip()[:100])

    return check


def test_payloads_render_as_text_and_run_nothing(page_without_csp, live_server, screenshot):
    payloads = read_payloads()
    publish(payloads)
    visits = [(article.get_absolute_url(), shows_article(article)) for article in Article.objects.order_by("pk")]
    visits += [
        (f"/news/?page={number}", lambda tab: None)
        for number in range(1, ceil(len(payloads) / PublishedArticlesMixin.paginate_by) + 1)
    ]
    visits += [
        (f"/members/?page={number}", lambda tab: None)
        for number in range(1, ceil(len(payloads) / DirectoryView.paginate_by) + 1)
    ]
    for number, payload in enumerate(payloads):
        path, field = SEARCHES[number % len(SEARCHES)]
        visits.append((f"{path}?q={quote(payload, safe='')}", shows_query(field, payload)))

    tabs = [page_without_csp, *(page_without_csp.context.new_page() for _ in range(TABS - 1))]
    live_markup = render(tabs, live_server.url, visits)
    screenshot(page_without_csp)
    assert not live_markup, "\n".join(live_markup)
