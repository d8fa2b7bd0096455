import os
import shutil

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation

from compliance.models import SITE_SETTINGS_CACHE_KEY, SiteSettings
from core.groups import EDITORS, ROSTER_STAFF
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads of each test go to a folder of their own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield settings.MEDIA_ROOT
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def clear_cache():
    """Empty this run's cache. On Redis only the keys under this run's prefix go: cache.clear() would
    empty the whole Redis database, which other runs may be using."""
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Each test starts with an empty cache and without the page and fragment caches, unless it asks for them.

    The site settings (every page's footer) are cached as a site without settings has them, as in
    production between two saves of the settings: a page's queries are its own. Saving settings
    drops the cached copy.
    """
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = False
    clear_cache()
    cache.set(SITE_SETTINGS_CACHE_KEY, SiteSettings(pk=1), timeout=None)
    yield
    clear_cache()


@pytest.fixture(scope="session")
def live_postgres():
    """The URL of a PostgreSQL database of this run's own, on the TEST_POSTGRES_URL server (see
    tests/services.py), dropped when the run ends."""
    from tests import services

    url = services.create_postgres_database()
    yield url
    services.drop_postgres_database(url)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Staff users are made in many tests; a slow, secure hash of their password tests nothing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request to /en/ leaves English active in the thread,
    and URLs reversed afterwards would carry its prefix."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def page_cache(settings, django_capture_on_commit_callbacks):
    """The page cache and the fragment cache on, with invalidations (run on commit) applied as they
    would be in production."""
    settings.PAGE_CACHE_ENABLED = True
    settings.FRAGMENT_CACHE_ENABLED = True
    return django_capture_on_commit_callbacks


@pytest.fixture
def fragment_cache(settings, django_capture_on_commit_callbacks):
    """The fragment cache on and the page cache off (as for a signed-in visitor), with invalidations
    (run on commit) applied as they would be in production."""
    settings.FRAGMENT_CACHE_ENABLED = True
    return django_capture_on_commit_callbacks


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content, loaded once per run and kept as rows and files (tests/demo_content.py)."""
    from tests.demo_content import DemoSnapshot

    with django_db_blocker.unblock():
        return DemoSnapshot.make(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo(db, demo_snapshot, media_root):
    """The demo content, as `load_demo` creates it, photos and their renditions included."""
    demo_snapshot.restore(media_root)


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def editor(db):
    """A member of the Editors group (created by a migration), with nothing else."""
    return UserFactory(groups=[EDITORS])


@pytest.fixture
def roster_staff(db):
    """A member of the Roster staff group (created by a migration), with nothing else."""
    return UserFactory(groups=[ROSTER_STAFF])


@pytest.fixture
def editor_client(client, editor):
    return signed_in(client, editor)


@pytest.fixture
def roster_client(client, roster_staff):
    return signed_in(client, roster_staff)


@pytest.fixture
def superuser_client(client, db):
    return signed_in(client, UserFactory(is_superuser=True))


def in_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}
