"""Applying online: the form, the e-mails, the private status link, amendments, and bad input
(each a clear message in the applicant's language, nothing saved, or nothing saved twice)."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from core.groups import MEMBERSHIP_SECRETARIAT
from membership import services
from membership.models import ApplicationEvent, MembershipApplication, Stage
from tests.factories import (
    ApplicationFactory,
    OfficeFactory,
    OrganisationFactory,
    UserFactory,
    credit_code,
    image_file,
    pdf_file,
)
from tests.membership.conftest import application_data
from tests.news.pages import parse_html

pytestmark = pytest.mark.django_db


def apply_url(language="zh-hans"):
    with translation.override(language):
        return reverse("membership:apply")


def post_application(client, language="zh-hans", licence=None, **overrides):
    data = application_data(**overrides)
    data["licence"] = licence if licence is not None else pdf_file("营业执照.pdf")
    return client.post(apply_url(language), data)


def errors_of(response):
    """{field name or "__all__": [messages]} as the page shows them."""
    document = parse_html(response.content)
    shown = {}
    for errors in document.find_all("ul", class_="errorlist"):
        field = errors.get("id", "").removeprefix("id_").removesuffix("_error") or "__all__"
        shown[field] = [item.text for item in errors.find_all("li")]
    return shown


def test_an_application_is_saved_with_consent_and_acknowledged(
    client, policy, mailoutbox, django_capture_on_commit_callbacks
):
    office = OfficeFactory()
    UserFactory(groups=[MEMBERSHIP_SECRETARIAT], email="mishuchu@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_application(client, offices=[office.pk])
    assert response.status_code == 302 and response["Location"] == reverse("membership:apply-done")
    application = MembershipApplication.objects.get()
    assert application.stage == Stage.SUBMITTED
    assert application.credit_code == credit_code(1)
    assert application.contact_mobile == "+8613912345678"
    assert application.consent_policy == policy and application.consent_given_at is not None
    assert list(application.offices.all()) == [office]
    assert application.licence.name.startswith("licences/") and application.licence.name.endswith(".pdf")
    assert [event.action for event in application.events.all()] == ["submit"]
    to_applicant, to_secretariat = sorted(mailoutbox, key=lambda message: message.to != ["liming@example.cn"])
    assert to_applicant.to == ["liming@example.cn"] and "已收到" in to_applicant.subject
    token_url = services.status_url(application).removeprefix("http://127.0.0.1:8000")
    assert token_url in to_applicant.body
    assert to_secretariat.to == ["mishuchu@example.org"]
    # The private link shows where the application stands.
    page = parse_html(client.get(token_url).content)
    assert "等待秘书处初审" in page.find("p", class_="stage").text


def test_the_form_starts_with_the_consent_box_unticked_and_linked_to_the_policy(client, policy):
    page = parse_html(client.get(apply_url()).content)
    box = page.find("input", attrs={"name": "consent"})
    assert box is not None and not box.has_attr("checked")
    assert page.find("a", href="/privacy/") is not None


def test_without_consent_nothing_is_saved(client, policy):
    response = post_application(client, consent="")
    assert response.status_code == 200
    assert "请勾选" in " ".join(errors_of(response)["consent"])
    assert not MembershipApplication.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "zh_hans", "en"),
    [
        ("credit_code", credit_code(1)[:-1] + ("0" if credit_code(1)[-1] != "0" else "1"), "校验码", "check character"),
        ("credit_code", "91320594MA1234", "18", "18 characters"),
        ("contact_mobile", "1391234567", "11", "11 digits"),
        ("contact_mobile", "139123456789", "11", "11 digits"),
        ("contact_mobile", "02512345678", "11", "11 digits"),
    ],
)
def test_wrong_codes_and_numbers_are_refused_in_the_applicants_language(client, policy, field, value, zh_hans, en):
    response = post_application(client, **{field: value})
    assert response.status_code == 200
    assert zh_hans in " ".join(errors_of(response)[field])
    response = post_application(client, language="en", **{field: value})
    assert en in " ".join(errors_of(response)[field])
    assert not MembershipApplication.objects.exists()


@pytest.mark.parametrize(
    ("licence", "expected"),
    [
        (SimpleUploadedFile("licence.docx", b"PK\x03\x04 document", content_type="application/msword"), "PDF"),
        (SimpleUploadedFile("licence.exe", b"MZ\x90\x00", content_type="application/octet-stream"), "PDF"),
        (SimpleUploadedFile("licence.pdf", b"<html>not a pdf</html>", content_type="application/pdf"), "PDF"),
        (SimpleUploadedFile("licence.png", b"\x89PNG broken", content_type="image/png"), "图片"),
        (image_file("licence.gif", image_format="GIF"), "PDF"),
    ],
)
def test_a_licence_that_is_not_a_pdf_or_an_image_is_refused(client, policy, licence, expected):
    response = post_application(client, licence=licence)
    assert response.status_code == 200
    assert expected.lower() in " ".join(errors_of(response)["licence"]).lower()
    assert not MembershipApplication.objects.exists()


def test_an_oversized_licence_is_refused(client, policy, settings):
    settings.UPLOAD_ATTACHMENT_MAX_BYTES = 1000
    big = SimpleUploadedFile("licence.pdf", b"%PDF-1.4\n" + b"0" * 2000, content_type="application/pdf")
    response = post_application(client, licence=big)
    assert "上限" in " ".join(errors_of(response)["licence"])
    assert not MembershipApplication.objects.exists()


def test_a_licence_photo_is_accepted(client, policy):
    response = post_application(client, licence=image_file("营业执照.jpg"))
    assert response.status_code == 302
    assert MembershipApplication.objects.get().licence.name.endswith(".jpg")


def test_a_double_submit_saves_one_application(client, policy):
    assert post_application(client).status_code == 302
    again = post_application(client)
    assert again.status_code == 200
    assert "已在审核中" in " ".join(errors_of(again)["credit_code"])
    assert MembershipApplication.objects.count() == 1


def test_a_duplicate_of_an_application_under_review_is_refused(client, policy):
    ApplicationFactory(credit_code=credit_code(1), stage=Stage.COUNCIL)
    response = post_application(client, language="en")
    assert "already under review" in " ".join(errors_of(response)["credit_code"])
    assert MembershipApplication.objects.count() == 1


def test_a_rejected_organisation_may_apply_again(client, policy):
    ApplicationFactory(credit_code=credit_code(1), stage=Stage.REJECTED)
    assert post_application(client).status_code == 302
    assert MembershipApplication.objects.count() == 2


def test_an_application_from_an_existing_member_is_flagged(client, policy):
    member = OrganisationFactory(credit_code=credit_code(1), is_member=True)
    post_application(client)
    application = MembershipApplication.objects.get()
    assert application.from_existing_member and application.organisation == member


def test_bots_filling_the_hidden_field_save_nothing(client, policy):
    response = post_application(client, homepage="http://spam.example/")
    assert response.status_code == 302
    assert not MembershipApplication.objects.exists()


def test_one_address_may_send_only_a_few_applications_an_hour(client, policy, settings):
    settings.MEMBERSHIP_APPLICATIONS_PER_HOUR = 2
    for number in (1, 2):
        assert post_application(client, credit_code=credit_code(number)).status_code == 302
    response = post_application(client, credit_code=credit_code(3))
    assert response.status_code == 429
    assert "请一小时后再试" in " ".join(errors_of(response)["__all__"])
    assert MembershipApplication.objects.count() == 2
    other = client.__class__(REMOTE_ADDR="198.51.100.7")
    assert post_application(other, credit_code=credit_code(4)).status_code == 302


def status_path(application, language="zh-hans"):
    with translation.override(language):
        return reverse("membership:application-status", kwargs={"token": services.status_token(application)})


def test_a_tampered_status_link_shows_a_clear_message(client):
    application = ApplicationFactory()
    token = services.status_token(application)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.get(reverse("membership:application-status", kwargs={"token": tampered}))
    assert response.status_code == 404
    assert "链接无效" in parse_html(response.content).find("h1").text
    other = client.get(reverse("membership:application-status", kwargs={"token": "1:abc"}))
    assert other.status_code == 404


def test_an_expired_status_link_shows_a_clear_message(client, settings):
    settings.MEMBERSHIP_STATUS_LINK_MAX_AGE_DAYS = 30
    application = ApplicationFactory()
    path = status_path(application)
    assert client.get(path).status_code == 200
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=31)):
        response = client.get(path)
    assert response.status_code == 410
    assert "链接已过期" in parse_html(response.content).find("h1").text


def test_a_returned_application_is_amended_through_its_link(
    client, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(stage=Stage.SUBMITTED)
    services.transition(application, "return", secretariat, comment="请补充营业执照。")
    path = status_path(application)
    page = parse_html(client.get(path).content)
    assert "请补充营业执照。" in page.text
    assert page.find("form") is not None
    data = {
        **application_data(credit_code=application.credit_code, description="补充后的介绍"),
        "licence": image_file("licence.png", image_format="PNG"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.SUBMITTED and application.description == "补充后的介绍"
    assert application.licence.name.endswith(".png")
    assert list(ApplicationEvent.objects.filter(application=application).values_list("action", flat=True)) == [
        "submit",
        "return",
        "amend",
    ]


def test_an_application_not_returned_cannot_be_changed_through_its_link(client):
    application = ApplicationFactory(stage=Stage.COUNCIL)
    path = status_path(application)
    assert parse_html(client.get(path).content).find("form", attrs={"enctype": True}) is None
    client.post(path, application_data(credit_code=application.credit_code, description="改"))
    application.refresh_from_db()
    assert application.description != "改"


@pytest.mark.parametrize(
    ("language", "subject", "greeting"),
    [
        ("zh-hans", "入会申请已收到", "您好"),
        ("en", "Application received", "Dear"),
        ("zh-hant", "入會申請已收到", "您好"),
    ],
)
def test_the_applicant_is_written_to_in_the_language_they_applied_in(
    client, policy, secretariat, language, subject, greeting, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert post_application(client, language=language).status_code == 302
    application = MembershipApplication.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(application, "return", secretariat, comment="请补充材料。")
    to_applicant = [message for message in mailoutbox if message.to == ["liming@example.cn"]]
    assert len(to_applicant) == 2
    assert subject in to_applicant[0].subject and greeting in to_applicant[0].body
    prefix = "" if language == "zh-hans" else f"/{language}"
    assert f"{prefix}/members/apply/status/" in to_applicant[1].body and "请补充材料。" in to_applicant[1].body
