"""The API over HTTP: cached and revalidated as pages are, rate-limited per client, CORS for the
allow-list only, answered in the language asked for with the fallback marked per field."""

import pytest
from django.core.cache import cache

from tests.api.conftest import get_json
from tests.factories import ArticleFactory, CategoryFactory, OfficeFactory

ALLOWED = "https://partner.example.org"


@pytest.fixture
def article(db):
    return ArticleFactory(title_zh_hans="联盟召开理事会", title_en="The alliance council met", body_en="")


def test_an_unchanged_answer_is_a_304_and_an_edit_starts_a_new_one(client, article, page_cache):
    response = client.get("/api/v1/articles/")
    assert response["X-Page-Cache"] == "miss"
    assert response["ETag"].startswith('W/"') and response["Last-Modified"]
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=0", "must-revalidate"}
    again = client.get("/api/v1/articles/?utm_source=x")  # parameters the endpoint does not read
    assert again["X-Page-Cache"] == "hit" and again.content == response.content
    revalidated = client.get("/api/v1/articles/", headers={"If-None-Match": response["ETag"]})
    assert revalidated.status_code == 304 and revalidated.content == b""
    since = client.get("/api/v1/articles/", headers={"If-Modified-Since": response["Last-Modified"]})
    assert since.status_code == 304

    with page_cache(execute=True):
        article.title_zh_hans = "联盟召开第二次理事会"
        article.save()
    changed = client.get("/api/v1/articles/", headers={"If-None-Match": response["ETag"]})
    assert changed.status_code == 200 and changed["X-Page-Cache"] == "miss"
    assert changed.json()["results"][0]["title"] == "联盟召开第二次理事会"


def test_a_client_over_the_limit_gets_429_with_retry_after(client, settings, db):
    settings.API_RATE_LIMIT, settings.API_RATE_WINDOW = 3, 60
    for _ in range(3):
        get_json(client, "/api/v1/categories/", REMOTE_ADDR="203.0.113.7")
    response, data = get_json(client, "/api/v1/categories/", status=429, REMOTE_ADDR="203.0.113.7")
    seconds = int(response["Retry-After"])
    assert 1 <= seconds <= 60 and data["detail"].startswith("请求过多")
    english = get_json(client, "/api/v1/categories/?lang=en", status=429, REMOTE_ADDR="203.0.113.7")[1]
    assert english["detail"].startswith("Too many requests: try again in")
    # Another client is counted apart; forwarded headers from an untrusted peer change nothing.
    get_json(client, "/api/v1/categories/", REMOTE_ADDR="203.0.113.8")
    get_json(
        client,
        "/api/v1/categories/",
        status=429,
        REMOTE_ADDR="203.0.113.7",
        headers={"X-Forwarded-For": "198.51.100.1"},
    )
    # Pages are not limited.
    assert client.get("/news/", REMOTE_ADDR="203.0.113.7").status_code == 200


def test_cached_answers_count_towards_the_limit(client, settings, page_cache, db):
    settings.API_RATE_LIMIT = 2
    assert client.get("/api/v1/categories/")["X-Page-Cache"] == "miss"
    assert client.get("/api/v1/categories/")["X-Page-Cache"] == "hit"
    assert client.get("/api/v1/categories/").status_code == 429


def test_the_limit_lets_requests_through_when_the_cache_is_down(client, settings, db, monkeypatch):
    settings.API_RATE_LIMIT = 1
    monkeypatch.setattr(cache, "incr", lambda *args, **kwargs: None)
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)
    for _ in range(3):
        get_json(client, "/api/v1/categories/")


