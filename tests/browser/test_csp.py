"""The admin works under its Content Security Policy: Chromium reports no violation on the pages editors use."""

import contextlib

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.admin_steps import sign_in
from tests.browser.conftest import csp_violations, new_context, record_csp_violations, wait_for_csp_violations
from tests.factories import ArticleFactory, ArticlePhotoFactory, OfficeFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.browser


def test_admin_and_public_pages_run_without_csp_violations(page):
    article = ArticleFactory()
    ArticlePhotoFactory(article=article)
    pages = [
        reverse("admin:news_article_change", args=[article.pk]),
        reverse("admin:news_article_add"),
        reverse("admin:news_article_changelist"),
        reverse("admin:members_organisation_change", args=[OrganisationFactory().pk]),
        reverse("admin:offices_office_change", args=[OfficeFactory().pk]),
        reverse("admin:index"),
        reverse("admin:index") + f"?article={article.pk}",  # the dashboard's chart of one article
        reverse("admin:news_article_review", args=[article.pk]),
        reverse("admin:news_article_calendar"),
        reverse("admin:news_article_history", args=[article.pk]),
        reverse("admin:news_redirect_changelist"),
        reverse("admin:news_redirect_import"),
        reverse("home"),
        article.get_absolute_url(),
    ]
    record_csp_violations(page.context)
    sign_in(page, UserFactory(is_superuser=True))

    problems = []
    for url in pages:
        page.goto(url, wait_until="networkidle")
        problems += [f"{url}: {violation}" for violation in csp_violations(page)]
        if url == pages[0]:
            # The rich-text editor started: its scripts (and import map) ran under the policy.
            page.wait_for_selector(".ProseMirror", state="attached", timeout=10000)
    # Console errors and uncaught script errors fail the test through the watch.
    assert not problems, "\n".join(problems)
    page.goto(reverse("admin:index"))
    expect(page.locator("#views-chart .uplot canvas")).to_have_count(1)  # the vendored chart drew


def test_the_violation_detector_reports_a_blocked_inline_script(browser, live_server):
    context, watch = new_context(browser, live_server)
    record_csp_violations(context)
    page = context.new_page()
    page.goto(reverse("home"), wait_until="networkidle")
    assert csp_violations(page) == []
    with contextlib.suppress(PlaywrightError):  # Playwright reports the blocked script as an error
        page.add_script_tag(content="window.injected = true")
    blocked = wait_for_csp_violations(page, 1)
    watch.wait_for(
        page, "the blocked script", lambda: any("Content Security Policy" in e for e in watch.console_errors)
    )
    injected = page.evaluate("window.injected === true")
    context.close()
    assert blocked[0].startswith("script-src-elem blocked inline") and not injected, blocked
