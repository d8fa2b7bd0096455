"""One current president and secretary-general per office, one current chair per committee.

The database enforces the rules; the admin explains them as form errors (never a 500), and
ending a term keeps the seat as history and frees the place.
"""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.models import Role
from members.services import end_term
from offices.models import CommitteeSeat, CouncilSeat
from tests.factories import (
    CommitteeFactory,
    CommitteeSeatFactory,
    CouncilSeatFactory,
    OfficeFactory,
    OrganisationFactory,
)
from tests.i18n import zh
from tests.offices.admin_forms import add_inline_row, change_form_data, inline_row

pytestmark = pytest.mark.django_db

# The admin speaks Simplified Chinese, as the alliance's staff do.
PRESIDENT_RULE = zh("An office can have only one current president: end the other president’s term first.")
SECRETARY_GENERAL_RULE = zh("An office can have only one current secretary-general: end the other term first.")
CHAIR_RULE = zh("A committee can have only one current chair: end the other chair’s term first.")
SEAT_RULE = zh("An organisation can hold only one current seat on a council: end its other seat’s term first.")
TERM_ORDER_RULE = zh("A term cannot end before it starts.")


def office_form(client, office):
    url = f"/admin/offices/office/{office.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    return url, change_form_data(response)


def committee_form(client, committee):
    url = f"/admin/offices/committee/{committee.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    return url, change_form_data(response)


def new_seat(role, organisation=None, **values):
    organisation = organisation or OrganisationFactory()
    return {"role": role, "organisation": organisation.pk, "sort_order": 0, **values}


def refused(response, message):
    assert response.status_code == 200, "the form comes back with errors, not a redirect or a 500"
    assert response.context["errors"], "the page lists the errors"
    page = response.content.decode()
    assert message.replace("’", "&#x27;") in page or message in page
    return page


# --- The database -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PRESIDENT, Role.SECRETARY_GENERAL])
def test_database_rejects_a_second_current_holder_of_a_single_holder_council_role(role):
    first = CouncilSeatFactory(role=role)
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilSeat.objects.create(office=first.office, organisation=OrganisationFactory(), role=role)
    CouncilSeat.objects.create(office=OfficeFactory(), organisation=OrganisationFactory(), role=role)


def test_database_rejects_a_second_current_committee_chair():
    first = CommitteeSeatFactory(role=Role.CHAIR)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeSeat.objects.create(committee=first.committee, organisation=OrganisationFactory(), role=Role.CHAIR)


def test_database_accepts_a_new_president_once_the_term_has_ended():
    first = CouncilSeatFactory(role=Role.PRESIDENT, started_on=datetime.date(2020, 11, 20))
    end_term(first, datetime.date(2023, 11, 19))
    CouncilSeat.objects.create(office=first.office, organisation=OrganisationFactory(), role=Role.PRESIDENT)
    assert CouncilSeat.objects.filter(office=first.office, role=Role.PRESIDENT).current().count() == 1


def test_database_allows_many_vice_presidents_and_directors():
    office = OfficeFactory()
    CouncilSeatFactory.create_batch(4, office=office, role=Role.VICE_PRESIDENT)
    CouncilSeatFactory.create_batch(10, office=office, role=Role.DIRECTOR)
    assert office.council_seats.current().count() == 14


# --- The office's council inline ----------------------------------------------------------------


def test_two_new_presidents_in_one_save_are_a_form_error(roster_client):
    office = OfficeFactory()
    url, data = office_form(roster_client, office)
    first, second = OrganisationFactory(name_zh_hans="甲公司"), OrganisationFactory(name_zh_hans="乙公司")
    add_inline_row(data, "council_seats", **new_seat(Role.PRESIDENT, first))
    add_inline_row(data, "council_seats", **new_seat(Role.PRESIDENT, second))
    page = refused(roster_client.post(url, data), PRESIDENT_RULE)
    assert "甲公司、乙公司" in page, "the error names the organisations in conflict"
    assert not CouncilSeat.objects.exists()


def test_a_new_president_beside_the_current_one_is_a_form_error(roster_client):
    current = CouncilSeatFactory(role=Role.PRESIDENT)
    url, data = office_form(roster_client, current.office)
    add_inline_row(data, "council_seats", **new_seat(Role.PRESIDENT))
    refused(roster_client.post(url, data), PRESIDENT_RULE)
    assert CouncilSeat.objects.count() == 1


