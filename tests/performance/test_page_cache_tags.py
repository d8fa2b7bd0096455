"""Finer invalidation (core.cache tags): an article's save throws away the pages showing it, and
keeps the pages of other articles that show nothing of it; never a stale page.
"""

import datetime
from contextlib import contextmanager

import pytest
from django.core.cache import caches
from django.utils import timezone

from core.cache import CONTENT, SITE, current_versions, invalidate
from news.models import ARTICLE_LINKS, article_tag
from tests.factories import ArticleFactory, CategoryFactory, OfficeFactory, OrganisationFactory
from tests.performance.test_view_counts import redis_cache
from tests.services import redis_url

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


@pytest.fixture
def news():
    """An edited article between two neighbours of its category, and an article far from it."""
    now = timezone.now()
    office = OfficeFactory(short_name_zh_hans="标签区办事处")
    organisation = OrganisationFactory(name_zh_hans="苏州标签测试有限公司")
    category = CategoryFactory(name_zh_hans="行业动态", slug="industry-news")
    elsewhere = CategoryFactory(name_zh_hans="通知公告", slug="notices")

    def article(title, days, category=category):
        return ArticleFactory(title_zh_hans=title, category=category, published_at=now - datetime.timedelta(days=days))

    older = article("较早的相邻新闻", 30)
    edited = article("被编辑的新闻标题", 20)
    newer = article("较新的相邻新闻", 10)
    # Far from the edited one in time, in another category, about nothing it is about.
    for days in range(40, 44):
        article(f"远处的新闻{days}", days, category=elsewhere)
    far = article("毫不相干的新闻", 50, category=elsewhere)
    edited.offices.add(office)
    edited.organisations.add(organisation)
    return {
        "edited": edited,
        "older": older,
        "newer": newer,
        "far": far,
        "office": office,
        "organisation": organisation,
        "category": category,
    }


def get(client, url):
    response = client.get(url, headers={"User-Agent": BROWSER})
    assert response.status_code == 200, url
    return response


def text(response):
    return response.content.decode()


def pages_showing_the_title(news):
    """Every page that shows the edited article's title (search for a word of it)."""
    return [
        news["edited"].get_absolute_url(),
        news["older"].get_absolute_url(),  # its "next article"
        news["newer"].get_absolute_url(),  # its "previous article", and related by category
        "/",
        "/news/",
        news["category"].get_absolute_url(),
        news["office"].get_absolute_url(),
        news["organisation"].get_absolute_url(),
        "/search/?q=标题",
        "/news/feed/",
        "/news/feed/atom/",
        "/en" + news["edited"].get_absolute_url(),
    ]


def warm(client, urls):
    for url in urls:
        get(client, url)
        assert get(client, url)["X-Page-Cache"] == "hit", url


def save(page_cache, article, **changes):
    with page_cache(execute=True):
        for name, value in changes.items():
            setattr(article, name, value)
        article.save()


def test_a_retitled_article_is_seen_at_once_on_every_page_showing_it(client, page_cache, news):
    urls = pages_showing_the_title(news)
    far = news["far"].get_absolute_url()
    warm(client, [*urls, far])
    save(page_cache, news["edited"], title_zh_hans="改过的标题新闻")
    for url in urls[:-1]:
        response = get(client, url)
        assert response["X-Page-Cache"] == "miss", url
        assert "改过的标题新闻" in text(response), url
        assert "被编辑的新闻标题" not in text(response), url
    assert get(client, urls[-1])["X-Page-Cache"] == "miss", "the English page shows the Chinese title as fallback"
    # The far article's page shows nothing of it, but a new title may change its neighbours'
    # and related lists: every article page renders afresh (and shows no stale title).
    assert get(client, far)["X-Page-Cache"] == "miss"


def test_a_body_correction_keeps_other_articles_pages_and_shows_everywhere_it_is_read(client, page_cache, news):
    edited, far, newer = news["edited"], news["far"].get_absolute_url(), news["newer"].get_absolute_url()
    lists = ["/", "/news/", news["category"].get_absolute_url(), "/news/feed/", "/sitemap-news.xml"]
    warm(client, [edited.get_absolute_url(), far, newer, *lists, "/search/?q=勘误"])
    assert "勘误说明" not in text(get(client, edited.get_absolute_url()))
    save(page_cache, edited, body_zh_hans="<p>勘误说明：会议时间改为下午。</p>")

    page = get(client, edited.get_absolute_url())
    assert (page["X-Page-Cache"], "勘误说明" in text(page)) == ("miss", True)
    found = get(client, "/search/?q=勘误")
    assert (found["X-Page-Cache"], "被编辑的新闻标题" in text(found)) == ("miss", True), "the search finds the new text"
    for url in lists:
        assert get(client, url)["X-Page-Cache"] == "miss", url  # lists show its update time, feeds its body
    assert edited.updated_at.date().isoformat() in text(get(client, "/sitemap-news.xml"))
    for url in (far, newer):
        assert get(client, url)["X-Page-Cache"] == "hit", f"{url} shows nothing of a body"


