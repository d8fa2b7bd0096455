"""Faults: the database or the cache going away costs visitors a friendly page at worst, never a traceback."""

import pytest
from django.test import Client
from django.urls import reverse
from redis.exceptions import RedisError

from news.counting import flush_view_counts
from news.models import Article, PendingView
from tests.factories import ArticleFactory, OfficeFactory, OrganisationFactory
from tests.outages import database_unreachable
from tests.security.live import BROWSER


def public_urls(article, office, organisation):
    return [
        reverse("home"),
        reverse("news:article-list"),
        article.get_absolute_url(),
        reverse("offices:office-list"),
        office.get_absolute_url(),
        reverse("members:directory"),
        organisation.get_absolute_url(),
        reverse("search") + "?q=苏州",
        reverse("news:feed-rss"),
        reverse("sitemap"),
        "/en/news/",
    ]


def assert_friendly_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "网站正在维护，请稍后再试" in page
    assert "Temporarily unavailable" in page
    assert "Traceback" not in page and "OperationalError" not in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("cached", [False, True], ids=["page-cache-off", "page-cache-empty"])
def test_database_down_gives_the_friendly_503_and_the_site_recovers_without_restart(cached, settings):
    settings.PAGE_CACHE_ENABLED = cached
    urls = public_urls(ArticleFactory(), OfficeFactory(), OrganisationFactory())
    visitor = Client(raise_request_exception=False, HTTP_USER_AGENT=BROWSER)
    with database_unreachable():
        for url in urls:
            assert_friendly_503(visitor.get(url))
        health = visitor.get(reverse("healthz"))
        assert health.status_code == 503
        assert health.json()["database"].startswith("error")
    for url in urls:
        assert visitor.get(url).status_code == 200, url
    assert visitor.get(reverse("healthz")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_admin_answers_503_while_the_database_is_down(admin_client):
    admin_client.raise_request_exception = False
    with database_unreachable():
        assert_friendly_503(admin_client.get(reverse("admin:news_article_changelist")))


@pytest.fixture
def redis_down(settings):
    """The cache is Redis on a port where nothing listens, until the test ends."""
    working_caches = settings.CACHES
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    settings.PAGE_CACHE_ENABLED = True
    yield
    settings.CACHES = working_caches


@pytest.mark.django_db
def test_redis_down_the_site_serves_from_the_database_and_still_counts_views(redis_down, caplog):
    article = ArticleFactory()
    urls = public_urls(article, OfficeFactory(), OrganisationFactory())
    visitor = Client(HTTP_USER_AGENT=BROWSER)
    for url in urls:
        response = visitor.get(url)
        assert response.status_code == 200, url
    views = 5
    shown = [visitor.get(article.get_absolute_url(), REMOTE_ADDR=f"10.0.0.{n}").content.decode() for n in range(views)]
    assert f'<data class="view-count" value="{views + 1}">' in shown[-1]
    assert PendingView.objects.filter(article=article).count() == views + 1
    assert visitor.get(reverse("healthz")).json()["cache"].startswith("error")
    with pytest.raises(RedisError):  # the flush job fails, so its scheduler hears of the outage ...
        flush_view_counts()
    # ... after adding the views counted in the database.
    assert Article.objects.get(pk=article.pk).view_count == views + 1
    assert not PendingView.objects.exists()
