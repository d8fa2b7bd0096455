"""Events adopt the articles' review before publication (core.review): Event staff write and submit,
Reviewers approve or return, published events keep their public text while an edit waits, and
without review Event staff publish directly. The state machine itself is tested in tests/news/test_review.py."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.groups import EVENT_STAFF, REVIEWERS
from core.review import Action, ReviewState, TransitionNotAllowed
from events import services
from events.models import Event
from tests.factories import EventFactory, OfficeFactory, UserFactory
from tests.i18n import zh
from tests.news.pages import get_page
from tests.security.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer():
    return UserFactory(groups=[EVENT_STAFF])


@pytest.fixture
def reviewer():
    return UserFactory(groups=[REVIEWERS])


@pytest.fixture
def draft(writer):
    return EventFactory(
        status=Event.Status.DRAFT, published_at=None, created_by=writer, title_zh_hans="待审核的工业互联网沙龙"
    )


def edit(client, event, **changes):
    """POST the event's admin form as it is shown, with `changes`."""
    url = f"/admin/events/event/{event.pk}/change/"
    data = admin_form_data(client.get(url))
    for name in ("starts_at", "ends_at", "published_at", "unpublish_at", "registration_deadline"):
        moment = getattr(event, name)  # the admin's split date and time inputs
        if moment is not None:
            moment = timezone.localtime(moment)
            data[f"{name}_0"], data[f"{name}_1"] = moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M:%S")
    data.update(changes)
    return client.post(url, data)


