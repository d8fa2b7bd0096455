"""Drafts and scheduled articles: nowhere public until their time, previews for staff only."""

import datetime

import feedparser
import pytest
import time_machine
from django.utils import timezone

from news.models import Article
from tests.factories import ArticleFactory, CategoryFactory, OfficeFactory
from tests.news.pages import get_page, parse_html, url_of

pytestmark = pytest.mark.django_db
NOW = timezone.now()
IN_AN_HOUR = NOW + datetime.timedelta(hours=1)


@pytest.fixture
def articles():
    office = OfficeFactory(slug="wuzhong")
    draft = Article.Status.DRAFT
    made = {
        "published": ArticleFactory(title_zh_hans="已发布的考评新闻", published_at=NOW - datetime.timedelta(days=1)),
        "draft": ArticleFactory(title_zh_hans="草稿考评新闻", status=draft, published_at=None),
        "scheduled": ArticleFactory(title_zh_hans="定时考评新闻", published_at=IN_AN_HOUR),
        "pinned draft": ArticleFactory(title_zh_hans="置顶草稿考评新闻", status=draft, is_pinned=True),
    }
    for article in made.values():
        article.offices.add(office)
        article.title_en = ""  # English pages show the Chinese title
        article.save()
    return made


PUBLIC_PAGES = [
    "/",
    "/news/",
    "/en/news/",
    "/news/category/industry-news/",
    "/news/?office=wuzhong",
    "/news/?q=考评",
    "/search/?q=考评新闻",
    "/offices/wuzhong/",
]


def titles_on(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    if "xml" in response["Content-Type"]:
        return response.content.decode()
    return parse_html(response.content).find("main").text


def test_drafts_and_scheduled_articles_are_on_no_public_page(client, articles):
    for url in PUBLIC_PAGES:
        text = titles_on(client, url)
        assert "已发布的考评新闻" in text, url
        for hidden in ("草稿考评新闻", "定时考评新闻", "置顶草稿考评新闻"):
            assert hidden not in text, f"{hidden} on {url}"


def test_drafts_and_scheduled_articles_are_in_no_feed_or_sitemap(client, articles):
    for url, language in (
        ("/news/feed/", "zh-hans"),
        ("/news/feed/atom/", "zh-hans"),
        ("/zh-hant/news/feed/", "zh-hant"),
    ):
        entries = feedparser.parse(client.get(url).content).entries
        assert [entry.link for entry in entries] == ["http://testserver" + url_of(articles["published"], language)]
    sitemap = client.get("/sitemap-news.xml").content.decode()
    assert f"/news/{articles['published'].pk}/" in sitemap
    for hidden in ("draft", "scheduled", "pinned draft"):
        assert f"/news/{articles[hidden].pk}/" not in sitemap


@pytest.mark.parametrize("which", ["draft", "scheduled"])
def test_their_addresses_are_404_for_visitors(client, articles, which):
    article = articles[which]
    assert client.get(url_of(article)).status_code == 404
    assert client.get(f"/news/{article.pk}/").status_code == 404
    assert client.get(url_of(article, "en")).status_code == 404


@pytest.mark.parametrize("which", ["draft", "scheduled"])
def test_staff_preview_them_uncached_and_unindexed(editor_client, articles, which):
    article = articles[which]
    response, html = get_page(editor_client, url_of(article))

    assert html.find("h1").text == article.title_zh_hans
    assert html.find("p", class_="preview-banner") is not None
    assert html.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "must-revalidate", "private"} <= cache_control
    assert html.find("nav", class_="article-pager") is None, "a preview links nowhere public"


def test_a_visitor_session_is_not_enough_to_preview(client, articles, django_user_model):
    visitor = django_user_model.objects.create_user("visitor", password="a-long-enough-password", is_staff=False)
    client.force_login(visitor)
    assert client.get(url_of(articles["draft"])).status_code == 404


def test_a_scheduled_article_appears_on_time_without_any_job(client, articles, page_cache):
    scheduled = articles["scheduled"]
    before = client.get("/news/")
    assert "定时考评新闻" not in before.content.decode()
    assert client.get("/news/").headers["X-Page-Cache"] == "hit"

    with time_machine.travel(IN_AN_HOUR + datetime.timedelta(seconds=1)):
        assert "定时考评新闻" in titles_on(client, "/news/"), "the cached list starts afresh when it falls due"
        assert client.get(url_of(scheduled)).status_code == 200
        assert "定时考评新闻" in titles_on(client, "/news/feed/")
        assert f"/news/{scheduled.pk}/" in titles_on(client, "/sitemap-news.xml")
        assert "定时考评新闻" in titles_on(client, "/news/?q=定时")
        assert Article.objects.published().filter(pk=scheduled.pk).exists()


def test_unpublishing_takes_an_article_off_the_site(client, articles, page_cache):
    published = articles["published"]
    assert client.get(url_of(published)).status_code == 200
    with page_cache(execute=True):
        published.status = Article.Status.DRAFT
        published.save()
    assert client.get(url_of(published)).status_code == 404
    assert "已发布的考评新闻" not in titles_on(client, "/news/")


def test_a_category_of_drafts_only_is_empty(client):
    category = CategoryFactory(slug="notices", name_zh_hans="通知公告")
    ArticleFactory(category=category, status=Article.Status.DRAFT)
    _, html = get_page(client, "/news/category/notices/")
    assert html.find("article", class_="card") is None
