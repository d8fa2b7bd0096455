import pytest
from django.db import transaction
from django.test import override_settings

from alliance_site.demo import DemoLoader
from news.models import Article


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
