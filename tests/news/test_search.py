"""Search for Chinese text: one, two and many characters, Traditional queries, on SQLite and PostgreSQL."""

import pytest
from django.db import connection

from news.models import Article
from tests.factories import ArticleFactory
from tests.news.pages import get_page, url_of

SEARCH_PAGES = ["/news/?q={}", "/search/?q={}"]


def found(client, url):
    """The articles found: on the site search, those of its news section (it lists events,
    organisations and offices too, the seed's Wuzhong events among them)."""
    _, html = get_page(client, url)
    results = html.find("main")
    if url.startswith("/search/"):
        results = results.find("section", attrs={"aria-labelledby": "results-news"})
        if results is None:  # no article found: the page has no news section
            return []
    return [h3.find("a").attrs["href"] for h3 in results.find_all("h3", class_="card-title")]


@pytest.mark.parametrize("page", SEARCH_PAGES)
@pytest.mark.parametrize(
    "query",
    [
        "吴中",  # two characters, the most common length of a Chinese word
        "考评指标",  # many characters
        "考評指標",  # Traditional, converted to Simplified first
        "吴",  # one character
        "办事处成立大会",
        "吴中 5G",  # every term must match
        "Wuzhong",  # English title and text
        "evaluation INDEX",
        "DevCloud",
    ],
)
def test_the_seed_article_is_found(client, seed_article, page, query):
    assert found(client, page.format(query)) == [url_of(seed_article)]


@pytest.mark.parametrize("page", SEARCH_PAGES)
@pytest.mark.parametrize("query", ["北京", "指标考评", "吴中 北京", "考评指标体系发布会", "wuzhongshi"])
def test_text_that_is_not_in_the_article_finds_nothing(client, seed_article, page, query):
    assert found(client, page.format(query)) == []


def test_a_traditional_page_shows_results_in_traditional(client, seed_article):
    _, html = get_page(client, "/zh-hant/news/?q=考評指標")
    assert html.find("h3", class_="card-title").text == seed_article.title_zh_hant
    assert "1" in html.find("p", class_="result-count").text


@pytest.mark.parametrize(
    "query", ["考评'); DROP TABLE news_article; --", "a & b | !c:* (d)", "<->", "'\"\\", "。，、", "   ", "%_%"]
)
def test_odd_queries_are_answered_not_errors(client, seed_article, query):
    for page in SEARCH_PAGES:
        assert client.get(page.split("?")[0], {"q": query}).status_code == 200
    assert Article.objects.filter(pk=seed_article.pk).exists()


def test_a_long_query_is_cut_to_a_hundred_characters(client, seed_article):
    _, html = get_page(client, "/news/?q=" + "吴中" * 80)
    assert html.find("input", id="news-q").attrs["value"] == "吴中" * 50


@pytest.mark.django_db
def test_search_uses_the_index_on_postgresql(client):
    if connection.vendor != "postgresql":
        pytest.skip("the GIN index exists on PostgreSQL only; SQLite matches the same tokens with LIKE")
    ArticleFactory(title_zh_hans="吴中区办事处成立")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM news_article WHERE search_vector @@ to_tsquery('simple'::regconfig, %s)",
            ["吴中"],
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "news_article_search_gin" in plan
