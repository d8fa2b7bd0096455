"""View counts: a person's view counts once per article in a window, cached page or not, with Redis or without."""

import io
import re
import threading
import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
import reversion
import time_machine
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from reversion.models import Version

from news import counting
from news.counting import flush_view_counts, record_view
from news.models import Article, ArticleViews, CountedVisitor, DailyViews, PendingView
from tests.factories import ArticleFactory, give_views
from tests.services import redis_key_prefix, redis_url

BROWSER = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.54"
)
SHOWN = re.compile(r'<data class="view-count" value="(\d+)">(\d+)</data>')


def redis_settings(url, prefix):
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": prefix,
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }


@contextmanager
def redis_cache(settings, url):
    """The default cache on Redis under a key prefix of its own, removed afterwards."""
    original, prefix = settings.CACHES, redis_key_prefix(f"counts-{uuid.uuid4().hex[:12]}")
    settings.CACHES = {"default": redis_settings(url, prefix)}
    try:
        yield
    finally:
        client = caches["default"].client.get_client(write=True)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        settings.CACHES = original


@pytest.fixture(params=["database", pytest.param("redis", marks=pytest.mark.services)])
def counter(request, settings):
    """The view counter in use: rows in the database (no Redis), or Redis."""
    if request.param == "database":
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        yield request.param
    else:
        with redis_cache(settings, redis_url()):
            yield request.param


def visit(client, url, visitor=0, agent=BROWSER):
    """A GET by visitor number `visitor`: a browser at an address of its own."""
    return client.get(url, headers={"User-Agent": agent}, REMOTE_ADDR=f"10.1.{visitor // 250}.{visitor % 250 + 1}")


def shown(response):
    value, text = SHOWN.search(response.content.decode()).groups()
    assert value == text
    return int(value)


def article_with_views(views):
    article = ArticleFactory()
    give_views(article, views)
    return article


def stored_views(article):
    return ArticleViews.objects.filter(article=article).values_list("count", flat=True).first() or 0


@pytest.mark.django_db
def test_n_views_through_the_page_cache_are_counted_n_and_shown_at_once(client, page_cache, counter):
    article = article_with_views(100)
    url = article.get_absolute_url()
    responses = [visit(client, url, visitor) for visitor in range(7)]
    assert [r["X-Page-Cache"] for r in responses] == ["miss"] + ["hit"] * 6
    assert [shown(r) for r in responses] == list(range(101, 108))
    assert stored_views(article) == 100, "views are added by the flush, never by a page view"

    assert flush_view_counts() == {article.pk: 7}
    assert stored_views(article) == 107
    assert flush_view_counts() == {}, "a second flush adds nothing"
    assert stored_views(article) == 107

    after = visit(client, url, 7)
    assert after["X-Page-Cache"] == "hit", "flushing does not invalidate pages"
    assert shown(after) == 108


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
        {"User-Agent": "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"},
        {"User-Agent": "curl/8.11.0"},
        {"User-Agent": "python-requests/2.32.3"},
        {"User-Agent": "facebookexternalhit/1.1"},
        {
            "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "HeadlessChrome/131.0 Safari/537.36"
        },
        {"User-Agent": "Mozilla/5.0 (compatible; Bytespider; spider-feedback@bytedance.com)"},
        {
            "User-Agent": "Mozilla/5.0 (Linux; Android 6.0.1) Chrome/131.0 Mobile Safari/537.36 "
            "(compatible; Google-Read-Aloud)"
        },
        {},
        {"User-Agent": BROWSER, "Sec-Purpose": "prefetch"},
        {"User-Agent": BROWSER, "Sec-Purpose": "prefetch;prerender"},
        {"User-Agent": BROWSER, "Purpose": "prefetch"},
        {"User-Agent": BROWSER, "X-Moz": "prefetch"},
    ],
    ids=[
        "googlebot",
        "baiduspider",
        "curl",
        "script",
        "link-preview",
        "headless-chrome",
        "bytespider",
        "read-aloud",
        "no-agent",
        "prefetch",
        "prerender",
        "purpose",
        "moz",
    ],
)
def test_bots_and_prefetches_are_not_counted(client, page_cache, counter, headers):
    article = article_with_views(5)
    url = article.get_absolute_url()
    for _ in range(2):
        assert shown(client.get(url, headers=headers)) == 5
    assert client.head(url, headers={"User-Agent": BROWSER}).status_code == 200
    assert flush_view_counts() == {}
    assert shown(client.get(url, headers={"User-Agent": BROWSER})) == 6


@pytest.mark.django_db
def test_one_visitor_counts_once_per_article_in_the_window(client, page_cache, counter, settings):
    settings.VIEW_COUNT_WINDOW_SECONDS = 1800
    article, other = article_with_views(0), article_with_views(0)
    url = article.get_absolute_url()
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        reloads = [shown(visit(client, url)) for _ in range(100)]
        variants = [shown(visit(client, f"{url}?utm={n}")) for n in range(20)]
        assert set(reloads + variants) == {1}, "reloads and address variants add nothing"
        assert shown(visit(client, other.get_absolute_url())) == 1, "another article counts"
        assert shown(visit(client, url, agent=BROWSER.replace("8.0.54", "8.0.55"))) == 2, "another browser"
        assert shown(visit(client, url, visitor=1)) == 3, "another address"
    with time_machine.travel(now + timedelta(seconds=1799), tick=False):
        assert shown(visit(client, url)) == 3
    if counter == "redis":
        expire_windows()
    with time_machine.travel(now + timedelta(seconds=1801), tick=False):
        assert shown(visit(client, url)) == 4, "the window is over"
        assert shown(visit(client, url)) == 4
    assert flush_view_counts() == {article.pk: 4, other.pk: 1}


