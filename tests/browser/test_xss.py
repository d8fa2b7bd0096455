"""Hostile text in every place the public pages show what editors and visitors typed runs nothing.

Each payload becomes an article (title, summary, body, source, author), a photo caption and
description, an organisation name and a search query. The browser renders each page with the
site's Content Security Policy switched off: the CSP would block an injected handler before it
ran, which would hide a missing escape from this test. What is left to stop a payload is the
escaping and sanitising of the pages themselves, and any dialog, request to another host,
console error or live markup found in the page fails the test.
"""

from math import ceil
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage
from playwright.sync_api import expect

from members.views import DirectoryView
from news.models import Article, ArticlePhoto
from news.views import PublishedArticlesMixin
from tests.browser.conftest import close_context, new_context
from tests.factories import ArticleFactory, CategoryFactory, OrganisationFactory, image_file

pytestmark = pytest.mark.browser

SHARED_PAYLOADS = Path(__file__).resolve().parents[1] / "security" / "xss_payloads.txt"
# Until the hardening work's shared list (SHARED_PAYLOADS) is in the tree.
LOCAL_PAYLOADS = [
    "<script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    '" autofocus onfocus="alert(1)',
    "<img src=x onerror=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    "<details open ontoggle=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://xss.invalid/">',
    '<img data-file="1" onerror="alert(1)" src="x">',
    '{"@context": "</script><script>alert(1)</script>"}',
    "{{ 7|add:7 }}{% debug %}",
    "苏州市工业互联网<script>alert('联盟')</script>产业联盟",
]
SEARCHES = [("/search/", "#search-q"), ("/news/", "#news-q"), ("/members/", "#directory-q")]

# Markup that can act, found in the rendered page: handlers, scripts other than the article's
# JSON-LD, frames and embeds, redirects, forms posting elsewhere, and URLs with a script scheme.
LIVE_MARKUP = """() => {
  const found = [];
  const describe = (el) => el.outerHTML.slice(0, 120);
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
  for (const el of document.querySelectorAll(active)) found.push(`element: ${describe(el)}`);
  for (const form of document.querySelectorAll("form")) {
    const target = new URL(form.getAttribute("action") || "", location.href);
    if (target.origin !== location.origin) found.push(`form posting elsewhere: ${describe(form)}`);
  }
  for (const el of document.querySelectorAll("script[type='application/ld+json']")) {
    if (el.parentElement !== document.head) found.push(`data block outside the head: ${describe(el)}`);
    try { JSON.parse(el.textContent); } catch (error) { found.push(`data block that is not JSON: ${describe(el)}`); }
  }
  return found;
}"""


def read_payloads():
    if not SHARED_PAYLOADS.exists():
        return LOCAL_PAYLOADS
    return [line for line in SHARED_PAYLOADS.read_text(encoding="utf-8").splitlines() if line.strip()]


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
    # Bodies keep an <img> whose address is left of a payload ("x"): a broken image, not a script.
    context, watch = new_context(
        browser, live_server, tolerated_console=[r"status of 404 \(Not Found\)$"], bypass_csp=True
    )
    yield context.new_page()
    close_context(context, watch, request, screenshot)


def test_payloads_render_as_text_and_run_nothing(page_without_csp, screenshot):
    page = page_without_csp
    payloads = read_payloads()
    publish(payloads)
    live_markup = []

    def visit(path):
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        live_markup.extend(f"{path}: {found}" for found in page.evaluate(LIVE_MARKUP))

    for article in Article.objects.order_by("pk"):
        visit(article.get_absolute_url())
        expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
        expect(page.locator(".article-photos figcaption")).to_contain_text(article.title)
    for number in range(1, ceil(len(payloads) / PublishedArticlesMixin.paginate_by) + 1):
        visit(f"/news/?page={number}")
    for number in range(1, ceil(len(payloads) / DirectoryView.paginate_by) + 1):
        visit(f"/members/?page={number}")
    for number, payload in enumerate(payloads):
        path, search_field = SEARCHES[number % len(SEARCHES)]
        visit(f"{path}?q={quote(payload, safe='')}")
        expect(page.locator(search_field)).to_have_value(payload.strip()[:100])
    screenshot(page)
    assert not live_markup, "\n".join(live_markup)
