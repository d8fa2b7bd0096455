"""The liaison portal: the invitation link, profile edits reviewed by staff, standing and dues,
and member-only documents for liaisons of members in good standing only."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from membership import services
from membership.models import Action, Liaison, MemberDocument, MembershipPeriod, ProfileChange, Stage
from tests.factories import ApplicationFactory, OrganisationFactory, UserFactory, image_file, pdf_file
from tests.news.pages import parse_html

pytestmark = pytest.mark.django_db

PASSWORD = "Wuzhong-liaison-2026"


def make_liaison(organisation=None, email="liaison@example.cn"):
    user = UserFactory(is_staff=False, email=email)
    return Liaison.objects.create(user=user, organisation=organisation or OrganisationFactory())


@pytest.fixture
def admitted(council, mailoutbox, django_capture_on_commit_callbacks):
    application = ApplicationFactory(stage=Stage.COUNCIL, contact_email="wang@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(application, Action.APPROVE, council)
    return Liaison.objects.get(organisation=application.organisation)


def invitation_path(mailoutbox):
    (link,) = [
        match.group(0)
        for message in mailoutbox
        for match in [re.search(r"http://\S+/portal/password/\S+/", message.body)]
        if match
    ]
    return link.removeprefix("http://testserver").removeprefix("http://127.0.0.1:8000")


def test_the_liaison_sets_a_password_from_the_invitation_once(client, admitted, mailoutbox):
    path = invitation_path(mailoutbox)
    form_page = client.get(path, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("membership:portal")
    page = parse_html(client.get(reverse("membership:portal")).content)
    assert admitted.organisation.name in page.find("h1").text
    admitted.user.refresh_from_db()
    assert admitted.user.check_password(PASSWORD)
    client.logout()
    again = client.get(path, follow=True)
    assert "已使用或已过期" in parse_html(again.content).text


def test_the_portal_is_for_liaisons_only(client):
    assert client.get(reverse("membership:portal"))["Location"].startswith(reverse("membership:portal-login"))
    client.force_login(UserFactory(is_staff=False))
    assert client.get(reverse("membership:portal")).status_code == 403


def test_a_profile_edit_waits_for_staff_and_then_shows(client, secretariat):
    liaison = make_liaison(OrganisationFactory(description_zh_hans="旧的介绍", website="https://old.example.cn/"))
    client.force_login(liaison.user)
    response = client.post(
        reverse("membership:portal-profile"),
        {
            "description_zh_hans": "新的介绍",
            "description_en": "",
            "website": "https://old.example.cn/",
            "address_zh_hans": "",
            "public_contact": "0512-12345678",
        },
    )
    assert response.status_code == 302
    change = ProfileChange.objects.get()
    page = parse_html(client.get(liaison.organisation.get_absolute_url()).content)
    assert "旧的介绍" in page.text and "新的介绍" not in page.text
    differences = {str(label): (old, new) for label, old, new in change.differences()}
    assert differences["简介（中文）"] == ("旧的介绍", "新的介绍")
    assert "网站" not in differences
    services.approve_profile_change(change, secretariat)
    page = parse_html(client.get(liaison.organisation.get_absolute_url()).content)
    assert "新的介绍" in page.text and "0512-12345678" in page.text
    with pytest.raises(ValidationError):
        services.approve_profile_change(change, secretariat)


def test_a_rejected_edit_tells_the_liaison_why(client, secretariat, mailoutbox, django_capture_on_commit_callbacks):
    liaison = make_liaison(OrganisationFactory(description_zh_hans="旧的介绍"))
    change = services.propose_profile_change(liaison, {"description_zh_hans": "广告内容"})
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_profile_change(change, secretariat, "请勿刊登广告。")
    assert mailoutbox[0].to == [liaison.user.email] and "请勿刊登广告。" in mailoutbox[0].body
    liaison.organisation.refresh_from_db()
    assert liaison.organisation.description_zh_hans == "旧的介绍"
    client.force_login(liaison.user)
    assert "请勿刊登广告。" in parse_html(client.get(reverse("membership:portal")).content).text


def test_an_unchanged_profile_form_is_refused(client):
    organisation = OrganisationFactory(description_zh_hans="介绍")
    liaison = make_liaison(organisation)
    client.force_login(liaison.user)
    data = {
        "description_zh_hans": "介绍",
        "description_en": "",
        "website": "",
        "address_zh_hans": "",
        "public_contact": "",
    }
    response = client.post(reverse("membership:portal-profile"), data)
    assert response.status_code == 200 and "没有任何修改" in parse_html(response.content).text
    assert not ProfileChange.objects.exists()


def test_a_new_logo_is_checked_like_every_image(client, django_capture_on_commit_callbacks):
    liaison = make_liaison()
    client.force_login(liaison.user)
    response = client.post(
        reverse("membership:portal-profile"),
        {"description_zh_hans": "x", "logo": pdf_file("logo.png")},
    )
    assert response.status_code == 200 and not ProfileChange.objects.exists()
    response = client.post(
        reverse("membership:portal-profile"),
        {"description_zh_hans": "x", "logo": image_file("logo.png", image_format="PNG")},
    )
    assert response.status_code == 302 and ProfileChange.objects.get().logo
    change = ProfileChange.objects.get()
    services.approve_profile_change(change, UserFactory())
    liaison.organisation.refresh_from_db()
    logo = liaison.organisation.logo.name
    assert logo.startswith("logos/") and logo != change.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        change.delete()  # its own file goes after commit; the organisation's copy stays
    assert liaison.organisation.logo.storage.exists(logo)
    assert not change.logo.storage.exists(change.logo.name)


@pytest.fixture
def document(db):
    return MemberDocument.objects.create(
        title="2025年度工作报告", file=pdf_file("report.pdf"), original_name="2025年度工作报告.pdf"
    )


def test_documents_are_listed_publicly_by_title_only(client, document):
    page = parse_html(client.get(reverse("membership:document-list")).content)
    assert "2025年度工作报告" in page.text and "仅限会员" in page.text
    assert page.find("a", href=reverse("membership:document-download", args=[document.pk])) is None


def test_documents_download_for_liaisons_of_members_in_good_standing_only(client, document):
    url = reverse("membership:document-download", args=[document.pk])
    assert client.get(url).status_code == 302  # to the sign-in
    client.force_login(UserFactory(is_staff=False))
    assert client.get(url).status_code == 403
    liaison = make_liaison()
    client.force_login(liaison.user)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    today = timezone.localdate()
    MembershipPeriod.objects.create(
        organisation=liaison.organisation,
        year=2020,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=today - datetime.timedelta(days=200),
    )
    assert client.get(url).status_code == 403  # lapsed
    liaison.organisation.is_member = False
    liaison.organisation.save()
    assert client.get(url).status_code == 403