def test_every_broken_rule_is_reported_on_the_field_it_is_about(roster_client):
    president = CouncilSeatFactory(role=Role.PRESIDENT)
    director = CouncilSeatFactory(office=president.office, role=Role.DIRECTOR)
    url, data = office_form(roster_client, president.office)
    row = add_inline_row(data, "council_seats", **new_seat(Role.PRESIDENT, director.organisation))
    response = roster_client.post(url, data)
    refused(response, PRESIDENT_RULE)
    refused(response, SEAT_RULE)
    formset = next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "council_seats")
    assert formset.forms[row].errors == {"role": [PRESIDENT_RULE], "organisation": [SEAT_RULE]}
    assert len(formset.non_form_errors()) == 2


def test_a_second_secretary_general_in_the_inline_is_a_form_error(roster_client):
    current = CouncilSeatFactory(role=Role.SECRETARY_GENERAL)
    url, data = office_form(roster_client, current.office)
    add_inline_row(data, "council_seats", **new_seat(Role.SECRETARY_GENERAL))
    refused(roster_client.post(url, data), SECRETARY_GENERAL_RULE)


def test_an_organisation_cannot_hold_two_current_seats_on_one_council(roster_client):
    current = CouncilSeatFactory(role=Role.DIRECTOR)
    url, data = office_form(roster_client, current.office)
    add_inline_row(data, "council_seats", **new_seat(Role.VICE_PRESIDENT, current.organisation))
    refused(roster_client.post(url, data), SEAT_RULE)


def test_ending_the_presidents_term_and_adding_a_successor_in_one_save(roster_client, client):
    current = CouncilSeatFactory(role=Role.PRESIDENT, started_on=datetime.date(2020, 11, 20))
    url, data = office_form(roster_client, current.office)
    data[f"council_seats-{inline_row(data, 'council_seats', current.pk)}-ended_on"] = "2023-11-19"
    successor = OrganisationFactory(name_zh_hans="继任会长单位")
    add_inline_row(data, "council_seats", **new_seat(Role.PRESIDENT, successor, started_on="2023-11-20"))
    response = roster_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    current.refresh_from_db()
    assert current.ended_on == datetime.date(2023, 11, 19)
    assert CouncilSeat.objects.current().get(role=Role.PRESIDENT).organisation == successor
    page = client.get(current.office.get_absolute_url()).content.decode()
    past = page[page.index('id="past-council-heading"') :]
    assert current.organisation.name in past
    assert "继任会长单位" in page[: page.index('id="past-council-heading"')]


def test_president_and_vice_president_can_swap_roles_in_one_save(roster_client):
    president = CouncilSeatFactory(role=Role.PRESIDENT)
    vice_president = CouncilSeatFactory(office=president.office, role=Role.VICE_PRESIDENT)
    url, data = office_form(roster_client, president.office)
    data[f"council_seats-{inline_row(data, 'council_seats', vice_president.pk)}-role"] = Role.PRESIDENT
    data[f"council_seats-{inline_row(data, 'council_seats', president.pk)}-role"] = Role.VICE_PRESIDENT
    response = roster_client.post(url, data)
    assert response.status_code == 302
    vice_president.refresh_from_db()
    president.refresh_from_db()
    assert (vice_president.role, president.role) == (Role.PRESIDENT, Role.VICE_PRESIDENT)


def test_restoring_a_president_ended_by_mistake_while_ending_the_successor_in_one_save(roster_client):
    earlier = CouncilSeatFactory(role=Role.PRESIDENT, started_on=datetime.date(2020, 11, 20))
    end_term(earlier, datetime.date(2024, 1, 1))
    successor = CouncilSeatFactory(office=earlier.office, role=Role.PRESIDENT, started_on=datetime.date(2024, 1, 1))
    url, data = office_form(roster_client, earlier.office)
    # The earlier seat comes first in the form: saved first, it would make two current presidents.
    assert inline_row(data, "council_seats", earlier.pk) < inline_row(data, "council_seats", successor.pk)
    data[f"council_seats-{inline_row(data, 'council_seats', earlier.pk)}-ended_on"] = ""
    data[f"council_seats-{inline_row(data, 'council_seats', successor.pk)}-ended_on"] = "2024-01-02"
    assert roster_client.post(url, data).status_code == 302
    earlier.refresh_from_db()
    successor.refresh_from_db()
    assert (earlier.ended_on, successor.ended_on) == (None, datetime.date(2024, 1, 2))


def test_deleting_the_president_and_adding_another_in_one_save(roster_client):
    current = CouncilSeatFactory(role=Role.PRESIDENT)
    url, data = office_form(roster_client, current.office)
    data[f"council_seats-{inline_row(data, 'council_seats', current.pk)}-DELETE"] = "on"
    add_inline_row(data, "council_seats", **new_seat(Role.PRESIDENT))
    assert roster_client.post(url, data).status_code == 302
    assert CouncilSeat.objects.get().pk != current.pk


