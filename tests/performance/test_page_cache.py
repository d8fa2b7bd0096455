"""The page cache: anonymous pages are served from it, and every change a page shows is seen at once."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.management.sql import emit_post_migrate_signal
from django.utils import timezone
from django.utils.http import http_date

from core.cache import CONTENT_VERSION_KEY
from members.models import Role
from news.models import Article
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    CouncilSeatFactory,
    OfficeFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    office = OfficeFactory(short_name_zh_hans="缓存区办事处", name_en="Cache District Office")
    organisation = OrganisationFactory(name_zh_hans="苏州缓存测试有限公司", name_en="Suzhou Cache Test Co.")
    seat = CouncilSeatFactory(office=office, organisation=organisation, role=Role.DIRECTOR)
    category = CategoryFactory(name_zh_hans="行业动态", name_en="Industry News", slug="industry-news")
    article = ArticleFactory(title_zh_hans="缓存测试新闻标题", title_en="A cache test headline", category=category)
    article.offices.add(office)
    article.organisations.add(organisation)
    return {"office": office, "organisation": organisation, "seat": seat, "category": category, "article": article}


def get(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response


def warm(client, urls):
    """Render each page once and check that the next request is served from the cache."""
    for url in urls:
        get(client, url)
        assert get(client, url)["X-Page-Cache"] == "hit", url


def text(response):
    return response.content.decode()


def test_anonymous_pages_are_served_from_the_cache_per_language(client, page_cache, world):
    url = world["article"].get_absolute_url()
    first = get(client, url)
    again = get(client, url)
    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")
    assert text(again) == text(first)
    english = get(client, "/en" + url)
    assert english["X-Page-Cache"] == "miss"
    assert "A cache test headline" in text(english)
    chinese = get(client, url)
    assert chinese["X-Page-Cache"] == "hit"
    assert "A cache test headline" not in text(chinese)


def test_editing_an_article_is_seen_on_every_page_at_once(client, page_cache, world):
    article = world["article"]
    pages = [
        article.get_absolute_url(),
        "/",
        "/news/",
        "/news/category/industry-news/",
        "/offices/" + world["office"].slug + "/",
    ]
    warm(client, pages)
    with page_cache(execute=True):
        article.title_zh_hans = "改过的新闻标题"
        article.save()
    for url in pages:
        response = get(client, url)
        assert response["X-Page-Cache"] == "miss", url
        assert "改过的新闻标题" in text(response), url
        assert "缓存测试新闻标题" not in text(response), url


def test_renaming_an_organisation_is_seen_on_its_pages_and_where_it_is_named(client, page_cache, world):
    organisation = world["organisation"]
    pages = [
        "/members/",
        organisation.get_absolute_url(),
        world["office"].get_absolute_url(),
        world["article"].get_absolute_url(),
    ]
    warm(client, pages)
    with page_cache(execute=True):
        organisation.name_zh_hans = "苏州改名科技有限公司"
        organisation.save()
    for url in pages:
        assert "苏州改名科技有限公司" in text(get(client, url)), url


def test_changing_a_council_seat_is_seen_on_the_office_and_organisation_pages(client, page_cache, world):
    seat = world["seat"]
    pages = [world["office"].get_absolute_url(), world["organisation"].get_absolute_url()]
    warm(client, ["/en" + url for url in pages])
    assert "Vice-President" not in text(get(client, "/en" + pages[0]))
    with page_cache(execute=True):
        seat.role = Role.VICE_PRESIDENT
        seat.save()
    for url in pages:
        assert "Vice-President" in text(get(client, "/en" + url)), url


def test_renaming_a_category_is_seen_on_lists_and_articles(client, page_cache, world):
    category = world["category"]
    pages = [category.get_absolute_url(), "/news/", "/", world["article"].get_absolute_url()]
    warm(client, pages)
    with page_cache(execute=True):
        category.name_zh_hans = "产业新闻"
        category.save()
    for url in pages:
        assert "产业新闻" in text(get(client, url)), url


def test_deleting_and_unlinking_are_seen_at_once(client, page_cache, world):
    article, office = world["article"], world["office"]
    article_url, office_url = article.get_absolute_url(), office.get_absolute_url()
    warm(client, ["/news/", office_url, article_url])
    for url in ("/news/", office_url, article_url):
        cached = get(client, url)
        assert (cached["X-Page-Cache"], "缓存测试新闻标题" in text(cached)) == ("hit", True), url
    with page_cache(execute=True):
        article.offices.remove(office)
    unlinked = get(client, office_url)
    assert unlinked["X-Page-Cache"] == "miss"
    assert "缓存测试新闻标题" not in text(unlinked)
    listed = get(client, "/news/")
    assert "缓存测试新闻标题" in text(listed), "unlinked from the office, the article is still news"
    assert get(client, "/news/")["X-Page-Cache"] == "hit"
    with page_cache(execute=True):
        article.delete()
    after = get(client, "/news/")
    assert after["X-Page-Cache"] == "miss"
    assert "缓存测试新闻标题" not in text(after)
    assert client.get(article_url).status_code == 404


def test_a_scheduled_article_appears_when_it_falls_due_with_no_save(client, page_cache, world):
    now = timezone.now()
    ArticleFactory(title_zh_hans="定时发布的新闻", published_at=now + datetime.timedelta(hours=1))
    with time_machine.travel(now, tick=False):
        warm(client, ["/news/"])
        assert "定时发布的新闻" not in text(get(client, "/news/"))
    with time_machine.travel(now + datetime.timedelta(hours=1, seconds=1), tick=False):
        response = get(client, "/news/")
    assert response["X-Page-Cache"] == "miss"
    assert "定时发布的新闻" in text(response)


def test_one_transaction_saving_many_rows_starts_one_new_version(client, page_cache, world):
    get(client, "/members/")
    with page_cache() as callbacks:
        for n in range(5):
            OrganisationFactory(name_zh_hans=f"批量导入单位{n}")
    before = cache.get(CONTENT_VERSION_KEY)
    versions = []
    for callback in callbacks:  # what the commit does
        callback()
        versions.append(cache.get(CONTENT_VERSION_KEY))
    assert versions[0] != before
    assert set(versions) == {versions[0]}
    assert "批量导入单位4" in text(get(client, "/members/"))


def test_a_deploy_starts_a_new_version(client, page_cache, world):
    warm(client, ["/"])
    with page_cache(execute=True):
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert get(client, "/")["X-Page-Cache"] == "miss"


def test_staff_and_previews_are_never_cached(client, page_cache, world):
    staff = UserFactory(is_superuser=True)
    draft = ArticleFactory(title_zh_hans="草稿新闻", status=Article.Status.DRAFT)
    client.force_login(staff)
    for url in [world["article"].get_absolute_url(), draft.get_absolute_url()]:
        for _ in range(2):
            response = get(client, url)
            assert "X-Page-Cache" not in response, url
            assert "private" in response["Cache-Control"], url
    assert "no-store" in get(client, draft.get_absolute_url())["Cache-Control"]
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert get(client, world["article"].get_absolute_url())["X-Page-Cache"] == "miss"


def test_cached_pages_can_be_revalidated_by_browsers_and_a_cdn(client, page_cache, world):
    url = world["article"].get_absolute_url()
    first = get(client, url)
    cached = get(client, url)
    assert cached["X-Page-Cache"] == "hit"
    for response in (first, cached):
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert directives == {"public", "max-age=0", "must-revalidate"}
        assert "Cookie" in response["Vary"]
        assert response["ETag"].startswith('W/"')
    assert cached["ETag"] == first["ETag"]
    assert cached["Last-Modified"] == first["Last-Modified"]

    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304

    with page_cache(execute=True):
        world["article"].title_zh_hans = "改过的新闻标题"
        world["article"].save()
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    later = http_date(timezone.now().timestamp() - 3600)
    assert client.get(url, headers={"If-Modified-Since": later}).status_code == 200


def test_an_article_revalidates_until_its_view_count_changes(client, page_cache, world):
    url = world["article"].get_absolute_url()
    browser = {"User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36"}
    first = get(client, url, **browser)
    assert 'value="1">1</data>' in text(first)
    reload = client.get(url, headers={**browser, "If-None-Match": first["ETag"]})
    assert reload.status_code == 304, "a reload within the window counts nothing and changes nothing"

    someone_else = client.get(url, headers={**browser, "If-None-Match": first["ETag"]}, REMOTE_ADDR="10.0.0.2")
    assert someone_else.status_code == 200, "another visitor's view changed the page"
    assert 'value="2">2</data>' in text(someone_else)
    assert someone_else["ETag"] != first["ETag"]
    assert client.get(url, headers={**browser, "If-None-Match": someone_else["ETag"]}).status_code == 304


def test_pages_are_public_without_the_page_cache_too(client, world):
    response = get(client, "/news/")
    assert "X-Page-Cache" not in response
    assert "public" in response["Cache-Control"]
    assert client.get("/news/", headers={"If-None-Match": response["ETag"]}).status_code == 304
