"""RSS and Atom feeds in each language, and the sitemap with hreflang alternates and lastmod."""

import datetime

import feedparser
import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, CategoryFactory
from tests.news.pages import parse_xml, url_of

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
FEEDS = {"zh-hans": "", "en": "/en", "zh-hant": "/zh-hant"}


@pytest.fixture
def articles():
    now = timezone.now()
    return [
        ArticleFactory(
            title_zh_hans=f"吴中区新闻{n}",
            title_en=f"Wuzhong news {n}",
            summary_zh_hans=f"第{n}篇摘要",
            summary_en=f"Summary {n} & more",
            published_at=now - datetime.timedelta(days=n),
        )
        for n in range(1, 4)
    ]


@pytest.mark.parametrize("language", FEEDS)
@pytest.mark.parametrize("kind", ["rss20", "atom10"])
def test_feeds_parse_in_each_language(client, articles, language, kind):
    path = FEEDS[language] + ("/news/feed/atom/" if kind == "atom10" else "/news/feed/")
    response = client.get(path)
    feed = feedparser.parse(response.content)

    assert response.status_code == 200
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == kind
    assert feed.feed.language.lower() == language
    titles = [entry.title for entry in feed.entries]
    if language == "en":
        assert titles == ["Wuzhong news 1", "Wuzhong news 2", "Wuzhong news 3"]
        assert feed.entries[0].summary == "Summary 1 &amp; more", "a plain-text summary, escaped as HTML"
    elif language == "zh-hant":
        assert titles == ["吳中區新聞1", "吳中區新聞2", "吳中區新聞3"]
    else:
        assert titles == ["吴中区新闻1", "吴中区新闻2", "吴中区新闻3"]
    assert [entry.link for entry in feed.entries] == ["http://testserver" + url_of(a, language) for a in articles]
    published = datetime.datetime(*feed.entries[0].published_parsed[:6], tzinfo=datetime.UTC)
    assert abs(published - articles[0].published_at) < datetime.timedelta(seconds=1)
    assert feed.entries[0].tags[0].term in {"行业动态", "Industry News", "行業動態"}


def test_the_feed_is_linked_from_every_page(client, articles):
    content = client.get("/en/news/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml" title="News (RSS)" href="/en/news/feed/">' in content


def sitemap_urls(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return parse_xml(response.content).findall(f"{SITEMAP}url")


def test_the_sitemap_index_lists_valid_sections(client, articles):
    index = parse_xml(client.get("/sitemap.xml").content)
    locations = [element.text for element in index.iter(f"{SITEMAP}loc")]
    assert "http://testserver/sitemap-news.xml" in locations
    for location in locations:
        sitemap_urls(client, location.removeprefix("http://testserver"))


def test_articles_have_hreflang_alternates_and_lastmod(client, articles):
    urls = sitemap_urls(client, "/sitemap-news.xml")
    entries = {url.find(f"{SITEMAP}loc").text: url for url in urls}
    article = articles[0]

    assert len(urls) == 3 * 3, "each article in each language"
    for language in FEEDS:
        entry = entries["http://testserver" + url_of(article, language)]
        alternates = {link.get("hreflang"): link.get("href") for link in entry.findall(f"{XHTML}link")}
        assert alternates == {
            "zh-hans": "http://testserver" + url_of(article, "zh-hans"),
            "en": "http://testserver" + url_of(article, "en"),
            "zh-hant": "http://testserver" + url_of(article, "zh-hant"),
            "x-default": "http://testserver" + url_of(article, "zh-hans"),
        }
        assert entry.find(f"{SITEMAP}lastmod").text == article.updated_at.date().isoformat()


def test_categories_have_the_lastmod_of_their_latest_article(client, articles):
    CategoryFactory(slug="notices", name_zh_hans="通知公告")
    urls = sitemap_urls(client, "/sitemap-categories.xml")
    lastmod = {url.find(f"{SITEMAP}loc").text: url.find(f"{SITEMAP}lastmod") for url in urls}
    newest = max(article.updated_at for article in articles)
    assert lastmod["http://testserver/news/category/industry-news/"].text == newest.date().isoformat()
    assert lastmod["http://testserver/news/category/notices/"] is None, "no article, no date"
