"""Security headers on every kind of response, and the production settings that only DEBUG=0 turns on."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.alliance_site.test_foundation import STRONG_KEY, run_manage
from tests.factories import ArticleFactory, OfficeFactory, OrganisationFactory, UserFactory
from tests.outages import database_unreachable


def assert_security_headers(response, public=True):
    policy = response.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives.get("frame-ancestors") == ["'none'"], policy
    assert directives.get("object-src") == ["'none'"], policy
    assert directives.get("base-uri") == ["'self'"], policy
    assert "'unsafe-inline'" not in directives.get("script-src", []), policy
    assert "'unsafe-eval'" not in directives.get("script-src", []), policy
    if public:
        assert directives.get("script-src") == ["'self'"], policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.fixture
def site(db):
    article = ArticleFactory()
    return {"article": article, "office": OfficeFactory(), "organisation": OrganisationFactory()}


def public_urls(site):
    return [
        reverse("home"),
        reverse("news:article-list"),
        site["article"].get_absolute_url(),
        site["article"].category.get_absolute_url(),
        reverse("offices:office-list"),
        site["office"].get_absolute_url(),
        reverse("members:directory"),
        site["organisation"].get_absolute_url(),
        reverse("search") + "?q=测试",
        "/en/news/",
        "/zh-hant/",
        reverse("news:feed-rss"),
        reverse("news:feed-atom"),
        reverse("sitemap"),
        reverse("robots"),
        reverse("healthz"),
        "/no-such-page/",
        f"/news/{site['article'].pk}/old-slug/",
    ]


def test_every_public_response_carries_the_security_headers(site, client):
    for url in public_urls(site):
        response = client.get(url)
        assert response.status_code in (200, 301, 404), url
        assert_security_headers(response)


def test_pages_served_from_the_page_cache_carry_the_security_headers(site, client, page_cache):
    url = reverse("news:article-list")
    assert client.get(url)["X-Page-Cache"] == "miss"
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert_security_headers(response)


def test_admin_responses_carry_the_security_headers_and_a_nonce_for_the_editor(site, client):
    assert_security_headers(client.get(reverse("admin:login")), public=False)
    client.force_login(UserFactory(is_superuser=True))
    for url in [
        reverse("admin:index"),
        reverse("admin:news_article_changelist"),
        reverse("admin:news_article_change", args=[site["article"].pk]),
        reverse("admin:news_article_add"),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert_security_headers(response, public=False)
    assert "'nonce-" in response["Content-Security-Policy"]


@pytest.mark.django_db(transaction=True)
def test_database_error_pages_carry_the_security_headers():
    with database_unreachable():
        response = Client(raise_request_exception=False).get(reverse("news:article-list"))
    assert response.status_code == 503
    assert_security_headers(response)


PRODUCTION_PROBE = """
import json
from django.conf import settings
from django.test import Client, override_settings
# No collectstatic here: static URLs without the manifest; everything else as in production.
plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain_static}).enable()
client = Client(HTTP_HOST="example.org")
plain = client.get("/robots.txt")
secure = client.get("/robots.txt", secure=True)
login = client.get("/admin/login/", secure=True)
csrf = login.cookies["csrftoken"]
print(json.dumps({
    "redirect": [plain.status_code, plain.get("Location")],
    "hsts": secure.get("Strict-Transport-Security"),
    "csrf_cookie": {"secure": bool(csrf["secure"]), "httponly": bool(csrf["httponly"]), "samesite": csrf["samesite"]},
    "session_cookie": [
        settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY, settings.SESSION_COOKIE_SAMESITE
    ],
}))
"""


def test_production_settings_turn_on_https_hsts_and_secure_cookies(tmp_path):
    result = run_manage(
        "shell",
        "-c",
        PRODUCTION_PROBE,
        DEBUG="0",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'probe.sqlite3'}",
        PAGE_CACHE_ENABLED="0",
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["redirect"] == [301, "https://example.org/robots.txt"]
    assert probe["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert probe["csrf_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert probe["session_cookie"] == [True, True, "Lax"]
