"""/contact/: stored for the secretariat and e-mailed, with consent; bad input refused clearly, nothing saved."""

import pytest
import time_machine
from django.utils import timezone

from compliance.forms import normalise_contact
from compliance.models import ContactMessage
from compliance.services import CONTACT_LIMIT
from tests.factories import PrivacyPolicyFactory, SiteSettingsFactory
from tests.news.pages import form_data, get_page, parse_html

pytestmark = pytest.mark.django_db

FILLED = {
    "name": "王小明",
    "organisation": "苏州示例科技有限公司",
    "contact": "wang@example.com",
    "message": "请问贵联盟如何申请入会？",
    "consent": "on",
}


def post_contact(client, url="/contact/", address="203.0.113.7", **changes):
    """Fill the form as shown on the page (hidden fields included) with FILLED and `changes`; submit it."""
    _response, html = get_page(client, url)
    data = {name: values[-1] for name, values in form_data(html, "contact-form").items()}
    data.update(FILLED)
    data.update(changes)
    data = {name: value for name, value in data.items() if value is not None}
    return client.post(url, data, REMOTE_ADDR=address)


def refusal_text(response):
    html = parse_html(response.content)
    messages = [element.get_text(" ", strip=True) for element in html.select(".errorlist, .form-refused")]
    return " ".join(messages)


def test_a_message_is_stored_with_consent_and_emailed_to_the_secretariat(client, mailoutbox):
    SiteSettingsFactory(email="secretariat@example.org")

    response = post_contact(client)

    assert response.status_code == 302
    _response, html = get_page(client, response["Location"])
    assert "已发送至联盟秘书处" in html.find(class_="form-done").text
    message = ContactMessage.objects.get()
    assert (message.name, message.contact, message.language) == ("王小明", "wang@example.com", "zh-hans")
    assert message.consent_policy.version == 1
    assert message.consent_given_at is not None
    [mail] = mailoutbox
    assert mail.to == ["secretariat@example.org"]
    assert "王小明" in mail.subject
    assert "请问贵联盟如何申请入会？" in mail.body
    assert "wang@example.com" in mail.body


def test_a_later_policy_version_is_recorded_for_later_messages(client):
    post_contact(client, address="203.0.113.1")
    PrivacyPolicyFactory()
    post_contact(client, address="203.0.113.2")

    assert [m.consent_policy.version for m in ContactMessage.objects.order_by("pk")] == [1, 2]


@pytest.mark.parametrize(
    ("changes", "zh_hans", "en"),
    [
        ({"message": "   "}, "请填写留言内容", "Please write your message"),
        ({"consent": None}, "请勾选同意隐私政策", "Please tick the box to agree to the privacy policy"),
        ({"website": "http://spam.example"}, "“此项请留空”一栏被填写", "“Leave this empty” was filled in"),
        ({"contact": "not a number"}, "请填写电子邮箱地址或11位手机号码", "Enter an e-mail address or an 11-digit"),
        ({"name": ""}, "请填写您的姓名", "Please give your name"),
    ],
)
def test_bad_input_is_refused_clearly_in_the_visitors_language(client, mailoutbox, changes, zh_hans, en):
    for url, expected in (("/contact/", zh_hans), ("/en/contact/", en)):
        response = post_contact(client, url=url, **changes)
        assert response.status_code == 200
        assert expected in refusal_text(response), url
    assert ContactMessage.objects.count() == 0
    assert mailoutbox == []


def test_too_many_messages_in_a_minute_from_one_address_are_refused(client, mailoutbox):
    moment = timezone.now()
    with time_machine.travel(moment, tick=False):
        for _ in range(CONTACT_LIMIT):
            assert post_contact(client).status_code == 302
        refused = post_contact(client)
        assert refused.status_code == 429
        assert "请稍等一分钟再试" in refusal_text(refused)
        assert post_contact(client, address="198.51.100.9").status_code == 302, "another address is not limited"
    assert ContactMessage.objects.count() == CONTACT_LIMIT + 1


def test_the_form_is_never_a_cached_page(client, page_cache):
    first = client.get("/contact/")
    assert "X-Page-Cache" not in first.headers
    assert "public" not in first.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Wang@Example.COM", "Wang@example.com"),
        ("+86 138-0000-0000", "13800000000"),
        ("13800000000", "13800000000"),
    ],
)
def test_contacts_are_stored_in_one_form(typed, stored):
    assert normalise_contact(typed) == stored


def test_the_admin_lists_messages_with_their_consent(superuser_client, client):
    post_contact(client)
    message = ContactMessage.objects.get()

    _response, html = get_page(superuser_client, f"/admin/compliance/contactmessage/{message.pk}/change/")

    assert "隐私政策第1版" in html.find("div", class_="field-consent").text
    assert html.find("textarea", attrs={"name": "message"}) is None, "what the visitor wrote is not edited"
