import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nothing here tests the password hash itself; a fast one keeps the many sign-ins quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