def expire_windows():
    """Redis keeps time of its own: end the open windows as time passing would."""
    client = caches["default"].client.get_client(write=True)
    for key in client.scan_iter(str(caches["default"].make_key("article-views:seen:*"))):
        client.delete(key)


@pytest.mark.django_db
def test_the_window_stores_no_address_nor_browser(client, counter):
    article = article_with_views(0)
    visit(client, article.get_absolute_url(), 7)
    if counter == "redis":
        redis = caches["default"].client.get_client(write=True)
        stored = b" ".join(redis.scan_iter(str(caches["default"].make_key("article-views:seen:*"))))
    else:
        stored = " ".join(CountedVisitor.objects.values_list("visitor", flat=True)).encode()
    assert stored, "the window is kept"
    for personal in (b"10.1.0.8", b"iPhone", b"MicroMessenger"):
        assert personal not in stored


@pytest.mark.django_db
def test_the_command_reports_what_it_added_and_can_be_repeated(client, counter):
    article = article_with_views(0)
    for visitor in range(3):
        visit(client, article.get_absolute_url(), visitor)
    out = io.StringIO()
    call_command("flush_view_counts", stdout=out)
    call_command("flush_view_counts", stdout=out)
    assert out.getvalue().splitlines() == ["Views added: 3 (articles: 1).", "Views added: 0 (articles: 0)."]
    assert stored_views(article) == 3


@pytest.mark.django_db
def test_an_editor_saving_or_reverting_an_article_keeps_its_counted_views(client, counter):
    article = article_with_views(10)
    with reversion.create_revision():
        article.refresh_from_db()
        article.save()
    opened_by_editor = Article.objects.get(pk=article.pk)
    for visitor in range(4):
        visit(client, article.get_absolute_url(), visitor)
    flush_view_counts()
    assert stored_views(article) == 14

    opened_by_editor.title_zh_hans = "编辑改过的标题"
    opened_by_editor.save()
    assert stored_views(article) == 14

    Version.objects.get_for_object(article).first().revision.revert()
    article.refresh_from_db()
    assert article.title_zh_hans != "编辑改过的标题", "the revert happened"
    assert article.view_count == 14


@pytest.mark.django_db
def test_a_flush_adds_the_views_to_the_day_in_china_too(client, counter):
    article = ArticleFactory(published_at=datetime(2026, 1, 1, tzinfo=UTC))
    give_views(article, 100)
    url = article.get_absolute_url()
    # 17:30 in UTC is already the next day in China.
    with time_machine.travel(datetime(2026, 3, 1, 17, 30, tzinfo=UTC), tick=False):
        for visitor in range(3):
            visit(client, url, visitor)
        flush_view_counts()
        visit(client, url, 3)
        flush_view_counts()
    with time_machine.travel(datetime(2026, 3, 2, 17, 30, tzinfo=UTC), tick=False):
        visit(client, url, 4)
        flush_view_counts()
        assert flush_view_counts() == {}

    days = DailyViews.objects.filter(article=article).order_by("day").values_list("day", "count")
    assert list(days) == [(date(2026, 3, 2), 4), (date(2026, 3, 3), 1)]
    assert stored_views(article) == 105


@pytest.mark.django_db
def test_views_during_a_redis_outage_are_counted_in_the_database(client, settings):
    settings.CACHES = {"default": redis_settings("redis://127.0.0.1:1/0", "outage")}
    article = article_with_views(50)
    responses = [visit(client, article.get_absolute_url(), visitor) for visitor in (1, 2, 3, 1, 2)]
    assert [r.status_code for r in responses] == [200] * 5
    assert [shown(r) for r in responses] == [51, 52, 53, 53, 53], "the window applies in the database too"
    assert PendingView.objects.count() == 3
    with pytest.raises(Exception, match="Connection"):
        flush_view_counts()
    assert stored_views(article) == 53, "views counted in the database are added although Redis is down"
    assert PendingView.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_views_and_flushes_lose_and_double_no_view(counter):
    article = article_with_views(0)
    readers, views_each = 6, 20
    errors = []

    def read():
        try:
            for _ in range(views_each):
                assert record_view(article.pk, 0, uuid.uuid4().hex) is not None
        except Exception as error:  # reported below; a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connection.close()

    def flush():
        try:
            for _ in range(5):
                flush_view_counts()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=read) for _ in range(readers)] + [
        threading.Thread(target=flush) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    flush_view_counts()
    assert stored_views(article) == readers * views_each


@pytest.mark.django_db
@pytest.mark.services
def test_a_flush_interrupted_after_its_commit_is_finished_without_counting_twice(client, settings, monkeypatch):
    with redis_cache(settings, redis_url()):
        interrupted_flush(client, monkeypatch)


def interrupted_flush(client, monkeypatch):
    article = article_with_views(0)
    for visitor in range(5):
        visit(client, article.get_absolute_url(), visitor)
    monkeypatch.setattr(counting, "_FINISH", "return redis.error_reply('stopped before finishing')")
    with pytest.raises(Exception, match="stopped before finishing"):
        flush_view_counts()
    assert stored_views(article) == 5
    during = visit(client, article.get_absolute_url(), 5)
    assert shown(during) == 6, "views being flushed are shown while the flush is unfinished"

    monkeypatch.undo()
    assert flush_view_counts() == {article.pk: 1}
    assert stored_views(article) == 6
    assert shown(visit(client, article.get_absolute_url(), 6)) == 7
