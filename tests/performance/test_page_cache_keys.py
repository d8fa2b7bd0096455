"""The page cache keys a page on the query parameters it reads: junk parameters get the cached page."""

import pytest
from django.core.cache import cache
from django.test.signals import template_rendered
from django.urls import reverse

from members.models import OrganisationKind
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    OfficeFactory,
    OfficeMembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

JUNK = [
    *(f"x={n}" for n in range(120)),
    *(f"utm_source=mail&utm_campaign={n}" for n in range(40)),
    *(f"junk={n}&Page={n}&Q=x" for n in range(20)),
    *(f"{'a' * 3900}={n}" for n in range(10)),
    *(f"fbclid={n}&&=&%20={n}" for n in range(10)),
]


@pytest.fixture
def site():
    office = OfficeFactory(slug="gaoxin")
    organisation = OrganisationFactory(name_zh_hans="苏州键值测试有限公司", kind=OrganisationKind.UNIVERSITY)
    OfficeMembershipFactory(office=office, organisation=organisation)
    category = CategoryFactory(slug="industry-news")
    article = ArticleFactory(title_zh_hans="缓存键测试新闻", category=category)
    return {"office": office, "organisation": organisation, "category": category, "article": article}


def public_pages(site):
    return [
        reverse("home"),
        reverse("news:article-list"),
        site["category"].get_absolute_url(),
        site["article"].get_absolute_url(),
        reverse("offices:office-list"),
        site["office"].get_absolute_url(),
        reverse("members:directory"),
        site["organisation"].get_absolute_url(),
        reverse("search") + "?q=缓存",
        reverse("news:feed-rss"),
        reverse("news:feed-atom"),
        reverse("sitemap"),
        "/sitemap-news.xml",
        "/en/news/",
    ]


def page_entries():
    """Pages stored in the cache: local memory's keys, or Redis's (django-redis) under the run's prefix."""
    keys = cache.keys("*") if hasattr(cache, "keys") else cache._cache
    return sum(1 for key in keys if "page:" in key)


class Renders:
    """Counts templates rendered while it is open."""

    def __init__(self):
        self.count = 0

    def __call__(self, **kwargs):
        self.count += 1

    def __enter__(self):
        template_rendered.connect(self)
        return self

    def __exit__(self, *exc):
        template_rendered.disconnect(self)


def with_query(url, query):
    return f"{url}{'&' if '?' in url else '?'}{query}"


def test_junk_query_strings_add_no_cache_entry_and_render_nothing(client, page_cache, site):
    assert len(JUNK) == 200
    pages = public_pages(site)
    for url in pages:
        assert client.get(url).status_code == 200, url
    entries = page_entries()
    assert entries == len(pages)
    with Renders() as renders:
        for url in pages:
            for query in JUNK:
                response = client.get(with_query(url, query))
                assert (response.status_code, response["X-Page-Cache"]) == (200, "hit"), (url, query[:40])
    assert renders.count == 0
    assert page_entries() == entries


def test_real_parameters_give_their_own_pages(client, page_cache, site):
    for n in range(25):
        ArticleFactory(title_zh_hans=f"列表文章{n:02d}", category=site["category"])

    def text(url):
        response = client.get(url)
        assert response.status_code == 200, url
        return response.content.decode()

    first, second = text("/news/"), text("/news/?page=2")
    assert first != second
    assert text("/news/?page=2&utm=1") == second
    assert text("/news/?page=1") == text("/news/?page=01") == first
    assert "缓存键测试新闻" in text("/news/?q=缓存键") and "列表文章03" not in text("/news/?q=缓存键")
    assert text("/news/?q=缓存键&page=1") == text("/news/?utm=x&q=%20缓存键%20")
    assert "缓存键测试新闻" not in text("/news/?office=gaoxin")
    assert client.get("/news/?office=no-such-office").status_code == 404
    assert "苏州键值测试有限公司" in text("/members/?kind=university")
    assert "苏州键值测试有限公司" not in text("/members/?kind=enterprise")
    assert text("/members/?kind=university&letter=s") == text("/members/?letter=S&kind=university&x=1")
    assert text("/members/?letter=%3F%3F") == text("/members/")
    assert "苏州键值测试有限公司" in text("/members/?office=gaoxin")
    assert "苏州键值测试有限公司" in text("/search/?q=键值")
    assert "苏州键值测试有限公司" not in text("/search/?q=无此单位")


def test_pagination_links_keep_only_the_parameters_the_page_reads(client, page_cache, site):
    for n in range(25):
        ArticleFactory(title_zh_hans=f"列表文章{n:02d}", category=site["category"])
    page = client.get("/news/?q=列表&tracking=abc").content.decode()
    assert "page=2" in page
    assert "tracking" not in page


def test_a_session_cookie_naming_no_session_is_no_session(client, page_cache, site):
    url = site["article"].get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    for junk in ("x", "0" * 32, "forged-session-key-1234567890abcdef"):
        client.cookies["sessionid"] = junk
        with Renders() as renders:
            response = client.get(url)
        assert (response["X-Page-Cache"], renders.count) == ("hit", 0), junk
    client.cookies.pop("sessionid")
    client.force_login(UserFactory(is_superuser=True))
    staff = client.get(url)
    assert "X-Page-Cache" not in staff
    assert "private" in staff["Cache-Control"]


@pytest.mark.parametrize("page", ["%C2%B2", "%E2%91%A0", "9" * 4301])
def test_a_page_number_int_cannot_read_is_not_found(client, page_cache, site, page):
    """ "²" and "①" are digits to str.isdigit() but not to int(); int() reads at most 4,300 digits."""
    for url in ("/news/", "/en/news/", "/members/", "/sitemap-news.xml"):
        parameter = "p" if "sitemap" in url else "page"
        assert client.get(f"{url}?{parameter}={page}").status_code == 404, url
