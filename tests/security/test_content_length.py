"""Every page is served whole: Content-Length and ETag describe the body as sent, view count included."""

import http.client
import re

import pytest
from django.test import Client
from django.urls import reverse

from news.models import PendingView
from tests.factories import ArticleFactory, OfficeFactory, OrganisationFactory, give_views
from tests.security.live import BROWSER, Gunicorn, manage, site_environment
from tests.services import delete_redis_keys, redis_key_prefix, redis_url

# Views shown at rendering, 1 to 7 digits: stored and pending parts, and the next view adds a digit.
SHOWN = [9, 99, 999, 9_999, 99_999, 999_999, 9_999_999]
VIEW_COUNT = re.compile(rb'<data class="view-count" value="(\d+)">(\d+)</data>')


def public_pages(article, office, organisation):
    return [
        reverse("home"),
        reverse("news:article-list"),
        article.category.get_absolute_url(),
        article.get_absolute_url(),
        "/en" + article.get_absolute_url(),
        reverse("offices:office-list"),
        office.get_absolute_url(),
        reverse("members:directory"),
        organisation.get_absolute_url(),
        reverse("search") + "?q=测试",
        reverse("news:feed-rss"),
        reverse("news:feed-atom"),
        reverse("sitemap"),
        "/sitemap-news.xml",
    ]


def visitor(n):
    return Client(headers={"User-Agent": BROWSER}, REMOTE_ADDR=f"10.2.0.{n}")


def assert_whole(response, url):
    assert response.status_code == 200, url
    assert int(response["Content-Length"]) == len(response.content), url
    assert response.content.rstrip().endswith((b"</html>", b"</rss>", b"</feed>", b"</urlset>", b"</sitemapindex>")), (
        url
    )


@pytest.mark.django_db
@pytest.mark.parametrize("cached", [False, True], ids=["uncached", "cached"])
@pytest.mark.parametrize("views", SHOWN)
def test_content_length_is_the_body_length_on_every_public_page(settings, cached, views):
    # Pending views as rows: the counter without Redis, whatever cache the run is configured with.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PAGE_CACHE_ENABLED = cached
    article = ArticleFactory()
    pending = min(views, 4)
    give_views(article, views - pending)
    PendingView.objects.bulk_create([PendingView(article=article)] * pending)
    urls = public_pages(article, OfficeFactory(), OrganisationFactory())
    etags = {}
    for n, url in enumerate(urls):
        for client in (visitor(n), visitor(n), Client()):  # a new visitor, a reload, a crawler
            response = client.get(url)
            assert_whole(response, url)
            etags.setdefault(response["ETag"], set()).add(response.content)
    assert all(len(bodies) == 1 for bodies in etags.values()), "one ETag, one body"
    article_page = visitor(99).get(article.get_absolute_url())
    assert_whole(article_page, "article")
    assert VIEW_COUNT.search(article_page.content).groups() == (str(views + 3).encode(),) * 2


@pytest.mark.django_db
def test_a_head_request_announces_the_length_of_the_get(settings):
    settings.PAGE_CACHE_ENABLED = True
    article = ArticleFactory()
    give_views(article, 9)
    url = article.get_absolute_url()
    get = visitor(1).get(url)
    head = visitor(2).head(url)
    assert head.content == b""
    assert int(head["Content-Length"]) == len(get.content)


SETUP = """
from news.models import Article, ArticleViews, Category
Article.objects.all().delete()
category, _ = Category.objects.get_or_create(slug="industry-news", defaults={"name_zh_hans": "行业动态"})
article = Article.objects.create(title_zh_hans="整页测试", category=category, status="published")
ArticleViews.objects.filter(article=article).update(count=9_999_998)
print(article.get_absolute_url())
"""


def fetch_whole(port, path, agent):
    """GET over a connection of its own; returns (Content-Length, every byte the server sent)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"User-Agent": agent, "Connection": "close"})
    response = connection.getresponse()
    length = int(response.getheader("Content-Length"))
    response.length = None  # read to the end of the connection, past a wrong Content-Length
    body = response.read()
    connection.close()
    return length, body


@pytest.mark.services
def test_a_real_server_sends_article_pages_whole_as_the_count_gains_a_digit(request, tmp_path, live_postgres):
    cache_url, prefix = redis_url(), redis_key_prefix("content-length")
    environment = site_environment(live_postgres, cache_url, media_root=tmp_path, CACHE_KEY_PREFIX=prefix)
    request.addfinalizer(lambda: delete_redis_keys(cache_url, prefix))
    manage(environment, "migrate", "--noinput")
    path = manage(environment, "shell", "-v", "0", "-c", SETUP).strip()
    with Gunicorn(environment, workers=1, threads=2) as server:
        for n, shown in enumerate([9_999_999, 10_000_000, 10_000_001]):
            length, body = fetch_whole(server.port, path, BROWSER.replace("Chrome/130.0", f"Chrome/130.{n}"))
            assert length == len(body)
            assert body.endswith(b"</html>\n")
            assert VIEW_COUNT.search(body).groups() == (str(shown).encode(),) * 2
