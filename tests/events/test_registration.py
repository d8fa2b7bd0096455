"""Registration through the public form: confirmation, waitlist and its promotion, the private link,
and every refusal with a clear message in the visitor's language and nothing saved."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone, translation
from icalendar import Calendar

from events import services
from events.models import Event, Registration
from tests.factories import (
    EventFactory,
    OfficeFactory,
    OfficeMembershipFactory,
    OrganisationFactory,
    RegistrationFactory,
)
from tests.news.pages import get_page, parse_html, url_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST as the browser does; e-mails go out after commit, so the request's callbacks run."""

    def post(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


def form(**changes):
    data = {
        "name": "张三",
        "organisation_name": "苏州测试科技有限公司",
        "job_title": "工程师",
        "mobile": "139 1234 5678",
        "email": "Zhang.San@Example.org",
        "consent": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def register(post, event, language="zh-hans", **changes):
    prefix = "" if language == "zh-hans" else f"/{language}"
    return post(f"{prefix}/events/{event.pk}/register/", form(**changes))


def errors_of(response):
    document = parse_html(response.content)
    shown = document.select(".form-errors, .field-errors, .consent .errorlist")
    return " ".join(element.get_text(" ", strip=True) for element in shown)


def test_a_registration_is_confirmed_with_its_code_qr_link_and_an_email_carrying_the_calendar_and_qr(
    client, post, mailoutbox
):
    event = EventFactory(capacity=10)
    response = register(post, event)
    assert response.status_code == 303
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    assert (registration.mobile, registration.email) == ("13912345678", "zhang.san@example.org")
    assert registration.consent_given_at is not None and registration.consent_policy.version == 1
    _, page = get_page(client, response["Location"])
    assert page.find(class_="check-in-code").text == registration.code
    assert page.select_one(".check-in-qr svg") is not None
    assert page.find(class_="registration-state")["data-status"] == "confirmed"

    (message,) = mailoutbox
    assert message.to == ["zhang.san@example.org"]
    assert response["Location"] in message.body and registration.code in message.body
    attachments = {name: (content, kind) for name, content, kind in message.attachments}
    calendar = Calendar.from_ical(attachments["event.ics"][0])
    (item,) = calendar.walk("VEVENT")
    assert item.decoded("dtstart") == event.starts_at.replace(microsecond=0)
    assert attachments[f"check-in-{registration.code}.png"][0].startswith(b"\x89PNG")


def test_beyond_capacity_registrants_join_the_waitlist_and_the_first_is_confirmed_when_a_place_frees(
    client, post, mailoutbox
):
    event = EventFactory(capacity=2)
    links = []
    for n in range(4):
        response = register(post, event, mobile=f"1390000000{n}", email=f"p{n}@example.org", name=f"报名人{n}")
        links.append(response["Location"])
    statuses = list(Registration.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    _, page = get_page(client, links[2])
    assert page.find(class_="registration-state")["data-status"] == "waitlisted"
    assert page.select_one(".check-in-qr") is None
    mailoutbox.clear()

    # The first confirmed registrant cancels from the private link.
    response = post(links[0], {"action": "cancel"})
    assert response.status_code == 200
    assert parse_html(response.content).find(class_="registration-state")["data-status"] == "cancelled"
    statuses = list(Registration.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["cancelled", "confirmed", "confirmed", "waitlisted"], "the first on the waitlist is confirmed"
    (message,) = mailoutbox
    assert message.to == ["p2@example.org"]
    promoted = Registration.objects.get(email="p2@example.org")
    assert promoted.code in message.body
    # Cancelling again changes nothing and confirms no one else.
    post(links[0], {"action": "cancel"})
    assert Registration.objects.filter(status="confirmed").count() == 2


def test_a_cancelled_person_may_register_again(post):
    event = EventFactory()
    link = register(post, event)["Location"]
    post(link, {"action": "cancel"})
    assert register(post, event).status_code == 303
    assert Registration.objects.filter(status="confirmed").count() == 1


def test_requires_approval_registrations_wait_for_staff(post):
    event = EventFactory(requires_approval=True, capacity=1)
    register(post, event)
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.PENDING
    services.approve(registration)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


REFUSALS = {
    # name: (event changes, form changes, message start in zh-hans, in en)
    "full event": ({"capacity": 1, "waitlist": False}, {}, "活动名额已满", "This event is full"),
    "closed registration": (
        {"registration_deadline": "past"},
        {},
        "本活动报名已截止",
        "Registration for this event is closed",
    ),
    "cancelled event": ({"cancelled_at": "now"}, {}, "本活动已取消", "This event has been cancelled"),
    "duplicate registrant": (
        {},
        {"email": "other@example.org"},
        "已有人使用此手机号码",
        "Someone has already registered",
    ),
    "members only, not a member": (
        {"members_only": True},
        {"organisation_name": "并非会员的公司"},
        "本活动仅限联盟会员单位",
        "This event is for member organisations",
    ),
    "bad mobile": ({}, {"mobile": "12345"}, "请输入11位中国大陆手机号码", "Enter a mainland China mobile number"),
    "no consent": ({}, {"consent": None}, "请勾选同意隐私政策", "Please tick the box to agree"),
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("case", REFUSALS)
def test_each_refusal_is_a_clear_message_in_the_visitors_language_and_saves_nothing(post, case, language):
    event_changes, form_changes, message_zh, message_en = REFUSALS[case]
    now = timezone.now()
    event_changes = {
        key: {"past": now - datetime.timedelta(hours=1), "now": now}.get(value, value)
        for key, value in event_changes.items()
    }
    event = EventFactory(**event_changes)
    if case == "full event":
        RegistrationFactory(event=event)
    if case == "duplicate registrant":
        RegistrationFactory(event=event, mobile="13912345678")
    before = Registration.objects.count()
    response = register(post, event, language=language, **form_changes)
    assert response.status_code == 400
    shown = errors_of(response)
    assert (message_zh if language == "zh-hans" else message_en) in shown, shown
    assert Registration.objects.count() == before


def test_a_member_organisation_may_register_for_a_members_only_event(post):
    member = OrganisationFactory(name_zh_hans="苏州会员科技有限公司", is_member=False)
    OfficeMembershipFactory(organisation=member, office=OfficeFactory())
    event = EventFactory(members_only=True)
    assert register(post, event, organisation_name="苏州会员科技有限公司").status_code == 303
    assert Registration.objects.get().organisation == member


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_tampered_token_finds_nothing_and_says_so(client, language):
    registration = RegistrationFactory()
    token = registration.token()
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    prefix = "" if language == "zh-hans" else f"/{language}"
    for bad in (tampered, "junk", registration.token() + "x"):
        response = client.get(f"{prefix}/events/registration/{bad}/")
        assert response.status_code == 404
        text = parse_html(response.content).find(class_="notice").text
        assert ("此报名链接无效" if language == "zh-hans" else "This registration link is not valid") in text
        response = client.post(f"{prefix}/events/registration/{bad}/", {"action": "cancel"})
        assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_the_event_page_shows_places_left_and_then_the_waitlist(client):
    event = EventFactory(capacity=2)
    _, page = get_page(client, url_of(event))
    assert "2" in page.find(class_="places").text
    assert page.find("form", id="registration-form") is not None
    RegistrationFactory.create_batch(2, event=event)
    with translation.override("en"):
        _, page = get_page(client, url_of(event, "en"))
    assert "waitlist" in page.find(class_="places").text
    event.registration_deadline = timezone.now() - datetime.timedelta(minutes=1)
    event.save()
    _, page = get_page(client, url_of(event))
    assert page.find("form", id="registration-form") is None


def test_a_wrong_slug_redirects_permanently_and_drafts_are_hidden(client):
    event = EventFactory()
    response = client.get(f"/events/{event.pk}/wrong-slug/")
    assert response.status_code == 301 and response["Location"] == event.get_absolute_url()
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)
    assert client.get(event.get_absolute_url()).status_code == 404
    Event.objects.filter(pk=event.pk).update(
        status=Event.Status.PUBLISHED, unpublish_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(event.get_absolute_url()).status_code == 404


def test_cancelling_an_event_emails_every_registrant_once(mailoutbox, django_capture_on_commit_callbacks):
    event = EventFactory()
    RegistrationFactory.create_batch(3, event=event)
    RegistrationFactory(event=event, status=Registration.Status.CANCELLED)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cancel(event) == 3
        assert services.cancel(event) == 0
    assert len(mailoutbox) == 3
    assert all(re.search("取消", message.subject) for message in mailoutbox)
    with pytest.raises(services.RegistrationRefused):
        services.register(event.pk, services.RegistrationData("李四", "某公司", "", "13800000000", "l@example.org"))


def test_the_email_is_sent_only_after_commit(django_capture_on_commit_callbacks):
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.register(event.pk, services.RegistrationData("李四", "某公司", "", "13800000000", "l@example.org"))
    assert len(mail.outbox) == 0
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_the_cached_event_page_form_registers_any_visitor_and_the_places_follow(
    client, post, settings, django_capture_on_commit_callbacks
):
    """The event page is cached for everyone, so its form carries no per-visitor token; a second
    visitor posting it from the cached page registers, and the page shows the place taken."""
    settings.PAGE_CACHE_ENABLED = True
    event = EventFactory(capacity=3)
    first = client.get(event.get_absolute_url())
    assert client.get(event.get_absolute_url())["X-Page-Cache"] == "hit"
    page = parse_html(first.content)
    assert page.find("input", attrs={"name": "csrfmiddlewaretoken"}) is None
    with django_capture_on_commit_callbacks(execute=True):
        response = register(post, event)
    assert response.status_code == 303
    private = client.get(response["Location"])
    assert "no-store" in private["Cache-Control"] and "X-Page-Cache" not in private
    assert "2" in parse_html(client.get(event.get_absolute_url()).content).find(class_="places").text
