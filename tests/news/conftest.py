import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from alliance_site.demo import DemoLoader
from alliance_site.groups import EDITORS
from news.models import Article
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing a real password takes a second; these tests sign in with force_login."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in Simplified Chinese; a request in another language switches it (LocaleMiddleware)."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(scope="module")
def demo_for_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content, loaded once for a test module and rolled back after it.

    Loading encodes the seed photos in every web size, which takes seconds; each test still
    runs in a transaction of its own inside this one (request `seed_article`).
    """
    with (
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        DemoLoader(log=lambda message: None).load()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seed_article(demo_for_module, db):
    """The alliance's Wuzhong founding article, as load_demo creates it."""
    return Article.objects.get(title_zh_hans__startswith="吴中区办事处成立大会")


@pytest.fixture
def editor(db):
    """A member of the Editors group (created by a migration), with nothing else."""
    return UserFactory(groups=[EDITORS])


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
