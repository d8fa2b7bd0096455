"""Event staff in the admin: counts, check-in by typed or scanned code, the sign-in sheet, the
registrant export (formula-safe CSV and XLSX), capacity raised, cancelling, and who may do it."""

import pytest
from django.test import Client
from django.utils import timezone, translation

from events.models import Event, Registration
from tests.factories import EventFactory, RegistrationFactory, UserFactory
from tests.news.pages import parse_html
from tests.security.test_export_formulae import PAYLOADS, admin_export, csv_fields, xlsx_cells

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(groups=["Event staff"]))
    return client


def counts_shown(page):
    return {element["data-count"]: int(element.text) for element in page.select(".event-counts [data-count]")}


def messages_of(response):
    return [element.get_text(" ", strip=True) for element in parse_html(response.content).select(".messagelist li")]


def test_check_in_takes_a_typed_or_scanned_code_and_the_counts_follow(staff):
    event = EventFactory(capacity=2)
    first = RegistrationFactory(event=event, code="ABCD2345", name="王五")
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED, code="WAIT2345")
    url = f"/admin/events/event/{event.pk}/check-in/"
    page = parse_html(staff.get(url).content)
    assert counts_shown(page) == {"confirmed": 2, "waitlisted": 1, "attended": 0}
    assert page.find("input", attrs={"name": "code"}).has_attr("autofocus")

    with translation.override("zh-hans"):
        response = staff.post(url, {"code": " abcd 2345 "}, follow=True)  # typed in lower case, with spaces
    assert messages_of(response) == ["王五 已签到。"]
    first.refresh_from_db()
    assert first.checked_in_at is not None
    assert counts_shown(parse_html(response.content))["attended"] == 1

    response = staff.post(url, {"code": "ABCD2345"}, follow=True)
    assert "已于" in messages_of(response)[0], "a second scan says when the first was"
    response = staff.post(url, {"code": "NOPE9999"}, follow=True)
    assert messages_of(response) == ["本活动没有签到码为“NOPE9999”的报名。"]
    response = staff.post(url, {"code": waiting.code}, follow=True)
    assert "尚未确认" in messages_of(response)[0]
    waiting.refresh_from_db()
    assert waiting.checked_in_at is None
    other_event = RegistrationFactory(code="OTHER234")
    staff.post(url, {"code": "OTHER234"})
    other_event.refresh_from_db()
    assert other_event.checked_in_at is None, "a code of another event checks no one in"

    listing = parse_html(staff.get("/admin/events/event/").content)
    row = listing.find("a", string=event.title).find_parent("tr")
    assert [cell.text for cell in row.select("td.field-confirmed, td.field-waitlisted, td.field-attended")] == [
        "2",
        "1",
        "1",
    ]


def test_the_sign_in_sheet_lists_confirmed_registrants_only(staff):
    event = EventFactory()
    RegistrationFactory(event=event, name="甲", organisation_name="乙公司")
    RegistrationFactory(event=event, name="丙", status=Registration.Status.WAITLISTED)
    page = parse_html(staff.get(f"/admin/events/event/{event.pk}/sign-in-sheet/").content)
    rows = page.select("#sign-in-sheet tbody tr")
    assert [[cell.text for cell in row.find_all("td")][1:3] for row in rows] == [["甲", "乙公司"]]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_registrant_export_carries_no_formula(staff, file_format):
    event = EventFactory()
    for text in PAYLOADS.values():
        RegistrationFactory(event=event, name=text, organisation_name=text, job_title=text)
    content = admin_export(staff, f"/admin/events/registration/export/?event__id__exact={event.pk}", file_format)
    if file_format == "csv":
        cells = csv_fields(content)
        assert not [cell for cell in cells if cell.startswith(tuple(PAYLOADS))]
        assert "'" + PAYLOADS["="] in cells
    else:
        cells = xlsx_cells(content)
        assert not [cell for cell in cells if cell.data_type == "f"]
        assert "'" + PAYLOADS["+"] in [cell.value for cell in cells]


def test_raising_the_capacity_confirms_the_waitlist_in_order(staff, mailoutbox, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    first, second = (RegistrationFactory(event=event, status=Registration.Status.WAITLISTED) for _ in range(2))
    from tests.security.admin_forms import admin_form_data

    url = f"/admin/events/event/{event.pk}/change/"
    data = admin_form_data(staff.get(url))
    data["capacity"] = "2"
    for name in ("starts_at", "ends_at"):  # the admin's split date and time inputs
        moment = timezone.localtime(getattr(event, name))
        data[f"{name}_0"], data[f"{name}_1"] = moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M:%S")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "waitlisted")
    assert [message.to for message in mailoutbox] == [[first.email]]


def test_cancel_action_cancels_and_emails_registrants(staff, mailoutbox, django_capture_on_commit_callbacks):
    event = EventFactory()
    RegistrationFactory.create_batch(2, event=event)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post("/admin/events/event/", {"action": "cancel", "_selected_action": [str(event.pk)]})
    assert Event.objects.get(pk=event.pk).is_cancelled
    assert len(mailoutbox) == 2


@pytest.mark.parametrize("group", ["Editors", "Roster staff"])
def test_other_staff_may_not_check_in_nor_print_the_sheet(group):
    event = EventFactory()
    client = Client()
    client.force_login(UserFactory(groups=[group]))
    assert client.get(f"/admin/events/event/{event.pk}/check-in/").status_code == 403
    assert client.post(f"/admin/events/event/{event.pk}/check-in/", {"code": "X"}).status_code == 403
    assert client.get(f"/admin/events/event/{event.pk}/sign-in-sheet/").status_code == 403
