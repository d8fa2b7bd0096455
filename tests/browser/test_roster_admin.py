"""A Roster staff member edits a council in a real browser: autocomplete, the one-president rule,
ending a term and naming a successor in one save."""

import pytest

from members.models import Role
from offices.models import CouncilSeat
from tests.browser.admin_steps import choose_autocomplete, save, sign_in
from tests.factories import CouncilSeatFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.browser


def test_roster_staff_replace_the_president_on_the_office_page(page, staff_groups):
    president = CouncilSeatFactory(role=Role.PRESIDENT, organisation__name_zh_hans="苏州浪潮云计算有限公司")
    OrganisationFactory(name_zh_hans="江苏荣辉")
    sign_in(page, UserFactory(username="roster", groups=["Roster staff"]))
    page.goto(f"/admin/offices/office/{president.office.pk}/change/")

    page.select_option("#id_council_seats-1-role", Role.PRESIDENT)
    choose_autocomplete(page, page.locator("#council_seats-1"), "organisation", "江苏荣辉", term="ronghui")
    save(page)
    conflict = page.locator("#council_seats-group .errorlist.nonform").inner_text()
    assert "(苏州浪潮云计算有限公司、江苏荣辉)" in conflict, "the error names both presidents"
    assert page.locator("#council_seats-group td.field-role .errorlist").count() == 2
    assert CouncilSeat.objects.count() == 1

    page.fill("#id_council_seats-0-ended_on", "2024-06-30")
    save(page)
    assert page.locator(".messagelist .success").count() == 1
    president.refresh_from_db()
    assert str(president.ended_on) == "2024-06-30"
    assert CouncilSeat.objects.current().get(role=Role.PRESIDENT).organisation.name_zh_hans == "江苏荣辉"
