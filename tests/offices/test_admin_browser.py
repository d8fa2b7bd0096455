"""A Roster staff member edits a council in a real browser: autocomplete, the one-president rule,
ending a term and naming a successor in one save."""

import importlib
import shutil

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS, connections

from alliance_site.groups import ROSTER_STAFF
from members.models import Role
from offices.models import CouncilSeat
from tests.conftest import in_ci
from tests.factories import CouncilSeatFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def page(monkeypatch):
    if not shutil.which(CHROMIUM):
        if in_ci():
            pytest.fail(f"Chromium is required in CI ({CHROMIUM} not found)")
        pytest.skip(f"Chromium is not installed ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the test's own database calls are synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 900}, timezone_id="Asia/Shanghai")
        context.set_default_timeout(15_000)
        # Inside Playwright's context the test gets database connections of its own: close them.
        database = connections[DEFAULT_DB_ALIAS]
        yield context.new_page()
        browser.close()
        database.close()


@pytest.fixture
def roster_staff_group():
    """The Roster staff group as its migration makes it: an earlier transactional test empties the
    tables, and only content types and permissions are made again after that."""
    migration = importlib.import_module("offices.migrations.0003_roster_staff_group")
    group, _ = Group.objects.get_or_create(name=ROSTER_STAFF)
    for app_label, model, actions in migration.ROSTER_PERMISSIONS:
        codenames = [f"{action}_{model}" for action in actions]
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
    return group


def choose(page, select_id, term, option):
    """Pick an option of an admin autocomplete by typing part of it, as staff do."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    page.fill(".select2-search__field", term)
    page.click(f".select2-results__option:has-text('{option}')")


def test_roster_staff_replace_the_president_on_the_office_page(live_server, page, roster_staff_group):
    president = CouncilSeatFactory(role=Role.PRESIDENT, organisation__name_zh_hans="苏州浪潮云计算有限公司")
    OrganisationFactory(name_zh_hans="江苏荣辉")
    UserFactory(username="roster", groups=["Roster staff"])

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "roster")
    page.fill("#id_password", "a-good-long-password")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/offices/office/{president.office.pk}/change/")

    page.select_option("#id_council_seats-1-role", Role.PRESIDENT)
    choose(page, "id_council_seats-1-organisation", "ronghui", "江苏荣辉")
    with page.expect_navigation():
        page.click("input[name=_continue]")
    conflict = page.locator("#council_seats-group .errorlist.nonform").inner_text()
    assert "(苏州浪潮云计算有限公司、江苏荣辉)" in conflict, "the error names both presidents"
    assert page.locator("#council_seats-group td.field-role .errorlist").count() == 2
    assert CouncilSeat.objects.count() == 1

    page.fill("#id_council_seats-0-ended_on", "2024-06-30")
    with page.expect_navigation():
        page.click("input[name=_continue]")
    assert page.locator(".messagelist .success").count() == 1
    president.refresh_from_db()
    assert str(president.ended_on) == "2024-06-30"
    assert CouncilSeat.objects.current().get(role=Role.PRESIDENT).organisation.name_zh_hans == "江苏荣辉"
