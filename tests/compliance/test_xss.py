"""The XSS corpus through every new text field: site settings (footer, about), privacy policy versions,
and what visitors type into the contact form (its page, the admin, the e-mail)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.models import ContactMessage, PrivacyPolicy, SiteSettings
from tests.factories import PrivacyPolicyFactory, SiteSettingsFactory, UserFactory
from tests.news.pages import form_data, get_page, parse_html
from tests.security.markup import live_markup
from tests.security.test_xss import LANGUAGE_PREFIXES, assert_no_live_markup, field_values, packed, rounds_needed

pytestmark = pytest.mark.django_db

CONTACT_FIELDS = {"name": 100, "organisation": 200, "message": 5000}


def test_payloads_in_the_settings_and_the_policy_never_reach_a_page_as_live_markup(client):
    settings = SiteSettingsFactory()
    policy = PrivacyPolicyFactory()
    problems = []
    for round_number in range(rounds_needed(SiteSettings, PrivacyPolicy)):
        for instance in (settings, policy):
            for name, value in field_values(type(instance), round_number).items():
                setattr(instance, name, value)
            instance.save()
        prefix = LANGUAGE_PREFIXES[round_number % len(LANGUAGE_PREFIXES)]
        for url in ("/", "/about/", "/privacy/", "/contact/"):
            response = assert_no_live_markup(client, prefix + url, problems)
        html = parse_html(response.content)
        assert html.find("a", class_="icp-record").text == settings.icp_number
    assert not problems, "\n".join(problems[:20])


def test_payloads_in_the_settings_and_policy_never_reach_an_admin_page_as_live_markup(client):
    client.force_login(UserFactory(is_superuser=True))
    settings, policy = SiteSettingsFactory(), PrivacyPolicyFactory(published_at=None)
    problems = []
    for round_number in range(3):
        for instance in (settings, policy):
            for name, value in field_values(type(instance), round_number * 23).items():
                setattr(instance, name, value)
            instance.save()
        for url in (
            reverse("admin:compliance_sitesettings_change", args=[1]),
            reverse("admin:compliance_sitesettings_history", args=[1]),
            reverse("admin:compliance_privacypolicy_changelist"),
            reverse("admin:compliance_privacypolicy_change", args=[policy.pk]),
        ):
            assert_no_live_markup(client, url, problems)
    assert not problems, "\n".join(problems[:20])


def test_payloads_typed_into_the_contact_form_are_stored_as_typed_and_shown_inert(client, mailoutbox):
    SiteSettingsFactory()  # the secretariat's e-mail address
    admin = UserFactory(is_superuser=True)
    rounds = max(len(packed(length)) for length in CONTACT_FIELDS.values())
    problems = []
    for round_number in range(rounds):
        typed = {name: packed(length)[round_number % len(packed(length))] for name, length in CONTACT_FIELDS.items()}
        _response, html = get_page(client, "/contact/")
        data = {name: values[-1] for name, values in form_data(html, "contact-form").items()}
        data.update(typed, contact="13800000000", consent="on")
        response = client.post("/contact/", data, REMOTE_ADDR=f"10.0.{round_number // 250}.{round_number % 250}")
        assert response.status_code == 302, parse_html(response.content).select(".errorlist")
        message = ContactMessage.objects.latest("pk")
        for name, value in typed.items():
            expected = " ".join(value.split()) if name == "name" else value.strip()
            assert getattr(message, name) == expected, name
        assert typed["message"].strip() in mailoutbox[-1].body
        # Typed into a form shown again with errors (no consent): the page keeps it as text.
        refused = client.post("/contact/", {**data, "consent": ""}, REMOTE_ADDR=f"10.9.0.{round_number % 250}")
        problems += [f"refused form: {p}" for p in live_markup_refused(refused)]
        client.force_login(admin)
        for url in (
            reverse("admin:compliance_contactmessage_changelist"),
            reverse("admin:compliance_contactmessage_change", args=[message.pk]),
        ):
            assert_no_live_markup(client, url, problems)
        client.logout()
    assert not problems, "\n".join(problems[:20])
    assert ContactMessage.objects.filter(received_at__lte=timezone.now()).count() == rounds


def live_markup_refused(response):
    assert response.status_code == 200
    return live_markup(response)
