"""/privacy/: the version in force in each language, its history in the admin, on time when scheduled."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from compliance.models import PrivacyPolicy
from tests.factories import PrivacyPolicyFactory
from tests.news.pages import get_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "title", "said"),
    [
        ("/privacy/", "隐私政策", "苏州市工业互联网产业联盟秘书处"),
        ("/en/privacy/", "Privacy policy", "The secretariat of the Suzhou Industrial Internet Industry Alliance"),
        ("/zh-hant/privacy/", "隱私政策", "蘇州市工業互聯網產業聯盟祕書處"),
    ],
)
def test_the_policy_in_force_in_each_language(client, url, title, said):
    _response, html = get_page(client, url)

    assert html.find("h1").text == title
    assert said in html.find("div", class_="policy-body").text
    assert len(html.find("div", class_="policy-body").find_all("p")) >= 8


def test_a_scheduled_version_replaces_the_page_on_time(client, page_cache):
    soon = timezone.now() + datetime.timedelta(hours=1)
    with page_cache(execute=True):
        PrivacyPolicyFactory(published_at=soon, body_zh_hans="第二版的新内容。")
    assert "第二版" not in client.get("/privacy/").content.decode()
    assert client.get("/privacy/").headers["X-Page-Cache"] == "hit"

    with time_machine.travel(soon + datetime.timedelta(seconds=1)):
        _response, html = get_page(client, "/privacy/")
        assert "第二版的新内容。" in html.find("div", class_="policy-body").text
        assert "第2版" in html.find("p", class_="article-meta").text


def test_no_version_in_force_is_a_404(client):
    PrivacyPolicy.objects.update(published_at=None)
    assert client.get("/privacy/").status_code == 404


def test_the_page_costs_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/privacy/")
    PrivacyPolicyFactory.create_batch(5)
    with django_assert_num_queries(1):
        client.get("/privacy/")


def test_a_version_in_force_is_read_only_in_the_admin_and_a_draft_is_not(superuser_client):
    in_force = PrivacyPolicy.objects.get(version=1)
    draft = PrivacyPolicyFactory(published_at=None)

    _response, html = get_page(superuser_client, f"/admin/compliance/privacypolicy/{in_force.pk}/change/")
    assert html.find("textarea", attrs={"name": "body_zh_hans"}) is None
    _response, html = get_page(superuser_client, f"/admin/compliance/privacypolicy/{draft.pk}/change/")
    assert html.find("textarea", attrs={"name": "body_zh_hans"}) is not None

    _response, html = get_page(superuser_client, "/admin/compliance/privacypolicy/add/")
    assert html.find("input", attrs={"name": "version"})["value"] == "3"


def test_a_new_version_saved_in_the_admin_is_in_the_history(superuser_client):
    response = superuser_client.post(
        "/admin/compliance/privacypolicy/add/",
        {
            "version": "2",
            "title_zh_hans": "隐私政策",
            "title_en": "Privacy policy",
            "body_zh_hans": "第二版。",
            "body_en": "Version 2.",
            "published_at_0": "2020-01-01",
            "published_at_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = PrivacyPolicy.objects.get(version=2)
    assert policy.body_zh_hant == "第二版。"
    _response, html = get_page(superuser_client, f"/admin/compliance/privacypolicy/{policy.pk}/history/")
    assert html.find("table", id="change-history") is not None
    assert PrivacyPolicy.objects.current().version == 2
