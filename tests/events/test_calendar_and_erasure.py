"""Calendar files carry the right instants; registrants' personal data is erased after the event."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from icalendar import Calendar

from events.models import Event, Registration
from tests.factories import EventFactory, RegistrationFactory
from tests.news.pages import get_page, url_of

pytestmark = pytest.mark.django_db
CHINA = ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC


def test_an_event_at_9_in_china_is_at_1_utc_in_its_calendar_file_and_in_the_feed(client):
    starts = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=CHINA)
    event = EventFactory(
        title_zh_hans="工业互联网标识解析论坛",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3, minutes=30),
        published_at=datetime.datetime(2026, 11, 1, tzinfo=UTC),
    )
    response = client.get(f"/events/{event.pk}/{event.slug}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    (item,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert item.decoded("dtstart").astimezone(UTC) == datetime.datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert item.decoded("dtend").astimezone(UTC) == datetime.datetime(2026, 12, 1, 4, 30, tzinfo=UTC)
    assert str(item["dtstart"].params["TZID"]) == "Asia/Shanghai"
    assert str(item["summary"]) == "工业互联网标识解析论坛"
    assert b"BEGIN:VTIMEZONE" in response.content and b"TZID:Asia/Shanghai" in response.content

    past = EventFactory(
        starts_at=datetime.datetime(2020, 11, 20, 9, tzinfo=CHINA),
        ends_at=datetime.datetime(2020, 11, 20, 12, tzinfo=CHINA),
    )
    draft = EventFactory(status=Event.Status.DRAFT)
    feed = Calendar.from_ical(client.get("/events/feed.ics").content)
    uids = {str(item["uid"]) for item in feed.walk("VEVENT")}
    assert uids == {f"event-{event.pk}@testserver"}, "only upcoming published events"
    assert past.pk != draft.pk


def test_the_event_page_shows_china_time_and_json_ld(client):
    starts = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=CHINA)
    event = EventFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))
    _, page = get_page(client, url_of(event))
    assert "2026-12-01 09:00" in page.find("dl", class_="event-facts").text
    import json

    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "Event" and data["startDate"] == "2026-12-01T09:00:00+08:00"


def test_personal_data_is_erased_n_days_after_the_event_and_counts_are_kept(settings, client):
    settings.EVENT_PERSONAL_DATA_DAYS = 30
    now = datetime.datetime.now(UTC)
    old = EventFactory(starts_at=now - datetime.timedelta(days=32), ends_at=now - datetime.timedelta(days=31))
    recent = EventFactory(starts_at=now - datetime.timedelta(days=10), ends_at=now - datetime.timedelta(days=9))
    kept = RegistrationFactory(event=recent)
    erased = RegistrationFactory.create_batch(3, event=old)
    RegistrationFactory(event=old, status=Registration.Status.WAITLISTED)
    token = erased[0].token()
    call_command("erase_registrants")
    for registration in erased:
        registration.refresh_from_db()
        assert (registration.name, registration.mobile, registration.email, registration.organisation_name) == (
            "",
            "",
            "",
            "",
        )
        assert registration.erased_at is not None
    kept.refresh_from_db()
    assert kept.name and kept.mobile and kept.email
    counts = Event.objects.with_counts().get(pk=old.pk)
    assert (counts.confirmed_count, counts.waitlisted_count) == (3, 1)
    assert client.get(f"/events/registration/{token}/").status_code == 404
    call_command("erase_registrants")  # again: nothing changes
    assert Registration.objects.filter(erased_at__isnull=False).count() == 4
