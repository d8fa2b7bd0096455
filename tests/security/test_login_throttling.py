"""Brute force against the admin sign-in: a username is locked from an address after a few failures."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

PASSWORD = "a-good-long-password"


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def signed_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", groups=["Editors"])


def fail_until_locked(client, username="editor", address="203.0.113.7"):
    responses = [sign_in(client, username, "wrong-password", address) for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert all(response.status_code == 200 for response in responses[:-1]), "a plain form error before the limit"
    return responses[-1]


def assert_locked_page(response):
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已锁定" in page or "Sign-in locked" in page
    assert 'name="password"' not in page


def test_a_username_is_locked_from_an_address_after_the_failure_limit(editor, client):
    assert settings.AXES_FAILURE_LIMIT <= 5
    assert_locked_page(fail_until_locked(client))
    # Locked: even the right password does not open the admin, and says nothing about it.
    response = sign_in(client, "editor", PASSWORD)
    assert_locked_page(response)
    assert not signed_in(response)


def test_the_lock_is_per_username_and_address(editor, client):
    UserFactory(username="colleague")
    fail_until_locked(client)
    assert signed_in(sign_in(Client(), "editor", PASSWORD, address="198.51.100.20")), "another address"
    assert signed_in(sign_in(Client(), "colleague", PASSWORD)), "another user from the same address"


def test_the_lock_clears_after_the_cool_off(editor, client):
    fail_until_locked(client)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1, minutes=1)):
        assert signed_in(sign_in(Client(), "editor", PASSWORD))


def test_an_administrator_unlocks_a_user_with_the_documented_command(editor, client):
    fail_until_locked(client)
    assert_locked_page(sign_in(client, "editor", PASSWORD))
    call_command("axes_reset_username", "editor")
    assert signed_in(sign_in(Client(), "editor", PASSWORD))
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    assert "axes_reset_username USERNAME" in readme


def test_a_success_before_the_limit_starts_the_count_again(editor, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "editor", "wrong-password")
    assert signed_in(sign_in(Client(), "editor", PASSWORD))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(Client(), "editor", "wrong-password").status_code == 200
    assert signed_in(sign_in(Client(), "editor", PASSWORD))
