"""The dashboard on the admin index: views per day from DailyViews (after flush_view_counts) as a
chart and as a table with the same numbers, the most read of the week, the editor's lists."""

import datetime
import json

import pytest
from django.utils import timezone

from core.groups import EDITORS
from news.counting import flush_view_counts
from news.dashboard import editorial_dashboard
from news.models import Article, DailyViews
from tests.factories import ArticleFactory, UserFactory
from tests.news.pages import get_page
from tests.performance.test_view_counts import visit

pytestmark = pytest.mark.django_db


def chart_data(html):
    return json.loads(html.find("script", id="views-chart-data").text)


def table(html):
    rows = html.select("table.views-table tbody tr")
    return {row.find("time")["datetime"]: [int(cell.text) for cell in row.find_all("td")] for row in rows}


def test_todays_views_after_the_flush_are_in_the_chart_and_the_table(client, editor_client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    read, other = ArticleFactory(title_zh_hans="读者多的考评新闻"), ArticleFactory()
    for visitor in range(5):
        visit(client, read.get_absolute_url(), visitor)
    visit(client, other.get_absolute_url(), 9)
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    DailyViews.objects.create(article=read, day=yesterday, count=3)

    _, before = get_page(editor_client, "/admin/")
    assert chart_data(before)["series"][0]["values"][-1] == 0, "pending views are not in the table yet"

    flush_view_counts()
    assert DailyViews.objects.get(article=read, day=today).count == 5
    assert DailyViews.objects.get(article=other, day=today).count == 1

    _, html = get_page(editor_client, "/admin/")
    data = chart_data(html)
    assert data["days"][-1] == today.isoformat() and len(data["days"]) == 30
    assert data["series"][0]["values"][-2:] == [3, 6]
    assert table(html)[today.isoformat()] == [6] and table(html)[yesterday.isoformat()] == [3]

    _, chosen = get_page(editor_client, f"/admin/?article={read.pk}")
    data = chart_data(chosen)
    assert [series["values"][-1] for series in data["series"]] == [6, 5]
    assert table(chosen)[today.isoformat()] == [6, 5]
    top = [item.text for item in chosen.select(".dashboard-top li a")]
    assert top == ["读者多的考评新闻", other.title]


def test_the_lists_are_the_editors_own():
    editor = UserFactory(groups=[EDITORS])
    mine = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=editor)
    ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    scheduled = ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    dashboard = editorial_dashboard(editor)
    assert dashboard["drafts"] == [mine]
    assert dashboard["scheduled"] == [scheduled]
    assert scheduled not in dashboard["recent"]


def test_the_dashboard_costs_the_same_queries_for_few_and_many_articles(editor_client, django_assert_num_queries):
    ArticleFactory()
    with django_assert_num_queries(count := count_queries(editor_client)):
        editor_client.get("/admin/")
    for _ in range(15):
        ArticleFactory()
    with django_assert_num_queries(count):
        editor_client.get("/admin/")


def count_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/admin/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/admin/")
    return len(queries)
