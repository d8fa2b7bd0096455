"""Every news page runs a fixed number of queries: the same for 3 articles as for 300."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.cache import content_version
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    AttachmentFactory,
    CategoryFactory,
    OfficeFactory,
    OrganisationFactory,
    PersonFactory,
    image_file,
)
from tests.news.pages import url_of

BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"

# At most this many queries per page, whatever the number of articles. The article page: the
# article, its photos and the people in them, attachments, offices, organisations, people,
# previous, next, related (two), and counting the view (three without Redis, none with it). Site
# search: the matching articles (on PostgreSQL their ids first, then the rows), organisations, offices.
BUDGETS = {
    "list": 4,
    "category": 5,
    "office filter": 5,
    "news search": 3,
    "site search": 4,
    "article": 14,
    "article (en)": 14,
    "rss": 1,
    "atom (en)": 1,
    "sitemap index": 10,
    "sitemap news": 1,
    "sitemap categories": 1,
    "home": 6,
}


def add_articles(count, category, office):
    for article in ArticleFactory.create_batch(count, category=category, title_zh_hans="吴中区工业互联网新闻"):
        article.offices.add(office)


def measure(client, article, address):
    """Queries per page for a first-time visitor from `address` (a repeat view counts nothing)."""
    pages = {
        "list": "/news/",
        "category": "/news/category/industry-news/",
        "office filter": "/news/?office=wuzhong",
        "news search": "/news/?q=吴中",
        "site search": "/search/?q=吴中",
        "article": url_of(article),
        "article (en)": url_of(article, "en"),
        "rss": "/news/feed/",
        "atom (en)": "/en/news/feed/atom/",
        "sitemap index": "/sitemap.xml",
        "sitemap news": "/sitemap-news.xml",
        "sitemap categories": "/sitemap-categories.xml",
        "home": "/",
    }
    counts = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, headers={"User-Agent": BROWSER}, REMOTE_ADDR=address)
        assert response.status_code == 200, url
        counts[name] = len(queries)
    return counts


@pytest.mark.django_db
def test_news_pages_run_the_same_queries_for_3_and_for_300_articles(client, django_capture_on_commit_callbacks):
    category, office = CategoryFactory(), OfficeFactory(slug="wuzhong")
    CategoryFactory(slug="notices", name_zh_hans="通知公告")
    article = ArticleFactory(category=category, title_zh_hans="吴中区办事处成立", is_pinned=True)
    article.offices.add(office)
    article.organisations.add(*OrganisationFactory.create_batch(2))
    article.people.add(*PersonFactory.create_batch(2))
    for order in range(2):
        photo = ArticlePhotoFactory(article=article, image=image_file(size=(40, 30)), order=order)
        photo.people_shown.add(PersonFactory())
    AttachmentFactory.create_batch(2, article=article)
    add_articles(2, category, office)

    content_version()  # started when content is saved in production, not by the page that follows
    small = measure(client, article, "10.0.0.1")
    # Committed, as an editor's saves are: the counts cached for the small list are dropped.
    with django_capture_on_commit_callbacks(execute=True):
        add_articles(297, category, office)
    large = measure(client, article, "10.0.0.2")

    assert large == small
    over = {name: (count, BUDGETS[name]) for name, count in large.items() if count > BUDGETS[name]}
    assert not over, f"over budget (queries, budget): {over}"


@pytest.mark.django_db
def test_later_pages_of_a_long_list_cost_the_same_as_the_first(client, django_assert_max_num_queries):
    category, office = CategoryFactory(), OfficeFactory(slug="wuzhong")
    add_articles(300, category, office)
    content_version()  # started when content is saved in production, not by the page that follows
    for page in (2, 8, 15):
        with django_assert_max_num_queries(BUDGETS["list"]):
            assert client.get(f"/news/?page={page}").status_code == 200
        with django_assert_max_num_queries(BUDGETS["office filter"]):
            assert client.get(f"/news/?office=wuzhong&page={page}").status_code == 200
