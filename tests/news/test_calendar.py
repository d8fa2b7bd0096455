"""The editorial calendar: a month of what is scheduled to publish or expire, per day, linking each item."""

import datetime

import pytest
from django.utils import timezone

from news.models import Article
from tests.factories import ArticleFactory
from tests.news.pages import get_page

pytestmark = pytest.mark.django_db


def test_the_month_shows_scheduled_and_expiring_articles_on_their_days(editor_client, django_assert_max_num_queries):
    zone = timezone.get_current_timezone()
    publish_at = datetime.datetime(2031, 3, 14, 9, 30, tzinfo=zone)
    expire_at = datetime.datetime(2031, 3, 20, 18, 0, tzinfo=zone)
    scheduled = ArticleFactory(title_zh_hans="三月定时新闻", published_at=publish_at)
    notice = ArticleFactory(title_zh_hans="三月到期通知", published_at=publish_at, unpublish_at=expire_at)
    ArticleFactory(title_zh_hans="四月定时新闻", published_at=publish_at + datetime.timedelta(days=31))
    ArticleFactory(title_zh_hans="三月草稿", status=Article.Status.DRAFT, published_at=publish_at)

    with django_assert_max_num_queries(12):
        _, html = get_page(editor_client, "/admin/news/article/calendar/?month=2031-03")
    days = {}
    for cell in html.select("table.calendar-month td:not(.other-month)"):
        entries = [(item["class"][0], item.find("a").text, item.find("a")["href"]) for item in cell.select("li")]
        if entries:
            days[int(cell.find(class_="calendar-date").text)] = entries
    change = "/admin/news/article/{}/change/"
    assert days == {
        14: [
            ("calendar-publish", "三月定时新闻", change.format(scheduled.pk)),
            ("calendar-publish", "三月到期通知", change.format(notice.pk)),
        ],
        20: [("calendar-expire", "三月到期通知", change.format(notice.pk))],
    }
    assert html.find("a", rel="next")["href"] == "?month=2031-04"


@pytest.mark.parametrize("month", ["2031-13", "x", "2031-1-1", ""])
def test_a_bad_month_shows_this_month(editor_client, month):
    _, html = get_page(editor_client, f"/admin/news/article/calendar/?month={month}")
    following = (timezone.localdate().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    assert html.find("a", rel="next")["href"] == f"?month={following:%Y-%m}"