@pytest.mark.parametrize("page_cache_on", [False, True])
def test_cors_headers_go_to_allowed_origins_only(client, settings, db, page_cache_on):
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED]
    settings.PAGE_CACHE_ENABLED = page_cache_on
    for _ in range(2):  # the second from the page cache when it is on
        allowed = client.get("/api/v1/categories/", headers={"Origin": ALLOWED})
        assert allowed["Access-Control-Allow-Origin"] == ALLOWED
        assert "ETag" in allowed["Access-Control-Expose-Headers"]
        other = client.get("/api/v1/categories/", headers={"Origin": "https://evil.example"})
        assert "Access-Control-Allow-Origin" not in other
    assert "origin" in allowed["Vary"].lower()
    preflight = client.options("/api/v1/articles/", headers={"Origin": ALLOWED, "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200 and preflight["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    # Pages send no CORS headers.
    assert "Access-Control-Allow-Origin" not in client.get("/news/", headers={"Origin": ALLOWED})


def test_language_by_parameter_or_accept_language_with_the_fallback_marked(client, article, page_cache):
    CategoryFactory()  # industry-news, with an English name
    by_default = get_json(client, "/api/v1/articles/")[1]["results"][0]
    assert by_default["title"] == "联盟召开理事会"
    assert by_default["languages"] == {"title": "zh-Hans", "summary": "zh-Hans"}
    assert by_default["url"] == f"http://testserver/news/{article.pk}/{article.slug}/"

    english = get_json(client, "/api/v1/articles/?lang=en")[1]["results"][0]
    assert english["title"] == "The alliance council met"
    assert english["category"]["name"] == "Industry News"
    # No English summary: the Simplified Chinese one is shown, and marked as such.
    assert english["summary"] == article.summary_zh_hans
    assert english["languages"] == {"title": "en", "summary": "zh-Hans"}
    assert english["url"].startswith("http://testserver/en/news/")

    # Accept-Language, from the page cache too: each language has its own cached answer.
    for _ in range(2):
        by_header = get_json(client, "/api/v1/articles/", headers={"Accept-Language": "en-US,en;q=0.9"})
        assert by_header[1]["results"][0]["title"] == "The alliance council met"
        taiwan = get_json(client, "/api/v1/articles/", headers={"Accept-Language": "zh-TW"})[1]
        assert taiwan["results"][0]["title"] == "聯盟召開理事會"
        assert taiwan["results"][0]["languages"]["title"] == "zh-Hant"
    assert "Accept-Language" in by_header[0]["Vary"]
    # ?lang= wins over the header; an unknown one falls back to the header, then to zh-hans.
    assert (
        get_json(client, "/api/v1/articles/?lang=zh-hans", headers={"Accept-Language": "en"})[1]["results"][0]["title"]
        == "联盟召开理事会"
    )
    unknown = get_json(client, "/api/v1/articles/?lang=fr", headers={"Accept-Language": "fr, en;q=0.5"})[1]
    assert unknown["results"][0]["title"] == "The alliance council met"


def test_pagination_is_stable_with_links(client, db):
    ArticleFactory.create_batch(25)
    first = get_json(client, "/api/v1/articles/")[1]
    assert (first["count"], first["pages"], first["page"], first["previous"]) == (25, 2, 1, None)
    assert first["next"] == "http://testserver/api/v1/articles/?lang=zh-hans&page=2"
    second = get_json(client, first["next"])[1]
    assert second["next"] is None and second["previous"].endswith("page=1")
    ids = [item["id"] for item in first["results"] + second["results"]]
    assert len(set(ids)) == 25
    dates = [item["published_at"] for item in first["results"] + second["results"]]
    assert dates == sorted(dates, reverse=True)
    get_json(client, "/api/v1/articles/?page=3", status=404)


def test_filters_and_errors_are_json(client, db):
    office = OfficeFactory(slug="wuzhong")
    ArticleFactory().offices.add(office)
    ArticleFactory()
    assert get_json(client, "/api/v1/articles/?office=wuzhong")[1]["count"] == 1
    assert get_json(client, "/api/v1/articles/?office=nowhere")[1]["count"] == 0
    get_json(client, "/api/v1/articles/?since=yesterday", status=422)
    get_json(client, "/api/v1/nothing-here/", status=404)
    get_json(client, "/api/v1/articles/?q=%00", status=404)
