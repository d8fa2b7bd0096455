"""The events section of an office's page: its upcoming events, the soonest first, then its past
ones, the latest first; six in all, in one query however many there are."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from events.views import EventsSection
from tests.factories import EventFactory, OfficeFactory

pytestmark = pytest.mark.django_db


def event_at(office, days, title):
    starts_at = timezone.now() + datetime.timedelta(days=days)
    event = EventFactory(starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2), title_zh_hans=title)
    event.offices.add(office)
    return event


def test_upcoming_events_come_first_the_soonest_first_then_past_ones_the_latest_first(client):
    office = OfficeFactory()
    for days, title in [(-30, "往期1"), (20, "预告2"), (-3, "往期0"), (5, "预告0"), (10, "预告1"), (-60, "往期2")]:
        event_at(office, days, title)
    event_at(office, -90, "往期3")  # the seventh: left out
    event_at(OfficeFactory(), 1, "别处")  # another office's

    page = BeautifulSoup(client.get(office.get_absolute_url()).content, "html.parser")

    titles = [link.get_text() for link in page.select(".related-events li a")]
    assert titles == ["预告0", "预告1", "预告2", "往期0", "往期1", "往期2"]


@pytest.mark.parametrize("upcoming", [0, 3, 8])
def test_the_section_runs_one_query_however_many_events_are_upcoming(upcoming, django_assert_num_queries):
    office = OfficeFactory()
    for number in range(upcoming):
        event_at(office, number + 1, f"预告{number}")
    for number in range(4):
        event_at(office, -number - 1, f"往期{number}")
    with django_assert_num_queries(1):
        events = EventsSection("offices").context(office)["events"]
    assert len(events) == min(6, upcoming + 4)
