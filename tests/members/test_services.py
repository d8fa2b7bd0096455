"""Ending a term, the same for alliance positions, council seats and committee seats."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from reversion.models import Version

from members.models import Role
from members.services import end_term
from offices.models import CouncilSeat
from tests.factories import AlliancePositionFactory, CouncilSeatFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2023, 11, 20)


def revision_of(row):
    return Version.objects.get_for_object(row).get().revision


def test_ending_a_term_keeps_the_seat_as_history_and_records_who_ended_it():
    seat = CouncilSeatFactory(role=Role.PRESIDENT, started_on=datetime.date(2020, 11, 20))
    staff = UserFactory()
    assert end_term(seat, DAY, user=staff) is seat
    seat.refresh_from_db()
    assert seat.ended_on == DAY
    assert list(CouncilSeat.objects.past()) == [seat]
    assert (revision_of(seat).user, revision_of(seat).get_comment()) == (staff, gettext("Ended the term."))


def test_a_term_ends_today_unless_told_otherwise():
    position = AlliancePositionFactory()
    end_term(position)
    position.refresh_from_db()
    assert position.ended_on == timezone.localdate()


def test_a_term_cannot_end_before_it_starts_nor_end_twice():
    seat = CouncilSeatFactory(role=Role.DIRECTOR, started_on=DAY)
    with pytest.raises(ValidationError) as refusal:
        end_term(seat, DAY - datetime.timedelta(days=1))
    assert gettext("A term cannot end before it starts.") in " ".join(refusal.value.messages)
    assert seat.ended_on is None
    seat.refresh_from_db()
    assert seat.ended_on is None

    end_term(seat, DAY)
    with pytest.raises(ValidationError) as refusal:
        end_term(seat, DAY + datetime.timedelta(days=1))
    assert refusal.value.code == "already_ended"
    seat.refresh_from_db()
    assert seat.ended_on == DAY
