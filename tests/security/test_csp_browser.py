"""The admin works under its Content Security Policy: Chromium reports no violation on the pages editors use."""

import contextlib
import os
import shutil

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import in_ci
from tests.factories import ArticleFactory, ArticlePhotoFactory, OfficeFactory, OrganisationFactory, UserFactory

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} in ${where}`);
});
"""


def playwright_error():
    from playwright.sync_api import Error

    return Error


@pytest.fixture
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        message = "Chromium is not installed (.ci/run installs it)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def editor_session(transactional_db):
    """Content and a signed-in superuser, made before the browser starts (its event loop forbids the ORM)."""
    article = ArticleFactory()
    ArticlePhotoFactory(article=article)
    staff = Client()
    staff.force_login(UserFactory(is_superuser=True))
    return {
        "session": staff.cookies["sessionid"].value,
        "pages": [
            reverse("admin:news_article_change", args=[article.pk]),
            reverse("admin:news_article_add"),
            reverse("admin:news_article_changelist"),
            reverse("admin:members_organisation_change", args=[OrganisationFactory().pk]),
            reverse("admin:offices_office_change", args=[OfficeFactory().pk]),
            reverse("admin:index"),
            reverse("home"),
            article.get_absolute_url(),
        ],
    }


@pytest.mark.browser
def test_admin_and_public_pages_run_without_csp_violations(editor_session, live_server, browser):
    context = browser.new_context()
    context.add_cookies([{"name": "sessionid", "value": editor_session["session"], "url": live_server.url}])
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))

    pages = editor_session["pages"]
    problems = []
    for url in pages:
        page.goto(live_server.url + url, wait_until="networkidle")
        violations = page.evaluate("window.__violations")
        problems += [f"{url}: {violation}" for violation in violations]
        if url == pages[0]:
            # The rich-text editor started: its scripts (and import map) ran under the policy.
            page.wait_for_selector(".ProseMirror", state="attached", timeout=10000)
    problems += [line for line in console if "Content Security Policy" in line or line.startswith("pageerror")]
    # The detector itself: an inline script on a public page is blocked and reported.
    with contextlib.suppress(playwright_error()):  # Playwright reports the blocked script as an error
        page.add_script_tag(content="window.injected = true")
    blocked = page.evaluate("window.__violations")
    injected = page.evaluate("window.injected === true")
    context.close()
    assert not problems, "\n".join(problems)
    assert blocked and not injected, "an inline script ran or was not reported"
