"""Appointing, ending terms and handing seats over, called without the admin."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from reversion.models import Version

from members.models import Role
from members.services import end_term
from offices import services
from offices.models import CommitteeSeat, CouncilSeat, OfficeMembership
from tests.factories import (
    CommitteeSeatFactory,
    CouncilSeatFactory,
    OfficeFactory,
    OfficeMembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2023, 11, 20)


def revision_of(row):
    return Version.objects.get_for_object(row).get().revision


def messages_of(error):
    return " ".join(error.value.messages)


# --- Appointing ----------------------------------------------------------------------------------


def test_appointing_a_president_makes_the_organisation_the_current_president():
    office, organisation, person, staff = OfficeFactory(), OrganisationFactory(), PersonFactory(), UserFactory()

    seat = services.appoint(office, organisation, Role.PRESIDENT, representative=person, started_on=DAY, user=staff)

    assert CouncilSeat.objects.current().get(office=office, role=Role.PRESIDENT) == seat
    assert (seat.organisation, seat.representative, seat.started_on) == (organisation, person, DAY)
    assert revision_of(seat).user == staff
    assert revision_of(seat).get_comment() == gettext("Appointed %(organisation)s as %(role)s.") % {
        "organisation": organisation,
        "role": Role.PRESIDENT.label,
    }


def test_an_appointment_starts_today_unless_told_otherwise():
    seat = services.appoint(OfficeFactory(), OrganisationFactory(), Role.DIRECTOR)
    assert seat.started_on == timezone.localdate()


@pytest.mark.parametrize(
    ("role", "rule"),
    [
        (Role.PRESIDENT, "An office can have only one current president: end the other president’s term first."),
        (Role.SECRETARY_GENERAL, "An office can have only one current secretary-general: end the other term first."),
    ],
)
def test_a_second_current_holder_of_a_single_holder_council_role_is_refused(role, rule):
    current = CouncilSeatFactory(role=role)
    with pytest.raises(ValidationError) as refusal:
        services.appoint(current.office, OrganisationFactory(), role)
    assert gettext(rule) in messages_of(refusal)
    assert CouncilSeat.objects.filter(office=current.office).count() == 1


def test_a_second_current_committee_chair_is_refused_and_a_deputy_is_not():
    chair = CommitteeSeatFactory(role=Role.CHAIR)
    with pytest.raises(ValidationError) as refusal:
        services.appoint(chair.committee, OrganisationFactory(), Role.CHAIR)
    assert gettext("A committee can have only one current chair: end the other chair’s term first.") in messages_of(
        refusal
    )
    deputy = services.appoint(chair.committee, OrganisationFactory(), Role.DEPUTY_CHAIR)
    assert isinstance(deputy, CommitteeSeat) and deputy.committee == chair.committee


def test_a_president_saved_by_someone_else_meanwhile_is_the_same_refusal(monkeypatch):
    current = CouncilSeatFactory(role=Role.PRESIDENT)
    # The other appointment commits between this one's check and its save.
    monkeypatch.setattr(CouncilSeat, "full_clean", lambda seat: None)
    with pytest.raises(ValidationError) as refusal:
        services.appoint(current.office, OrganisationFactory(), Role.PRESIDENT)
    assert gettext(
        "An office can have only one current president: end the other president’s term first."
    ) in messages_of(refusal)
    assert CouncilSeat.objects.count() == 1


def test_an_organisation_cannot_be_appointed_twice_to_one_council():
    director = CouncilSeatFactory(role=Role.DIRECTOR)
    with pytest.raises(ValidationError):
        services.appoint(director.office, director.organisation, Role.VICE_PRESIDENT)
    services.appoint(OfficeFactory(), director.organisation, Role.VICE_PRESIDENT)  # another office is fine


def test_a_committee_role_on_a_council_is_refused():
    with pytest.raises(ValidationError):
        services.appoint(OfficeFactory(), OrganisationFactory(), Role.CHAIR)
    assert not CouncilSeat.objects.exists()


def test_a_president_can_be_appointed_once_the_previous_term_has_ended():
    previous = CouncilSeatFactory(role=Role.PRESIDENT, started_on=datetime.date(2020, 11, 20))
    end_term(previous, DAY - datetime.timedelta(days=1))
    successor = services.appoint(previous.office, OrganisationFactory(), Role.PRESIDENT, started_on=DAY)
    assert list(CouncilSeat.objects.current().filter(role=Role.PRESIDENT)) == [successor]


# --- Handing a seat over -------------------------------------------------------------------------


def test_handing_the_presidency_over_ends_the_old_term_and_seats_the_successor():
    old = CouncilSeatFactory(role=Role.PRESIDENT, started_on=datetime.date(2020, 11, 20), sort_order=2)
    successor, person, staff = OrganisationFactory(), PersonFactory(), UserFactory()

    ended, new = services.hand_over(old, successor, representative=person, on=DAY, user=staff)

    old.refresh_from_db()
    assert ended == old and old.ended_on == DAY
    assert CouncilSeat.objects.current().get(office=old.office, role=Role.PRESIDENT) == new
    assert (new.organisation, new.representative, new.started_on, new.sort_order) == (successor, person, DAY, 2)
    revision = revision_of(new)
    assert revision == revision_of(old), "one revision holds both seats"
    assert revision.user == staff
    assert revision.get_comment() == gettext("Handed over from %(previous)s to %(successor)s.") % {
        "previous": old.organisation,
        "successor": successor,
    }


def test_a_committee_chair_can_be_handed_over():
    chair = CommitteeSeatFactory(role=Role.CHAIR, started_on=datetime.date(2022, 1, 1))
    _, new = services.hand_over(chair, OrganisationFactory(), on=DAY)
    assert list(chair.committee.seats.current()) == [new]
    assert new.role == Role.CHAIR


def test_a_hand_over_the_successor_cannot_take_changes_nothing():
    president = CouncilSeatFactory(role=Role.PRESIDENT, started_on=datetime.date(2020, 11, 20))
    director = CouncilSeatFactory(office=president.office, role=Role.DIRECTOR)
    with pytest.raises(ValidationError) as refusal:
        services.hand_over(president, director.organisation, on=DAY)
    assert gettext(
        "An organisation can hold only one current seat on a council: end its other seat’s term first."
    ) in messages_of(refusal)
    assert president.ended_on is None
    president.refresh_from_db()
    assert president.ended_on is None
    assert CouncilSeat.objects.count() == 2
    assert not Version.objects.exists()


def test_an_ended_seat_cannot_be_handed_over():
    seat = CouncilSeatFactory(role=Role.PRESIDENT, started_on=datetime.date(2020, 11, 20), ended_on=DAY)
    with pytest.raises(ValidationError):
        services.hand_over(seat, OrganisationFactory(), on=DAY)
    assert CouncilSeat.objects.count() == 1
    seat.refresh_from_db()
    assert seat.ended_on == DAY


# --- Rules across the seats of a body saved together ---------------------------------------------


def test_conflicts_names_the_rule_and_the_seats_that_break_it_together():
    office = OfficeFactory()
    first = CouncilSeat(office=office, organisation=OrganisationFactory(), role=Role.PRESIDENT)
    second = CouncilSeat(office=office, organisation=OrganisationFactory(), role=Role.PRESIDENT)
    ended = CouncilSeat(office=office, organisation=OrganisationFactory(), role=Role.PRESIDENT, ended_on=DAY)
    found = services.conflicts([first, second, ended], within="office")
    assert [(constraint.name, seats) for constraint, seats in found] == [
        ("one_current_president_per_office", [first, second])
    ]
    assert services.conflicts([first, ended], within="office") == []


def test_seats_giving_up_a_place_are_saved_before_seats_taking_it():
    earlier = CouncilSeatFactory(role=Role.PRESIDENT, started_on=datetime.date(2020, 1, 1), ended_on=DAY)
    later = CouncilSeatFactory(office=earlier.office, role=Role.PRESIDENT, started_on=DAY)
    earlier.ended_on, later.ended_on = None, DAY  # a president restored, the successor ended
    order = services.saving_order([earlier, later])
    assert order == [later, earlier]
    for seat in order:
        seat.save()  # the database never sees two current presidents


def test_saving_order_applies_to_office_memberships_too():
    left = OfficeMembershipFactory()
    rejoined = OfficeMembership(office=left.office, organisation=left.organisation)
    left.left_on = DAY
    assert services.saving_order([rejoined, left]) == [left, rejoined]


def test_only_offices_and_committees_have_seats():
    with pytest.raises(TypeError):
        services.appoint(OrganisationFactory(), OrganisationFactory(), Role.CHAIR)
