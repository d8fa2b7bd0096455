"""The consent component: an unticked box, refused without it, the policy version kept with the submission."""

import datetime

import pytest
import time_machine
from django.db.models import ProtectedError
from django.template.loader import render_to_string
from django.utils import timezone, translation

from compliance.forms import ContactForm
from compliance.models import ContactMessage, PrivacyPolicy
from tests.factories import PrivacyPolicyFactory
from tests.news.pages import parse_html

pytestmark = pytest.mark.django_db

GOOD = {"name": "王小明", "organisation": "苏州某公司", "contact": "wang@example.com", "message": "请问如何入会？"}


def submit(data, language="zh-hans"):
    """The contact form bound to `data` in `language`, validated; the message saved when valid."""
    with translation.override(language):
        form = ContactForm(data=data)
        valid = form.is_valid()
        saved = form.save() if valid else None
    return form, saved


def rendered_box(form, language="zh-hans"):
    with translation.override(language):
        return parse_html(render_to_string("compliance/includes/consent.html", {"form": form}))


def test_a_fresh_site_has_version_1_in_force_in_three_languages():
    policy = PrivacyPolicy.objects.current()
    assert policy.version == 1
    assert policy.title_zh_hans == "隐私政策"
    assert policy.title_zh_hant == "隱私政策"
    assert policy.title_en == "Privacy policy"
    for required in ("秘书处", "目的", "保存期限", "权利", "撤回同意"):
        assert required in policy.body_zh_hans
    for required in ("secretariat", "Why", "How long", "rights", "withdraw"):
        assert required in policy.body_en
    assert "祕書處" in policy.body_zh_hant or "秘書處" in policy.body_zh_hant


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("zh-hans", "请勾选同意隐私政策"),
        ("en", "Please tick the box to agree to the privacy policy."),
        ("zh-hant", "請勾選同意隱私政策"),
    ],
)
def test_without_consent_nothing_is_saved_and_the_visitor_is_told_why(language, message):
    form, saved = submit(GOOD, language)

    assert saved is None
    assert ContactMessage.objects.count() == 0
    with translation.override(language):
        assert message in form.errors["consent"][0]
    assert message in rendered_box(form, language).find("ul", class_="errorlist").text


def test_a_submission_records_the_time_and_the_policy_version_agreed_to():
    moment = timezone.now().replace(microsecond=0)
    with time_machine.travel(moment, tick=False):
        _form, saved = submit({**GOOD, "consent": "on", "consent_version": "1"})

    stored = ContactMessage.objects.get(pk=saved.pk)
    assert stored.consent_policy.version == 1
    assert stored.consent_given_at == moment


def test_later_submissions_record_a_new_version_and_earlier_ones_keep_theirs():
    _form, before = submit({**GOOD, "consent": "on", "consent_version": "1"})
    PrivacyPolicyFactory()  # version 2, in force
    PrivacyPolicyFactory(published_at=timezone.now() + datetime.timedelta(days=1))  # version 3, not yet

    _form, after = submit({**GOOD, "consent": "on", "consent_version": "2"})

    assert ContactMessage.objects.get(pk=before.pk).consent_policy.version == 1
    assert ContactMessage.objects.get(pk=after.pk).consent_policy.version == 2


def test_consent_to_a_version_no_longer_in_force_is_asked_for_again():
    PrivacyPolicyFactory()  # version 2 published after the form showed version 1

    form, saved = submit({**GOOD, "consent": "on", "consent_version": "1"})
    box = rendered_box(form)

    assert saved is None
    assert "隐私政策已更新" in box.find("ul", class_="errorlist").text
    assert box.find("input", attrs={"name": "consent"}).get("checked") is None
    assert box.find("input", attrs={"name": "consent_version"})["value"] == "2"


def test_no_policy_in_force_no_submission():
    PrivacyPolicy.objects.update(published_at=timezone.now() + datetime.timedelta(days=1))

    form, saved = submit({**GOOD, "consent": "on"})

    assert saved is None
    assert form.non_field_errors()


@pytest.mark.parametrize(("language", "privacy_url"), [("zh-hans", "/privacy/"), ("en", "/en/privacy/")])
def test_the_box_is_unticked_links_the_policy_and_says_purpose_retention_and_rights(language, privacy_url):
    with translation.override(language):
        form = ContactForm()
    box = rendered_box(form, language)

    checkbox = box.find("input", attrs={"name": "consent"})
    assert checkbox["type"] == "checkbox"
    assert checkbox.get("checked") is None
    assert "required" in checkbox.attrs
    label = box.find("label", attrs={"for": checkbox["id"]})
    assert label.find("a")["href"] == privacy_url
    notice = box.find(id=checkbox["aria-describedby"])
    if language == "en":
        assert "version 1" in label.text
        for said in ("secretariat", "to answer your message", "for two years from receipt", "withdraw"):
            assert said in notice.text
    else:
        assert "第1版" in label.text
        for said in ("秘书处", "答复您的留言", "自收到之日起保存两年", "撤回"):
            assert said in notice.text
    assert box.find("input", attrs={"name": "consent_version"})["value"] == "1"


def test_a_version_someone_agreed_to_cannot_be_deleted():
    submit({**GOOD, "consent": "on"})

    with pytest.raises(ProtectedError):
        PrivacyPolicy.objects.get(version=1).delete()


def test_the_version_in_force_is_the_highest_published():
    now = timezone.now()
    PrivacyPolicyFactory(published_at=now + datetime.timedelta(hours=1))

    assert PrivacyPolicy.objects.current(now).version == 1
    assert PrivacyPolicy.objects.current(now + datetime.timedelta(hours=2)).version == 2
    assert PrivacyPolicy.objects.next_publication(now) == now + datetime.timedelta(hours=1)
