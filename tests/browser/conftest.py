"""Chromium, driven by Playwright, against the live test server.

One browser serves the whole package; each test gets a fresh context (cookies, storage) and a
watch that fails the test on anything a visitor should never meet: a request to another host, an
error in the console (CSP violations included), an uncaught script error or a dialog.
"""

import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import RunPython
from playwright.sync_api import expect, sync_playwright

from tests.conftest import in_ci

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
TIMEOUT_MS = 15_000
POLL_MS = 25

# Every Content Security Policy violation a page meets, as the document reports it to its own scripts.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} in ${where}`);
});
"""

screenshots_key = pytest.StashKey[list]()
failed_key = pytest.StashKey[bool]()


@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        reason = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
        if in_ci():
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)  # the folder shows the latest run only
    # Playwright's sync API keeps its asyncio loop marked as running in this thread while it is
    # started, so Django takes every ORM call made here (test data, assertions, the database
    # flush after each test) for a call from async code and refuses it. The loop is suspended
    # in a greenlet whenever test code runs and never touches the database, so the check is a
    # false alarm here; it is switched off for exactly as long as Playwright runs, and only in
    # this package. The live server answers the browser from threads of its own, unaffected.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            expect.set_options(timeout=TIMEOUT_MS)
            yield chromium
            chromium.close()


@pytest.fixture(scope="session")
def group_migrations(django_db_setup, django_db_blocker):
    """The forward steps of the data migrations that define the staff groups (core.groups)."""
    with django_db_blocker.unblock():
        executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    steps = [
        operation.code
        for migration, _backwards in plan
        for operation in migration.operations
        if isinstance(operation, RunPython)
        and any(
            getattr(value, "__module__", None) == "core.groups"
            for value in vars(sys.modules[operation.code.__module__]).values()
        )
    ]
    assert steps, "no data migration defines the staff groups"
    return executor.loader.project_state().apps, steps


@pytest.fixture
def staff_groups(group_migrations, transactional_db):
    """The Editors and Roster staff groups, as their migrations make them.

    Browser tests are transactional: the database is emptied after each, and rows that only
    migrations create go with it.
    """
    apps, steps = group_migrations
    for step in steps:
        step(apps, None)


@pytest.fixture
def privacy_policy(transactional_db):
    """A privacy policy in force, as the migration makes it on a fresh site (gone with the rows a
    transactional test empties, like the staff groups)."""
    from compliance.models import PrivacyPolicy
    from tests.factories import PrivacyPolicyFactory

    return PrivacyPolicy.objects.current() or PrivacyPolicyFactory()


class Watch:
    """Records what no page of the site may do; `problems()` lists it for the failure message."""

    def __init__(self, origin):
        self.origin = origin
        self.foreign_requests = []
        self.console_errors = []
        self.script_errors = []
        self.dialogs = []

    def is_local(self, url):
        return url == self.origin or url.startswith(self.origin + "/")

    def attach(self, context):
        # Every request to another host is recorded (even one the CSP stops before it is sent),
        # and none leaves the machine.
        context.on("request", self._request)
        context.route(lambda url: not self.is_local(url), lambda route: route.abort("blockedbyclient"))
        context.on("console", self._console)
        context.on("weberror", self._script_error)
        context.on("dialog", self._dialog)

    def _request(self, request):
        if not self.is_local(request.url) and not request.url.startswith(("data:", "blob:")):
            self.foreign_requests.append(f"{request.frame.url if request.frame else '?'} -> {request.url}")

    def _script_error(self, web_error):
        self.script_errors.append(f"{web_error.page.url if web_error.page else '?'}: {web_error.error}")

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.page.url if dialog.page else '?'}: {dialog.type} {dialog.message!r}")
        dialog.dismiss()

    def wait_for(self, page, what, reported):
        """Let `page` run until `reported()` is true, and fail naming `what` if it is not within TIMEOUT_MS.

        The browser reports console messages, failed loads and errors some time after the page met
        them, and Playwright delivers them only while it waits for something: reading the lists
        straight after an action may find them empty.
        """
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while not reported():
            if time.monotonic() > deadline:
                pytest.fail(
                    f"the browser did not report {what} within {TIMEOUT_MS} ms; it reported:\n{self.problems()}"
                )
            page.wait_for_timeout(POLL_MS)

    def problems(self):
        sections = {
            "requests to other hosts": self.foreign_requests,
            "console errors": self.console_errors,
            "uncaught script errors": self.script_errors,
            "dialogs": self.dialogs,
        }
        return "\n".join(
            f"{title}:\n" + "\n".join(f"  {item}" for item in items) for title, items in sections.items() if items
        )


def new_context(browser, live_server, **options):
    options = {
        "base_url": live_server.url,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": DESKTOP,
        **options,
    }
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    watch = Watch(live_server.url)
    watch.attach(context)
    return context, watch


def record_csp_violations(context):
    """From the next page load on, each page of `context` keeps the CSP violations it meets (see csp_violations)."""
    context.add_init_script(RECORD_CSP_VIOLATIONS)


def csp_violations(page):
    """The CSP violations `page` has met, read once the tasks the page has queued so far have run.

    Chromium dispatches `securitypolicyviolation` in a task of its own after blocking: a read in the
    same turn as the blocked action would miss it. To wait for a violation that must come, use
    wait_for_csp_violations.
    """
    return page.evaluate("() => new Promise((resolve) => setTimeout(() => resolve(window.__cspViolations)))")


def wait_for_csp_violations(page, count):
    """The CSP violations `page` has met, once there are at least `count`; fails after TIMEOUT_MS."""
    page.wait_for_function("(count) => window.__cspViolations.length >= count", arg=count, timeout=TIMEOUT_MS)
    return csp_violations(page)


def close_context(context, watch, request, screenshot):
    """Close the context (after a screenshot of each open page if the test failed); then judge the watch."""
    if request.node.stash.get(failed_key, False):
        for number, page in enumerate(context.pages, start=1):
            screenshot(page, f"failed-{number}")
    context.close()
    assert not watch.problems(), watch.problems()


@pytest.fixture
def context(browser, live_server, request, screenshot):
    context, watch = new_context(browser, live_server)
    yield context
    close_context(context, watch, request, screenshot)


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def visitor(browser, live_server, request, screenshot):
    """A page in a context of its own: a signed-out visitor beside a signed-in `page`."""
    context, watch = new_context(browser, live_server)
    yield context.new_page()
    close_context(context, watch, request, screenshot)


@pytest.fixture
def phone(browser, live_server, request, screenshot):
    """A page in a phone-sized context with touch."""
    context, watch = new_context(
        browser, live_server, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    yield context.new_page()
    close_context(context, watch, request, screenshot)


@pytest.fixture
def screenshot(request):
    """Saves a full-page screenshot named after the test, for a reviewer to look at."""

    def take(page, suffix=""):
        name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-") + (f"-{suffix}" if suffix else "")
        path = SCREENSHOTS / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=path, full_page=True)
        request.config.stash.setdefault(screenshots_key, []).append(path)
        return path

    return take


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.stash[failed_key] = True
    return report


def pytest_terminal_summary(terminalreporter, config):
    paths = config.stash.get(screenshots_key, [])
    if paths:
        terminalreporter.section("browser screenshots")
        for path in paths:
            terminalreporter.write_line(os.path.relpath(path))
