"""Counts on lists: taken once per content version, exact after every change, capped for searches."""

import pytest

from news import admin as news_admin
from news import views as news_views
from news.models import Article
from tests.factories import ArticleFactory, UserFactory
from tests.i18n import zh

pytestmark = pytest.mark.django_db


def pages_of(total):
    return zh("Page %(number)s of %(total)s", params={"number": 1, "total": total})


def test_list_counts_follow_every_change(client, page_cache):
    ArticleFactory.create_batch(25)
    assert pages_of(2) in client.get("/news/").content.decode()
    assert "<dd>25</dd>" in client.get("/").content.decode()
    with page_cache(execute=True):
        ArticleFactory.create_batch(20)
    assert pages_of(3) in client.get("/news/").content.decode()
    assert "<dd>45</dd>" in client.get("/").content.decode()
    with page_cache(execute=True):
        Article.objects.first().delete()
    assert "<dd>44</dd>" in client.get("/").content.decode()


def test_a_search_matching_more_than_the_limit_says_so(client, monkeypatch):
    monkeypatch.setattr(news_views, "SEARCH_COUNT_LIMIT", 5)
    ArticleFactory.create_batch(8, title_zh_hans="智能制造专题报道")
    ArticleFactory.create_batch(3, title_zh_hans="数字孪生专题报道")
    many = client.get("/en/news/", {"q": "智能制造"}).content.decode()
    assert "More than 5 articles match “智能制造”." in many
    few = client.get("/en/news/", {"q": "数字孪生"}).content.decode()
    assert "3 articles match “数字孪生”." in few
    assert "More than" not in few


def test_the_admin_counts_a_search_up_to_the_limit(client, monkeypatch):
    monkeypatch.setattr(news_admin, "SEARCH_COUNT_LIMIT", 5)
    ArticleFactory.create_batch(8, title_zh_hans="智能制造专题报道")
    client.force_login(UserFactory(is_superuser=True))
    response = client.get("/admin/news/article/", {"q": "智能制造"})
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert (changelist.result_count, changelist.paginator.has_more) == (5, True)
    assert changelist.date_hierarchy is None, "no date drill-down over every match"
    listed = client.get("/admin/news/article/")
    assert listed.context["cl"].date_hierarchy == "published_at"
    assert client.get("/admin/news/article/", {"q": "报道"}).context["cl"].result_count == 5
    assert client.get("/admin/news/article/", {"q": "不存在的词"}).context["cl"].result_count == 0
