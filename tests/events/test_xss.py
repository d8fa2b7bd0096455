"""The XSS corpus in every text field of events and registrations, saved directly and typed into
the public registration form, never reaches a public or admin page as live markup."""

import pytest
from django.urls import reverse
from django.utils import translation

from events import services
from events.models import Event, Registration
from tests.factories import (
    CommitteeFactory,
    EventFactory,
    OfficeFactory,
    OrganisationFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.security.markup import live_markup
from tests.security.test_xss import (
    LANGUAGE_PREFIXES,
    PAYLOADS,
    assert_no_live_markup,
    field_values,
    rounds_needed,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile_event(db):
    office, organisation = OfficeFactory(ordinal=1), OrganisationFactory()
    event = EventFactory(capacity=100)
    event.offices.set([office])
    event.committees.set([CommitteeFactory(office=office)])
    event.organisations.set([organisation])
    return event, RegistrationFactory(event=event), office, organisation


def test_payloads_in_every_event_and_registration_field_never_reach_a_page_as_live_markup(hostile_event, client):
    event, registration, office, organisation = hostile_event
    staff = UserFactory(is_superuser=True)
    problems = []
    for round_number in range(rounds_needed(Event, Registration)):
        for instance in (event, registration):
            for name, value in field_values(type(instance), round_number).items():
                setattr(instance, name, value)
            instance.save()
        prefix = LANGUAGE_PREFIXES[round_number % len(LANGUAGE_PREFIXES)]
        with translation.override("zh-hans"):
            pages = [
                reverse("home"),
                reverse("events:event-list"),
                event.get_absolute_url(),
                reverse("events:register", args=[event.pk]),
                registration.get_absolute_url(),
                office.get_absolute_url(),
                organisation.get_absolute_url(),
                reverse("search") + "?q=" + "论坛",
            ]
        client.logout()
        for url in pages:
            assert_no_live_markup(client, prefix + url, problems)
        if round_number >= 3:
            continue  # admin pages: three rounds, as tests/security/test_xss.py does
        client.force_login(staff)
        for url in (
            "/admin/events/event/",
            f"/admin/events/event/{event.pk}/change/",
            f"/admin/events/event/{event.pk}/check-in/",
            f"/admin/events/event/{event.pk}/sign-in-sheet/",
            "/admin/events/registration/",
            f"/admin/events/registration/{registration.pk}/change/",
        ):
            assert_no_live_markup(client, url, problems)
    assert not problems, "\n".join(problems[:20])


def test_payloads_typed_into_the_registration_form_are_shown_as_text(client):
    event = EventFactory()
    problems = []
    for n, payload in enumerate(PAYLOADS):
        data = {
            "name": payload[:100],
            "organisation_name": payload[:200],
            "job_title": payload[:100],
            "mobile": f"139{n:08d}",
            "email": f"p{n}@example.org",
            "consent": "on",
        }
        response = client.post(f"/events/{event.pk}/register/", data, follow=True)
        assert response.status_code == 200
        problems.extend(live_markup(response))
        assert response.redirect_chain, "registered"
    assert not problems, "\n".join(problems[:20])
    # An invalid form shows what was typed again, as text.
    response = client.post(f"/events/{event.pk}/register/", {"name": PAYLOADS[0], "mobile": PAYLOADS[1]})
    assert response.status_code == 400
    assert not live_markup(response)


def test_payloads_in_review_comments_never_reach_the_review_or_history_page_as_live_markup(client):
    writer, reviewer = UserFactory(groups=["Event staff"]), UserFactory(groups=["Reviewers"])
    event = EventFactory(status=Event.Status.DRAFT, published_at=None, created_by=writer)
    for payload in PAYLOADS:
        services.submit_for_review(event, user=writer, comment=payload)
        services.send_back(event, user=reviewer, comment=payload)
    assert event.review_steps.count() == 2 * len(PAYLOADS)
    client.force_login(reviewer)
    for page in ("review", "history"):
        response = client.get(f"/admin/events/event/{event.pk}/{page}/")
        assert response.status_code == 200
        assert live_markup(response) == [], page
