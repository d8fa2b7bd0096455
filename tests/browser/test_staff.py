"""Roster staff keep the Wuzhong office's council and member units up to date in the admin."""

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from members.models import Role
from offices.models import CouncilSeat, Office, OfficeMembership
from tests.browser.admin_steps import choose_autocomplete, expect_saved, save, sign_in
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.browser


def council_row(page, organisation):
    return page.locator("#council_seats-group tr.has_original", has_text=organisation.name)


def roster_csv(office, organisations, joined_on):
    lines = ["id,office,organisation,joined_on,batch,left_on"]
    lines += [f",{office.slug},{organisation.slug},{joined_on:%Y-%m-%d},2," for organisation in organisations]
    return ("\n".join(lines) + "\n").encode()


def test_staff_update_the_wuzhong_council_and_import_member_units(
    page, visitor, staff_groups, demo, page_cache, screenshot
):
    office = Office.objects.get(slug="wuzhong")
    president = office.council_seats.get(role=Role.PRESIDENT).organisation
    leaving = office.council_seats.filter(role=Role.VICE_PRESIDENT).first().organisation
    director = OrganisationFactory(name_zh_hans="苏州吴中精密制造有限公司", slug="wuzhong-precision")
    rival = OrganisationFactory(name_zh_hans="苏州太湖智能装备有限公司", slug="taihu-equipment")
    newcomers = [
        OrganisationFactory(name_zh_hans="苏州东山工业软件有限公司", slug="dongshan-software"),
        OrganisationFactory(name_zh_hans="苏州木渎数控科技有限公司", slug="mudu-cnc"),
    ]
    today = timezone.localdate()
    # A visitor has the office page from the page cache; the staff's changes must renew it.
    visitor.goto(office.get_absolute_url())
    assert visitor.goto(office.get_absolute_url()).headers["x-page-cache"] == "hit"
    sign_in(page, UserFactory(groups=["Roster staff"]))

    page.locator("#content-main .model-office a").first.click()
    page.get_by_role("link", name=str(office)).click()
    expect(page.locator("#council_seats-group")).to_be_visible()
    # The seat rows fit beside the navigation sidebar: nothing to scroll sideways at 1280 px.
    widths = page.locator("#council_seats-group").evaluate(
        "group => [group.querySelector('table').scrollWidth, group.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the council table is wider than its place: {widths}"

    # A new director in the empty row, a vice-president's term ended today, and a second president.
    new_row = page.locator("#council_seats-group tr.form-row:not(.has_original):not(.empty-form)").last
    new_row.locator(".field-role select").select_option(Role.DIRECTOR)
    choose_autocomplete(page, new_row, "organisation", director.name)
    council_row(page, leaving).locator(".field-ended_on .datetimeshortcuts a").click()
    page.locator("#council_seats-group .add-row a").click()
    second_president = page.locator("#council_seats-group tr.form-row:not(.has_original):not(.empty-form)").last
    second_president.locator(".field-role select").select_option(Role.PRESIDENT)
    choose_autocomplete(page, second_president, "organisation", rival.name)
    save(page)

    rule = next(c for c in CouncilSeat._meta.constraints if c.name == "one_current_president_per_office")
    with translation.override("zh-hans"):
        message = str(rule.violation_error_message)
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator("#council_seats-group")).to_contain_text(message)
    assert CouncilSeat.objects.filter(office=office, ended_on__isnull=True).count() == 8, "nothing saved"

    # Nothing typed is lost: remove the second president and save the rest.
    second_president = page.locator("#council_seats-group tr.form-row", has_text=rival.name)
    second_president.locator(".inline-deletelink").click()
    save(page)
    expect_saved(page)
    assert office.council_seats.get(organisation=leaving).ended_on == today
    assert office.council_seats.get(organisation=director, ended_on__isnull=True).role == Role.DIRECTOR
    assert not office.council_seats.filter(organisation=rival).exists()

    # Member units from a CSV file: a dry run first, which shows the rows and saves nothing, then for real.
    page.goto("/admin/offices/officemembership/")
    page.locator(".object-tools .import_link").click()
    page.locator("#id_import_file").set_input_files(
        {"name": "wuzhong-members.csv", "mimeType": "text/csv", "buffer": roster_csv(office, newcomers, today)}
    )
    page.locator("#id_format").select_option(label="csv")
    page.locator(".submit-row input[type=submit]").click()
    preview = page.locator("table.import-preview")
    for organisation in newcomers:
        expect(preview).to_contain_text(organisation.slug)
    assert not OfficeMembership.objects.filter(organisation__in=newcomers).exists(), "a dry run saves nothing"
    page.locator('input[name="confirm"]').click()
    expect_saved(page)
    assert OfficeMembership.objects.filter(office=office, organisation__in=newcomers).count() == 2

    # What visitors see now.
    visitor.goto(office.get_absolute_url())
    council = visitor.locator(".council")
    expect(council.locator(f'.role-group:has(dt:text-is("{Role.DIRECTOR.label}"))')).to_contain_text(director.name)
    expect(council.locator(f'.role-group:has(dt:text-is("{Role.PRESIDENT.label}")) li')).to_have_text([president.name])
    expect(council).not_to_contain_text(rival.name)
    expect(council).not_to_contain_text(leaving.name)
    past = visitor.locator("section", has=visitor.get_by_role("heading", name=gettext("Past councils")))
    expect(past.locator("tr", has_text=leaving.name)).to_contain_text(today.strftime("%Y-%m-%d"))
    members = visitor.locator("section", has=visitor.get_by_role("heading", name=gettext("Member units")))
    for organisation in newcomers:
        expect(members.get_by_role("link", name=organisation.name)).to_be_visible()
    screenshot(visitor)