def test_an_editing_day_never_serves_a_stale_page(client, page_cache, news):
    """Saves between requests, as during the benchmark's editing day: each shows on the next request."""
    articles = [news["edited"], news["older"], news["newer"], news["far"]]
    urls = [article.get_absolute_url() for article in articles]
    warm(client, [*urls, "/news/"])
    for number in range(8):
        article = articles[number % len(articles)]
        save(page_cache, article, body_zh_hans=f"<p>第{number}次更正。</p>")
        for other, url in zip(articles, urls, strict=True):
            response = get(client, url)
            assert f"第{number}次更正" in text(response) if other is article else True, url
            expected = "miss" if other is article else "hit"
            assert response["X-Page-Cache"] == expected, (number, url)
            assert get(client, url)["X-Page-Cache"] == "hit"
        if number % 3 == 0:
            save(page_cache, article, title_zh_hans=f"第{number}次改名的新闻")
            assert f"第{number}次改名的新闻" in text(get(client, "/news/"))
            for url in urls:
                response = get(client, url)
                assert response["X-Page-Cache"] == "miss", url


def test_other_content_and_deletes_still_throw_away_every_page(client, page_cache, news):
    far = news["far"].get_absolute_url()
    warm(client, [far, "/news/"])
    with page_cache(execute=True):
        news["category"].name_zh_hans = "产业新闻"
        news["category"].save()
    assert get(client, far)["X-Page-Cache"] == "miss"
    warm(client, [far, news["older"].get_absolute_url()])
    with page_cache(execute=True):
        news["edited"].delete()
    for url in (far, news["older"].get_absolute_url(), "/news/"):
        response = get(client, url)
        assert response["X-Page-Cache"] == "miss", url
        assert "被编辑的新闻标题" not in text(response), url


def test_invalidating_tags_bumps_each_once_per_transaction(page_cache, news):
    tags = (SITE, CONTENT, ARTICLE_LINKS, article_tag(1), article_tag(2))
    before = current_versions(tags)
    with page_cache() as callbacks:
        invalidate(CONTENT, article_tag(1))
        invalidate(CONTENT, ARTICLE_LINKS)
    between = current_versions(tags)
    assert between == before, "nothing before the commit"
    for callback in callbacks:
        callback()
    after = current_versions(tags)
    changed = {tag for tag in tags if after[tag] != before[tag]}
    assert changed == {CONTENT, ARTICLE_LINKS, article_tag(1)}
    assert len({after[tag] for tag in changed}) == 1, "one write for all of them"


@contextmanager
def round_trips():
    """Counts the round trips to Redis: each command, and each pipeline, is sent in one write."""
    from redis.connection import AbstractConnection

    sent = []
    original = AbstractConnection.send_packed_command

    def send(self, command, *args, **kwargs):
        sent.append(command)
        return original(self, command, *args, **kwargs)

    AbstractConnection.send_packed_command = send
    try:
        yield sent
    finally:
        AbstractConnection.send_packed_command = original


@pytest.mark.services
def test_a_cache_hit_is_one_round_trip_to_redis_view_count_included(client, settings, news):
    settings.PAGE_CACHE_ENABLED = True
    with redis_cache(settings, redis_url()):
        article, listed = news["edited"].get_absolute_url(), "/news/"
        for url in (article, listed):
            assert get(client, url)["X-Page-Cache"] == "miss"
        for visitor in range(3):
            with round_trips() as sent:
                response = client.get(article, headers={"User-Agent": BROWSER}, REMOTE_ADDR=f"10.9.0.{visitor + 1}")
            assert response["X-Page-Cache"] == "hit"
            assert len(sent) == 1, "page, versions and the counted view in one pipeline"
            assert f'value="{visitor + 2}">{visitor + 2}</data>' in text(response), "this view is counted"
            assert int(response["Content-Length"]) == len(response.content)
        with round_trips() as sent:
            response = get(client, listed)
        assert (response["X-Page-Cache"], len(sent)) == ("hit", 1)
        caches["default"].client.get_client(write=True).ping()


def test_with_the_page_cache_off_cached_fragments_are_never_stale(client, fragment_cache, news):
    """The page cache off (as for an editor signed in): an article's neighbours and related articles
    (core.cache.versioned) and the cards of lists ({% cache %} keyed by the content stamp) are
    computed once per version of what they show, and a change shows at once."""
    newer = news["newer"].get_absolute_url()
    pages = [newer, "/news/", news["category"].get_absolute_url(), "/search/?q=新闻"]
    for url in pages:  # its previous article and related by category; cards in lists
        assert "被编辑的新闻标题" in text(get(client, url)), url
    with fragment_cache(execute=True):
        news["edited"].title_zh_hans = "改过的标题新闻"
        news["edited"].save()
    for url in pages:
        page = text(get(client, url))
        assert "改过的标题新闻" in page, url
        assert "被编辑的新闻标题" not in page, url
    page = text(get(client, newer))
    with fragment_cache(execute=True):
        news["edited"].unpublish_at = timezone.now()
        news["edited"].save()
    page = text(get(client, newer))
    assert "改过的标题新闻" not in page
    assert "较早的相邻新闻" in page, "its previous article is now the one before the unpublished one"
    with fragment_cache(execute=True):
        ArticleFactory(title_zh_hans="刚刚发布的新闻", category=news["category"])
    for url in ["/", *pages[1:]]:
        assert "刚刚发布的新闻" in text(get(client, url)), url
