"""Every roster change made in the admin is kept with who made it and when, and can be read there."""

import datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext
from reversion.models import Version

from members.models import Organisation, Role
from offices.models import CouncilSeat
from tests.factories import CouncilSeatFactory, OrganisationFactory
from tests.offices.admin_forms import add_inline_row, change_form_data, inline_row

pytestmark = pytest.mark.django_db


def test_editing_a_council_seat_in_the_admin_records_a_revision_with_the_user(roster_client, roster_staff):
    seat = CouncilSeatFactory(role=Role.DIRECTOR)
    url = f"/admin/offices/councilseat/{seat.pk}/change/"
    data = change_form_data(roster_client.get(url))
    data["role"] = Role.VICE_PRESIDENT
    assert roster_client.post(url, data).status_code == 302

    version = Version.objects.get_for_object(seat).get()
    assert version.revision.user == roster_staff
    assert version.field_dict["role"] == Role.VICE_PRESIDENT
    assert version.revision.date_created is not None
    history = roster_client.get(f"/admin/offices/councilseat/{seat.pk}/history/").content.decode()
    assert roster_staff.username in history
    assert roster_client.get(f"/admin/offices/councilseat/{seat.pk}/history/{version.pk}/").status_code == 200


def test_council_changes_made_on_the_office_page_are_recorded_seat_by_seat(roster_client, roster_staff):
    president = CouncilSeatFactory(role=Role.PRESIDENT, started_on=datetime.date(2020, 11, 20))
    url = f"/admin/offices/office/{president.office.pk}/change/"
    data = change_form_data(roster_client.get(url))
    data[f"council_seats-{inline_row(data, 'council_seats', president.pk)}-ended_on"] = "2023-11-19"
    add_inline_row(data, "council_seats", role=Role.PRESIDENT, organisation=OrganisationFactory().pk, sort_order=0)
    assert roster_client.post(url, data).status_code == 302

    successor = CouncilSeat.objects.current().get(role=Role.PRESIDENT)
    for seat in (president, successor):
        version = Version.objects.get_for_object(seat).get()
        assert version.revision.user == roster_staff
    assert Version.objects.get_for_object(president).get().field_dict["ended_on"] == datetime.date(2023, 11, 19)


def test_ending_terms_from_the_list_is_recorded(roster_client, roster_staff):
    seat = CouncilSeatFactory(role=Role.PRESIDENT)
    roster_client.post("/admin/offices/councilseat/", {"action": "end_terms_today", "_selected_action": [seat.pk]})
    version = Version.objects.get_for_object(seat).get()
    assert version.revision.user == roster_staff
    with translation.override("zh-hans"):  # the admin's language
        assert version.revision.get_comment() == gettext("Ended the term.")
    assert version.field_dict["ended_on"] is not None


def test_an_organisation_can_be_reverted_to_an_earlier_version(roster_client):
    organisation = OrganisationFactory(name_zh_hans="浪潮")
    url = f"/admin/members/organisation/{organisation.pk}/change/"
    for name in ("浪潮云", "苏州浪潮云计算有限公司"):
        data = change_form_data(roster_client.get(url))
        data["name_zh_hans"] = name
        assert roster_client.post(url, data).status_code == 302
    first = Version.objects.get_for_object(organisation).order_by("pk").first()
    revert_url = f"/admin/members/organisation/{organisation.pk}/history/{first.pk}/"
    data = change_form_data(roster_client.get(revert_url))
    assert roster_client.post(revert_url, data).status_code == 302
    assert Organisation.objects.get(pk=organisation.pk).name_zh_hans == "浪潮云"
