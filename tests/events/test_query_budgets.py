"""Event pages run a fixed number of queries: the same for 5 events as for 500, and for 5
registrations as for 500."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.cache import content_version
from events.models import Event
from tests.factories import (
    CommitteeFactory,
    EventFactory,
    OfficeFactory,
    OrganisationFactory,
    RegistrationFactory,
    UserFactory,
)

BUDGETS = {
    "list": 7,
    "list filtered": 9,
    "event": 7,
    "event (en)": 7,
    "register form": 6,
    "registration": 4,
    "calendar": 1,
    "feed": 1,
    "home": 8,  # the news, the notices and the pinned news in three index walks (alliance_site.views.home_articles)
    "site search": 5,
    "sitemap events": 1,
}


def add_events(count, office, committee):
    """`count` published events of the office and committee, half of them past."""
    now = timezone.now()
    events = []
    for n in range(count):
        starts = now + datetime.timedelta(days=((n % 2 and 1) or -1) * (n + 2))
        events.append(EventFactory(title_zh_hans="吴中区工业互联网沙龙", kind="salon", starts_at=starts))
    for event in events:
        event.offices.add(office)
        event.committees.add(committee)
    return events


def measure(client, event, registration):
    pages = {
        "list": "/events/",
        "list filtered": f"/events/?office=wuzhong&committee={event.committees.get().slug}&kind=salon",
        "event": event.get_absolute_url(),
        "event (en)": "/en" + event.get_absolute_url(),
        "register form": f"/events/{event.pk}/register/",
        "registration": registration.get_absolute_url(),
        "calendar": f"/events/{event.pk}/{event.slug}/calendar.ics",
        "feed": "/events/feed.ics",
        "home": "/",
        "site search": "/search/?q=吴中",
        "sitemap events": "/sitemap-events.xml",
    }
    counts = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = len(queries)
    return counts


@pytest.mark.django_db
def test_event_pages_run_the_same_queries_for_5_and_500_events_and_registrations(
    client, django_capture_on_commit_callbacks
):
    office, committee = OfficeFactory(slug="wuzhong"), CommitteeFactory()
    event = EventFactory(capacity=1000, title_zh_hans="吴中区工业互联网大会")
    event.offices.add(office)
    event.committees.add(committee)
    event.organisations.add(*OrganisationFactory.create_batch(2))
    registration = RegistrationFactory(event=event)
    RegistrationFactory.create_batch(4, event=event)
    add_events(4, office, committee)

    content_version()
    small = measure(client, event, registration)
    with django_capture_on_commit_callbacks(execute=True):
        add_events(495, office, committee)
        RegistrationFactory.create_batch(495, event=event)
    assert Event.objects.count() == 500 and event.registrations.count() == 500
    large = measure(client, event, registration)

    assert large == small
    over = {name: (count, BUDGETS[name]) for name, count in large.items() if count > BUDGETS[name]}
    assert not over, f"over budget (queries, budget): {over}"


@pytest.mark.django_db
def test_archive_pages_cost_no_more_than_the_first(client, django_assert_max_num_queries):
    add_events(200, OfficeFactory(slug="wuzhong"), CommitteeFactory())
    client.get("/events/")  # the content version (what changes next) is worked out once, not per page
    for page in (2, 4):
        with django_assert_max_num_queries(BUDGETS["list"]):
            response = client.get(f"/events/?page={page}")
        assert response.status_code == 200


@pytest.mark.django_db
def test_admin_event_list_and_check_in_page_cost_the_same_for_5_and_500_registrations(client):
    client.force_login(UserFactory(groups=["Event staff"]))
    event = EventFactory()
    RegistrationFactory.create_batch(5, event=event)
    pages = [
        "/admin/events/event/",
        f"/admin/events/event/{event.pk}/check-in/",
        f"/admin/events/event/{event.pk}/change/",
    ]

    def count():
        result = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            result.append(len(queries))
        return result

    count()  # the first request of a session saves it
    small = count()
    RegistrationFactory.create_batch(495, event=event)
    assert count() == small
