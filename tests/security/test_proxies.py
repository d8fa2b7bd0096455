"""Behind the reverse proxy: a visitor's address and the HTTPS redirect, whatever headers a client sends.

Only a connection from one of TRUSTED_PROXIES may tell the site who the client is
(X-Forwarded-For) or that the client used HTTPS (X-Forwarded-Proto). A client's own
X-Forwarded-* headers count for nothing, in Django and in gunicorn alike.
"""

import pytest
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.test import Client, RequestFactory

from core.clients import client_ip
from tests.alliance_site.test_foundation import STRONG_KEY, run_manage
from tests.factories import UserFactory
from tests.security.live import Gunicorn, site_environment
from tests.security.test_login_throttling import PASSWORD, assert_locked_page, signed_in

PROXY = "10.0.0.5"
VISITOR = "203.0.113.7"
EDITOR_ADDRESS = "198.51.100.20"


def request_from(address, forwarded_for=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=address, **headers)


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("127.0.0.1", forwarded_for=VISITOR)) == "127.0.0.1"
    assert client_ip(request_from(PROXY, forwarded_for=VISITOR)) == PROXY


def test_x_forwarded_for_from_a_trusted_proxy_names_the_client(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(request_from(PROXY, forwarded_for=VISITOR)) == VISITOR
    assert client_ip(request_from(PROXY)) == PROXY, "a request the proxy made itself"


def test_a_forged_x_forwarded_for_from_elsewhere_is_ignored(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(request_from(VISITOR, forwarded_for=EDITOR_ADDRESS)) == VISITOR


def test_addresses_a_client_puts_before_the_proxys_entry_are_ignored(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    # The client sent "X-Forwarded-For: 198.51.100.20"; the proxy appended the address it saw.
    assert client_ip(request_from(PROXY, forwarded_for=f"{EDITOR_ADDRESS}, {VISITOR}")) == VISITOR
    assert client_ip(request_from(PROXY, forwarded_for=f"not-an-address, {VISITOR}")) == VISITOR


def test_a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "2001:db8::/32"]
    chain = f"{EDITOR_ADDRESS}, {VISITOR}, 2001:db8::7, 10.0.0.9"
    assert client_ip(request_from(PROXY, forwarded_for=chain)) == VISITOR
    assert client_ip(request_from(PROXY, forwarded_for="10.0.0.8, 10.0.0.9")) == "10.0.0.8"


def test_an_entry_that_is_no_address_stops_at_the_proxy_that_passed_it_on(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(request_from(PROXY, forwarded_for="unknown")) == PROXY
    assert client_ip(request_from(PROXY, forwarded_for="")) == PROXY


def test_sign_in_throttling_counts_the_same_address(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert get_client_ip_address(request_from(PROXY, forwarded_for=VISITOR)) == VISITOR
    assert get_client_ip_address(request_from(VISITOR, forwarded_for=EDITOR_ADDRESS)) == VISITOR


def test_the_settings_refuse_a_trusted_proxy_that_is_no_address():
    result = run_manage("check", DEBUG="1", TRUSTED_PROXIES="10.0.0.5,proxy.example.org")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr


def sign_in_through(client, username, password, visitor, proxy=PROXY):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=visitor,
    )


@pytest.fixture
def editor(db, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    return UserFactory(username="editor", groups=["Editors"])


def test_wrong_passwords_from_one_visitor_never_lock_the_editor_out_at_another_address(editor):
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_through(attacker, "editor", "wrong-password", VISITOR)
    assert_locked_page(sign_in_through(attacker, "editor", PASSWORD, VISITOR))
    assert signed_in(sign_in_through(Client(), "editor", PASSWORD, EDITOR_ADDRESS))


def test_a_forged_address_does_not_escape_the_lock(editor):
    """From outside the proxy, a new X-Forwarded-For on every attempt is still the same address."""
    attacker = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in_through(attacker, "editor", "wrong-password", f"192.0.2.{attempt}", proxy=VISITOR)
    assert_locked_page(sign_in_through(attacker, "editor", PASSWORD, "192.0.2.200", proxy=VISITOR))
    assert signed_in(sign_in_through(Client(), "editor", PASSWORD, EDITOR_ADDRESS))


def test_a_request_claiming_https_from_elsewhere_than_the_proxy_is_redirected(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    claims_https = {"HTTP_X_FORWARDED_PROTO": "https"}
    response = client.get("/robots.txt", REMOTE_ADDR=VISITOR, **claims_https)
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/robots.txt"
    response = client.get("/robots.txt", REMOTE_ADDR=PROXY, **claims_https)
    assert response.status_code == 200
    assert "Sitemap: https://testserver" in response.content.decode()


@pytest.fixture
def production_gunicorn(tmp_path):
    """Start gunicorn (gunicorn.conf.py, production settings) with TRUSTED_PROXIES as given."""

    def start(trusted_proxies):
        environment = site_environment(
            f"sqlite:///{tmp_path / 'site.sqlite3'}",
            "locmem://",
            media_root=tmp_path / "media",
            DEBUG="0",
            SECRET_KEY=STRONG_KEY,
            ALLOWED_HOSTS="127.0.0.1",
            TRUSTED_PROXIES=trusted_proxies,
            PAGE_CACHE_ENABLED="0",  # robots.txt then needs no tables: no migrations to wait for
        )
        return Gunicorn(environment, workers=1, threads=1, ready_status=301)

    return start


def assert_redirected_to_https(server, headers):
    status, response_headers, _ = server.request("/robots.txt", headers)
    assert (status, response_headers["Location"]) == (301, f"https://127.0.0.1:{server.port}/robots.txt"), headers


def assert_served_as_https(server, headers):
    status, response_headers, body = server.request("/robots.txt", headers)
    assert status == 200, headers
    assert response_headers["Strict-Transport-Security"].startswith("max-age=")
    assert f"Sitemap: https://127.0.0.1:{server.port}/sitemap.xml" in body.decode()


CLAIMS_HTTPS = [
    {"X-Forwarded-Proto": "https"},
    {"X-Forwarded-Ssl": "on"},
    {"X-Forwarded-Protocol": "ssl"},
]


def test_without_a_trusted_proxy_a_client_claiming_https_is_redirected(production_gunicorn):
    with production_gunicorn("") as server:
        for headers in CLAIMS_HTTPS:
            assert_redirected_to_https(server, headers)


def test_a_proxy_at_another_address_does_not_make_a_local_client_trusted(production_gunicorn):
    with production_gunicorn("192.0.2.10") as server:
        for headers in CLAIMS_HTTPS:
            assert_redirected_to_https(server, headers)


def test_the_trusted_proxy_is_believed_about_x_forwarded_proto_only(production_gunicorn):
    with production_gunicorn("127.0.0.1,::1") as server:
        assert_served_as_https(server, {"X-Forwarded-Proto": "https"})
        assert_redirected_to_https(server, {})
        assert_redirected_to_https(server, {"X-Forwarded-Proto": "http"})
        for headers in CLAIMS_HTTPS[1:]:
            assert_redirected_to_https(server, headers)


def test_the_readme_documents_the_trusted_proxies_and_the_lockout_rule():
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    configuration = readme.split("## Configuration")[1].split("## Production deployment")[0]
    deployment = readme.split("## Production deployment")[1].split("## Architecture")[0]
    assert "| `TRUSTED_PROXIES` |" in configuration
    assert "TRUSTED_PROXIES" in deployment and "forwarded_allow_ips" in deployment
    assert "per username *and* visitor address" in deployment
