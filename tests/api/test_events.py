"""The API's events: published ones only (cancelled marked), with places left, never who registered."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.cache import content_version
from events.models import Event, Registration
from tests.api.conftest import get_json
from tests.factories import CommitteeFactory, EventFactory, OfficeFactory, RegistrationFactory
from tests.security.markup import live_markup_in_fragment, load_payloads


@pytest.mark.django_db
def test_drafts_scheduled_and_withdrawn_events_appear_nowhere(client):
    now = timezone.now()
    shown = EventFactory(title_zh_hans="公开的论坛")
    hidden = [
        EventFactory(title_zh_hans="未公开草稿", status=Event.Status.DRAFT),
        EventFactory(title_zh_hans="未公开定时", published_at=now + datetime.timedelta(days=1)),
        EventFactory(title_zh_hans="未公开下线", unpublish_at=now - datetime.timedelta(minutes=1)),
    ]
    for when in ("upcoming", "past"):
        data = get_json(client, f"/api/v1/events/?when={when}")[1]
        assert "未公开" not in json.dumps(data, ensure_ascii=False)
    listed = get_json(client, "/api/v1/events/")[1]["results"]
    assert [item["id"] for item in listed] == [shown.pk]
    for event in hidden:
        get_json(client, f"/api/v1/events/{event.pk}/", status=404)


@pytest.mark.django_db
def test_places_left_and_never_the_registrants(client):
    event = EventFactory(capacity=3, waitlist=True)
    RegistrationFactory(event=event, name="王秘密", email="secret@example.org", mobile="13912345678")
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=Registration.Status.CANCELLED)
    item = get_json(client, "/api/v1/events/")[1]["results"][0]
    assert (item["capacity"], item["places_left"], item["registration_open"]) == (3, 1, True)
    response, detail = get_json(client, f"/api/v1/events/{event.pk}/?lang=en")
    assert (detail["places_left"], detail["full"]) == (1, False)
    text = response.content.decode()
    for personal in ("王秘密", "secret@example.org", "13912345678", "registrations", "check_in"):
        assert personal not in text
    RegistrationFactory(event=event)
    assert get_json(client, f"/api/v1/events/{event.pk}/")[1]["full"] is True


@pytest.mark.django_db
def test_events_run_the_same_queries_for_5_and_for_500_rows(client, django_capture_on_commit_callbacks):
    office = OfficeFactory(slug="wuzhong")
    event = EventFactory(capacity=1000)
    event.offices.add(office)

    def add(count):
        for new in EventFactory.create_batch(count):
            new.offices.add(office)
        RegistrationFactory.create_batch(count, event=event)
        event.committees.add(*CommitteeFactory.create_batch(count, office=office))

    def measure():
        counts = {}
        for url in ("/api/v1/events/", "/api/v1/events/?office=wuzhong&when=upcoming", f"/api/v1/events/{event.pk}/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[url] = len(queries)
        return counts

    add(4)
    content_version()
    small = measure()
    with django_capture_on_commit_callbacks(execute=True):
        add(495)
    assert measure() == small
    assert max(small.values()) <= 5, small


@pytest.mark.django_db
def test_event_text_is_plain_and_the_description_sanitised(client):
    payloads = load_payloads()
    event = EventFactory(
        title_zh_hans=payloads[0][:200],
        summary_zh_hans=payloads[1][:500],
        venue_zh_hans=payloads[2][:200],
        address_zh_hans=payloads[3][:300],
        body_zh_hans="<p>活动介绍</p>" + "".join(payloads),
        online_url="javascript:alert(1)",
    )
    event.refresh_from_db()
    detail = get_json(client, f"/api/v1/events/{event.pk}/")[1]
    assert (detail["title"], detail["summary"], detail["venue"], detail["address"]) == (
        event.title_zh_hans,
        event.summary_zh_hans,
        event.venue_zh_hans,
        event.address_zh_hans,
    )
    assert detail["online_url"] == ""
    assert not live_markup_in_fragment(detail["body_html"])
    assert "活动介绍" in detail["body_html"]