def test_submit_return_resubmit_approve(draft, writer, reviewer, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_for_review(draft, user=writer)
    draft.refresh_from_db()
    assert draft.review_state == ReviewState.SUBMITTED and not draft.is_published
    assert not Event.objects.published().filter(pk=draft.pk).exists()
    assert [mail.to for mail in mailoutbox] == [[reviewer.email]]
    assert draft.title in mailoutbox[0].subject and f"/admin/events/event/{draft.pk}/change/" in mailoutbox[0].body

    with pytest.raises(ValidationError) as error:
        services.send_back(draft, user=reviewer, comment="  ")
    assert error.value.messages == [zh("Say what should change: a comment is required.")]
    with django_capture_on_commit_callbacks(execute=True):
        services.send_back(draft, user=reviewer, comment="请补充会场地址。")
    draft.refresh_from_db()
    assert draft.review_state == ReviewState.RETURNED
    assert mailoutbox[-1].to == [writer.email] and "请补充会场地址。" in mailoutbox[-1].body

    with pytest.raises(TransitionNotAllowed):
        services.approve_publication(draft, user=reviewer)  # returned, not resubmitted
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_for_review(draft, user=writer)
        services.approve_publication(draft, user=reviewer, comment="同意发布")
    draft.refresh_from_db()
    assert draft.review_state == ReviewState.APPROVED and draft.is_published
    assert Event.objects.published().filter(pk=draft.pk).exists()
    assert mailoutbox[-1].to == [writer.email] and "同意发布" in mailoutbox[-1].body
    assert list(draft.review_steps.values_list("action", "user", "comment")) == [
        (Action.SUBMITTED, writer.pk, ""),
        (Action.RETURNED, reviewer.pk, "请补充会场地址。"),
        (Action.SUBMITTED, writer.pk, ""),
        (Action.APPROVED, reviewer.pk, "同意发布"),
        (Action.PUBLISHED, reviewer.pk, ""),
    ]


def test_forbidden_steps_raise_and_change_nothing(draft, writer, reviewer):
    with pytest.raises(TransitionNotAllowed):
        services.approve_publication(draft, user=reviewer)  # never submitted
    with pytest.raises(TransitionNotAllowed):
        services.send_back(draft, user=reviewer, comment="无")
    services.submit_for_review(draft, user=writer)
    with pytest.raises(TransitionNotAllowed):
        services.submit_for_review(draft, user=writer)  # already awaiting review
    with pytest.raises(PermissionError):
        services.approve_publication(draft, user=writer)  # Event staff are no reviewers
    draft.refresh_from_db()
    assert draft.review_state == ReviewState.SUBMITTED and draft.status == Event.Status.DRAFT
    assert draft.review_steps.count() == 1


def test_approval_of_a_future_time_schedules(draft, writer, reviewer):
    later = timezone.now() + datetime.timedelta(days=2)
    Event.objects.filter(pk=draft.pk).update(published_at=later)
    services.submit_for_review(draft, user=writer)
    services.approve_publication(draft, user=reviewer)
    draft.refresh_from_db()
    assert draft.status == Event.Status.PUBLISHED and draft.published_at == later and not draft.is_published


def test_no_one_approves_what_they_wrote_or_last_changed_superusers_excepted(draft, writer, reviewer):
    writing_reviewer = UserFactory(groups=[REVIEWERS])
    own = EventFactory(status=Event.Status.DRAFT, published_at=None, created_by=writing_reviewer)
    services.submit_for_review(own, user=writing_reviewer)
    with pytest.raises(PermissionError):
        services.approve_publication(own, user=writing_reviewer)
    services.submit_for_review(draft, user=writer)
    Event.objects.filter(pk=draft.pk).update(last_edited_by=reviewer)
    with pytest.raises(PermissionError):
        services.approve_publication(draft, user=reviewer)
    superuser = UserFactory(is_superuser=True)
    Event.objects.filter(pk=draft.pk).update(last_edited_by=superuser)
    services.approve_publication(draft, user=superuser)
    assert Event.objects.get(pk=draft.pk).is_published


def test_editing_a_published_event_waits_for_review_while_the_published_text_stays(client, writer, reviewer):
    event = EventFactory(title_zh_hans="已发布的原活动名称", capacity=10)
    office = OfficeFactory()
    client.force_login(writer)
    response = edit(
        client, event, title_zh_hans="修改后的新活动名称", offices=[str(office.pk)], capacity="20", _submit_review="1"
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    event.refresh_from_db()
    assert event.title_zh_hans == "已发布的原活动名称" and event.is_published and not event.offices.exists()
    assert event.capacity == 20, "registration settings apply at once"
    assert event.review_state == ReviewState.SUBMITTED and event.last_edited_by == writer
    client.logout()
    assert "已发布的原活动名称" in client.get(event.get_absolute_url(), follow=True).content.decode()

    client.force_login(writer)
    _, html = get_page(client, f"/admin/events/event/{event.pk}/change/")
    assert html.find("input", id="id_title_zh_hans")["value"] == "修改后的新活动名称", "the form edits the revision"
    with pytest.raises(PermissionError):
        services.approve_publication(event, user=writer)

    services.approve_publication(event, user=reviewer)
    event.refresh_from_db()
    assert event.title_zh_hans == "修改后的新活动名称" and event.pending_revision is None and event.is_published
    assert list(event.offices.all()) == [office]
    client.logout()
    assert "修改后的新活动名称" in client.get(event.get_absolute_url(), follow=True).content.decode()


def test_under_review_event_staff_cannot_publish_from_the_form_or_the_list(client, writer, draft):
    client.force_login(writer)
    _, html = get_page(client, f"/admin/events/event/{draft.pk}/change/")
    assert html.find("select", id="id_status") is None
    assert html.find("input", attrs={"name": "_submit_review"}) is not None
    edit(client, draft, status=Event.Status.PUBLISHED)
    client.post("/admin/events/event/", {"action": "publish", "_selected_action": [str(draft.pk)]})
    assert Event.objects.get(pk=draft.pk).status == Event.Status.DRAFT

    response = edit(client, draft, title_zh_hans="提交审核的沙龙", _submit_review="1")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.review_state == ReviewState.SUBMITTED and draft.title_zh_hans == "提交审核的沙龙"


def test_without_review_event_staff_publish_directly_and_the_step_is_recorded(settings, client, writer, draft):
    settings.REVIEW_REQUIRED = False
    client.force_login(writer)
    response = edit(client, draft, status=Event.Status.PUBLISHED, title_zh_hans="直接发布的沙龙")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title_zh_hans == "直接发布的沙龙" and draft.is_published and draft.pending_revision is None
    client.post("/admin/events/event/", {"action": "unpublish", "_selected_action": [str(draft.pk)]})
    client.post("/admin/events/event/", {"action": "publish", "_selected_action": [str(draft.pk)]})
    draft.refresh_from_db()
    assert draft.is_published
    assert list(draft.review_steps.values_list("action", "user")) == [
        (Action.UNPUBLISHED, writer.pk),
        (Action.PUBLISHED, writer.pk),
    ]


def test_the_review_page_history_and_list_filter(client, draft, writer, reviewer):
    services.submit_for_review(draft, user=writer, comment="请审核")
    client.force_login(reviewer)
    _, page = get_page(client, f"/admin/events/event/{draft.pk}/review/")
    assert page.find("button", attrs={"value": "approve"}) is not None
    response = client.post(f"/admin/events/event/{draft.pk}/review/", {"decision": "return", "comment": ""})
    assert zh("Say what should change: a comment is required.") in response.content.decode()
    client.post(f"/admin/events/event/{draft.pk}/review/", {"decision": "return", "comment": "时间写错了"})
    assert Event.objects.get(pk=draft.pk).review_state == ReviewState.RETURNED

    _, history = get_page(client, f"/admin/events/event/{draft.pk}/history/")
    rows = [[cell.text.strip() for cell in row.find_all("td")] for row in history.select(".review-steps tbody tr")]
    assert [(row[1], row[3]) for row in rows] == [
        (zh("Submitted for review"), "请审核"),
        (zh("Returned with comments"), "时间写错了"),
    ]
    assert rows[1][2] == reviewer.username

    other = EventFactory(title_zh_hans="其他活动")
    _, listing = get_page(client, "/admin/events/event/?review=returned")
    titles = [link.text for link in listing.select("#result_list tbody th a")]
    assert titles == [draft.title] and other.title not in titles

    client.force_login(writer)
    client.post(f"/admin/events/event/{draft.pk}/review/", {"decision": "submit", "comment": "已改正"})
    client.post(f"/admin/events/event/{draft.pk}/review/", {"decision": "approve"})  # Event staff may not
    assert Event.objects.get(pk=draft.pk).review_state == ReviewState.SUBMITTED
    client.force_login(reviewer)
    client.post(f"/admin/events/event/{draft.pk}/review/", {"decision": "approve", "comment": ""})
    assert Event.objects.published().filter(pk=draft.pk).exists()


def test_the_editorial_calendar_shows_events_publish_and_unpublish_times(client, reviewer, writer):
    next_month = (timezone.localdate().replace(day=1) + datetime.timedelta(days=32)).replace(day=15)
    publish_at = timezone.make_aware(datetime.datetime.combine(next_month, datetime.time(9)))
    unpublish_at = publish_at + datetime.timedelta(hours=2)
    event = EventFactory(title_zh_hans="日历中的论坛", published_at=publish_at, unpublish_at=unpublish_at)
    EventFactory(title_zh_hans="草稿活动", status=Event.Status.DRAFT, published_at=publish_at)
    for user in (reviewer, writer):  # Reviewers see articles and events; Event staff their events
        client.force_login(user)
        _, page = get_page(client, f"/admin/news/article/calendar/?month={publish_at:%Y-%m}")
        entries = {
            (item["class"][0], item.a.text, item.a["href"]) for item in page.select(".calendar-month li.calendar-event")
        }
        change = f"/admin/events/event/{event.pk}/change/"
        assert entries == {("calendar-publish", event.title, change), ("calendar-expire", event.title, change)}
