"""Notices that expire: from `unpublish_at` on, an article is on no public page, feed, sitemap,
search or count, with no job running, and cached pages start afresh at that moment."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.cache import content_version
from news.models import Article, next_scheduled_change
from tests.factories import ArticleFactory, OfficeFactory
from tests.news.pages import url_of
from tests.news.test_visibility import titles_on

pytestmark = pytest.mark.django_db
NOW = timezone.now()
EXPIRES = NOW + datetime.timedelta(minutes=30)
AFTER = EXPIRES + datetime.timedelta(seconds=1)
TITLE = "停电检修通知考评"

PAGES = [
    "/",
    "/news/",
    "/en/news/",
    "/news/category/industry-news/",
    "/news/?q=停电",
    "/search/?q=停电检修",
    "/offices/wuzhong/",
]


@pytest.fixture
def notice():
    article = ArticleFactory(
        title_zh_hans=TITLE, title_en="", published_at=NOW - datetime.timedelta(days=1), unpublish_at=EXPIRES
    )
    office = OfficeFactory(slug="wuzhong")
    article.offices.add(office)
    lasting = ArticleFactory(
        title_zh_hans="长期有效的停电检修考评新闻", title_en="", published_at=NOW - datetime.timedelta(days=2)
    )
    lasting.offices.add(office)
    return article


def test_an_expiring_notice_disappears_from_every_public_place_at_its_time(client, notice, page_cache):
    with time_machine.travel(NOW):
        for url in PAGES:
            assert TITLE in titles_on(client, url), url
        assert TITLE in titles_on(client, "/news/feed/")
        assert f"/news/{notice.pk}/" in titles_on(client, "/sitemap-news.xml")
        assert client.get("/news/").headers["X-Page-Cache"] == "hit"
        assert client.get(url_of(notice)).status_code == 200
        assert Article.objects.published().count() == 2

    with time_machine.travel(AFTER):
        assert TITLE not in titles_on(client, "/news/"), "the cached list starts afresh when the notice expires"
        for url in PAGES:
            assert TITLE not in titles_on(client, url), url
            assert "长期有效的停电检修考评新闻" in titles_on(client, url), f"{url} still lists what has not expired"
        assert TITLE not in titles_on(client, "/news/feed/")
        assert TITLE not in titles_on(client, "/news/feed/atom/")
        assert f"/news/{notice.pk}/" not in titles_on(client, "/sitemap-news.xml")
        assert client.get(url_of(notice)).status_code == 404
        assert Article.objects.published().count() == 1
        notice.refresh_from_db()
        assert notice.is_expired and not notice.is_published


def test_the_page_cache_is_told_the_instant(notice, page_cache):
    with time_machine.travel(NOW):
        assert next_scheduled_change() == EXPIRES
        version = content_version()
    with time_machine.travel(AFTER):
        assert content_version() != version


def test_unpublish_at_must_follow_publish_at():
    article = ArticleFactory.build(published_at=NOW, unpublish_at=NOW - datetime.timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        article.clean()
    assert "unpublish_at" in error.value.message_dict
