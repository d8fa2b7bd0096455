"""Membership standing from the periods: active, grace period, lapsed, untracked; the directory
and the home page's member count follow it; renewal reminders and erasure of personal data."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from membership import services
from membership.models import (
    GRACE_PERIOD,
    Liaison,
    MembershipApplication,
    MembershipPeriod,
    RenewalReminder,
    Stage,
    Standing,
    current_members,
    is_current_member,
    next_standing_change,
    standing_of,
)
from tests.factories import ApplicationFactory, OrganisationFactory, UserFactory
from tests.news.pages import parse_html

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


def period(organisation, starts, ends, year=None):
    return MembershipPeriod.objects.create(
        organisation=organisation, year=year or starts.year, starts_on=starts, ends_on=ends
    )


@pytest.fixture
def members():
    active = OrganisationFactory(name_zh_hans="有效会员")
    period(active, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    grace = OrganisationFactory(name_zh_hans="宽限期会员")
    period(grace, datetime.date(2026, 1, 1), TODAY - datetime.timedelta(days=10))
    lapsed = OrganisationFactory(name_zh_hans="失效会员")
    period(lapsed, datetime.date(2025, 1, 1), TODAY - GRACE_PERIOD - datetime.timedelta(days=1))
    untracked = OrganisationFactory(name_zh_hans="未登记会员")
    not_member = OrganisationFactory(name_zh_hans="非会员", is_member=False)
    return {"active": active, "grace": grace, "lapsed": lapsed, "untracked": untracked, "not_member": not_member}


def test_standing_is_computed_from_the_periods(members):
    assert standing_of(members["active"], TODAY)[0] == Standing.ACTIVE
    assert standing_of(members["grace"], TODAY)[0] == Standing.GRACE
    assert standing_of(members["lapsed"], TODAY)[0] == Standing.LAPSED
    assert standing_of(members["untracked"], TODAY)[0] == Standing.UNTRACKED
    current = set(current_members(TODAY))
    assert current == {members["active"], members["grace"], members["untracked"]}
    assert is_current_member(members["grace"], TODAY) and not is_current_member(members["lapsed"], TODAY)
    assert not is_current_member(members["not_member"].pk, TODAY)


def test_a_lapsed_member_leaves_the_directory_and_count_but_keeps_its_page(client, members):
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False):
        directory = parse_html(client.get(reverse("members:directory")).content)
        home = client.get(reverse("home"))
        organisation_page = client.get(members["lapsed"].get_absolute_url())
    listed = directory.find("main").text
    assert "有效会员" in listed and "宽限期会员" in listed and "未登记会员" in listed
    assert "失效会员" not in listed
    assert home.context["figures"]["members"] == 3
    assert organisation_page.status_code == 200


def test_the_page_cache_learns_when_the_next_membership_lapses(members):
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False):
        when = next_standing_change()
    grace_end = TODAY - datetime.timedelta(days=10) + GRACE_PERIOD + datetime.timedelta(days=1)
    assert timezone.localtime(when).date() == grace_end


def test_renewal_reminders_are_sent_once(mailoutbox, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    ending = period(organisation, datetime.date(2026, 1, 1), TODAY + datetime.timedelta(days=20))
    Liaison.objects.create(user=UserFactory(is_staff=False, email="a@example.cn"), organisation=organisation)
    lapsed_org = OrganisationFactory()
    lapsed = period(lapsed_org, datetime.date(2025, 1, 1), TODAY - GRACE_PERIOD - datetime.timedelta(days=2))
    Liaison.objects.create(user=UserFactory(is_staff=False, email="b@example.cn"), organisation=lapsed_org)
    renewed_org = OrganisationFactory()
    period(renewed_org, datetime.date(2026, 1, 1), TODAY + datetime.timedelta(days=5))
    period(renewed_org, datetime.date(2027, 1, 1), datetime.date(2027, 12, 31), year=2027)
    Liaison.objects.create(user=UserFactory(is_staff=False, email="c@example.cn"), organisation=renewed_org)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_renewal_reminders(TODAY) == {"before_end": 1, "lapsed": 1}
        assert services.send_renewal_reminders(TODAY) == {"before_end": 0, "lapsed": 0}
        assert services.send_renewal_reminders(TODAY + datetime.timedelta(days=1)) == {"before_end": 0, "lapsed": 0}
    assert sorted(message.to[0] for message in mailoutbox) == ["a@example.cn", "b@example.cn"]
    assert {(r.period, r.kind) for r in RenewalReminder.objects.all()} == {
        (ending, RenewalReminder.Kind.BEFORE_END),
        (lapsed, RenewalReminder.Kind.LAPSED),
    }


def test_the_reminder_command_reports_what_it_sent(capsys):
    call_command("send_renewal_reminders")
    assert "Renewal reminders sent: 0" in capsys.readouterr().out


def test_rejected_applications_lose_their_personal_data_after_the_retention_period(settings):
    settings.MEMBERSHIP_APPLICATION_RETENTION_DAYS = 30
    old = ApplicationFactory(stage=Stage.REJECTED, decided_at=timezone.now() - datetime.timedelta(days=31))
    recent = ApplicationFactory(stage=Stage.REJECTED, decided_at=timezone.now() - datetime.timedelta(days=29))
    open_one = ApplicationFactory(stage=Stage.SUBMITTED, submitted_at=timezone.now() - datetime.timedelta(days=90))
    licence = old.licence.name
    call_command("erase_rejected_applications")
    old.refresh_from_db()
    assert old.contact_name == "—" and old.contact_mobile == "—" and not old.licence
    assert old.personal_data_erased_at is not None and old.name  # the organisation's details stay
    assert not old.licence.storage.exists(licence)
    for kept in (recent, open_one):
        kept.refresh_from_db()
        assert kept.contact_name == "王联络" and kept.licence
    assert services.erase_rejected_applications() == 0


def test_everything_about_a_contact_person_is_exported_and_erased():
    first = ApplicationFactory(contact_email="zhao@example.cn", stage=Stage.REJECTED)
    second = ApplicationFactory(contact_email="ZHAO@example.cn")
    ApplicationFactory(contact_email="other@example.cn")
    user = UserFactory(is_staff=False, email="zhao@example.cn", first_name="赵")
    Liaison.objects.create(user=user, organisation=OrganisationFactory(), mobile="+8613900000000")
    data = services.personal_data_of("zhao@example.cn")
    assert {a["id"] for a in data["applications"]} == {first.pk, second.pk}
    assert data["applications"][0]["consent_policy_version"] == 1
    assert data["liaison_accounts"][0]["mobile"] == "+8613900000000"
    assert services.erase_personal_data("zhao@example.cn") == {"applications": 2, "liaison_accounts": 1}
    assert not MembershipApplication.objects.filter(contact_email__iexact="zhao@example.cn").exists()
    user.refresh_from_db()
    assert not user.is_active and user.email == "" and user.first_name == ""
    assert services.personal_data_of("zhao@example.cn") == {
        "email": "zhao@example.cn",
        "applications": [],
        "liaison_accounts": [],
    }