def test_a_term_ending_before_it_starts_is_a_form_error(roster_client):
    current = CouncilSeatFactory(role=Role.DIRECTOR, started_on=datetime.date(2021, 1, 1))
    url, data = office_form(roster_client, current.office)
    data[f"council_seats-{inline_row(data, 'council_seats', current.pk)}-ended_on"] = "2020-01-01"
    refused(roster_client.post(url, data), TERM_ORDER_RULE)


# --- The committee's seats inline ---------------------------------------------------------------


def test_two_current_committee_chairs_are_a_form_error(roster_client):
    committee = CommitteeFactory()
    url, data = committee_form(roster_client, committee)
    add_inline_row(data, "seats", **new_seat(Role.CHAIR))
    add_inline_row(data, "seats", **new_seat(Role.CHAIR))
    refused(roster_client.post(url, data), CHAIR_RULE)
    assert not CommitteeSeat.objects.exists()


def test_a_new_chair_beside_the_current_one_is_a_form_error(roster_client):
    chair = CommitteeSeatFactory(role=Role.CHAIR)
    url, data = committee_form(roster_client, chair.committee)
    add_inline_row(data, "seats", **new_seat(Role.CHAIR))
    refused(roster_client.post(url, data), CHAIR_RULE)


def test_a_chair_and_two_deputies_are_accepted(roster_client):
    committee = CommitteeFactory()
    url, data = committee_form(roster_client, committee)
    add_inline_row(data, "seats", **new_seat(Role.CHAIR))
    add_inline_row(data, "seats", **new_seat(Role.DEPUTY_CHAIR))
    add_inline_row(data, "seats", **new_seat(Role.DEPUTY_CHAIR))
    assert roster_client.post(url, data).status_code == 302
    assert committee.seats.current().count() == 3


# --- The stand-alone council seat admin ---------------------------------------------------------


def seat_add_data(office, role, organisation=None):
    organisation = organisation or OrganisationFactory()
    return {"office": office.pk, "role": role, "organisation": organisation.pk, "sort_order": 0}


@pytest.mark.parametrize(
    ("role", "message"), [(Role.PRESIDENT, PRESIDENT_RULE), (Role.SECRETARY_GENERAL, SECRETARY_GENERAL_RULE)]
)
def test_adding_a_second_current_holder_in_the_seat_admin_is_a_form_error(roster_client, role, message):
    current = CouncilSeatFactory(role=role)
    response = roster_client.post("/admin/offices/councilseat/add/", seat_add_data(current.office, role))
    refused(response, message)
    assert CouncilSeat.objects.count() == 1


def test_making_a_director_president_in_the_seat_admin_is_a_form_error_while_one_is_current(roster_client):
    president = CouncilSeatFactory(role=Role.PRESIDENT)
    director = CouncilSeatFactory(office=president.office, role=Role.DIRECTOR)
    url = f"/admin/offices/councilseat/{director.pk}/change/"
    data = change_form_data(roster_client.get(url))
    data["role"] = Role.PRESIDENT
    refused(roster_client.post(url, data), PRESIDENT_RULE)
    director.refresh_from_db()
    assert director.role == Role.DIRECTOR


def test_end_term_action_keeps_the_seat_in_past_councils_and_frees_the_presidency(roster_client, client):
    president = CouncilSeatFactory(role=Role.PRESIDENT, started_on=datetime.date(2020, 11, 20))
    director = CouncilSeatFactory(office=president.office, role=Role.DIRECTOR)
    response = roster_client.post(
        "/admin/offices/councilseat/",
        {"action": "end_terms_today", "_selected_action": [president.pk]},
        follow=True,
    )
    assert zh("%(count)d term ended.", "%(count)d terms ended.", 1, {"count": 1}) in response.content.decode()
    president.refresh_from_db()
    director.refresh_from_db()
    assert president.ended_on == timezone.localdate()
    assert director.ended_on is None, "only the selected seat"

    page = client.get(president.office.get_absolute_url()).content.decode()
    past = page[page.index('id="past-council-heading"') :]
    assert president.organisation.name in past

    response = roster_client.post("/admin/offices/councilseat/add/", seat_add_data(president.office, Role.PRESIDENT))
    assert response.status_code == 302
    assert CouncilSeat.objects.current().filter(office=president.office, role=Role.PRESIDENT).count() == 1


def test_end_term_action_reports_a_term_that_has_not_started_yet(roster_client):
    next_year = timezone.localdate() + datetime.timedelta(days=365)
    future = CouncilSeatFactory(role=Role.DIRECTOR, started_on=next_year)
    response = roster_client.post(
        "/admin/offices/councilseat/", {"action": "end_terms_today", "_selected_action": [future.pk]}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert TERM_ORDER_RULE in page
    assert zh("%(count)d term ended.", "%(count)d terms ended.", 0, {"count": 0}) in page
    future.refresh_from_db()
    assert future.ended_on is None
