"""News lists: cards, pinned articles, categories, the office filter and pagination."""

import datetime

import pytest
import time_machine
from django.utils import timezone, translation

from tests.factories import ArticleFactory, CategoryFactory, OfficeFactory, image_file
from tests.news.pages import get_page, url_of

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def days_ago(days):
    return NOW - datetime.timedelta(days=days)


def card_titles(html):
    return [card.find("h3").text for card in html.find_all("article", class_="card")]


def test_a_card_shows_cover_title_summary_date_and_category(client):
    article = ArticleFactory(
        title_zh_hans="吴中区办事处成立",
        summary_zh_hans="苏州市工业互联网产业联盟第八个办事处。",
        cover=image_file("cover.jpg"),
        cover_alt_zh_hans="揭牌仪式",
        published_at=datetime.datetime(2020, 11, 20, 12, tzinfo=datetime.UTC),
    )
    _, html = get_page(client, "/news/")
    card = html.find("article", class_="card")

    assert card.find("h3").find("a").attrs["href"] == url_of(article)
    assert card.find("h3").text == "吴中区办事处成立"
    assert card.find("p", class_="card-summary").text == "苏州市工业互联网产业联盟第八个办事处。"
    assert card.find("time").attrs["datetime"].startswith("2020-11-20T20:00:00")
    assert card.find("a", class_="card-category").text == "行业动态"
    image = card.find("picture").find("img")
    assert (image.attrs["alt"], image.attrs["width"], image.attrs["height"]) == ("揭牌仪式", "800", "600")


def test_pinned_articles_come_first_with_a_visible_label(client):
    ArticleFactory(title_zh_hans="最新", title_en="Latest", published_at=days_ago(1))
    ArticleFactory(title_zh_hans="置顶的旧闻", title_en="Pinned old news", published_at=days_ago(30), is_pinned=True)
    ArticleFactory(title_zh_hans="较早", title_en="Earlier", published_at=days_ago(2))

    for language, prefix, titles in (
        ("zh-hans", "", ["置顶的旧闻", "最新", "较早"]),
        ("en", "/en", ["Pinned old news", "Latest", "Earlier"]),
    ):
        _, html = get_page(client, f"{prefix}/news/")
        assert card_titles(html) == titles
        pinned = html.find("article", class_="card-pinned")
        with translation.override(language):
            assert pinned.find("span", class_="badge-pinned").text == translation.gettext("Pinned")
        assert len(html.find_all("article", class_="card-pinned")) == 1


def test_a_pin_that_runs_out_falls_back_into_date_order(client):
    ArticleFactory(title_zh_hans="最新", published_at=days_ago(1))
    ArticleFactory(
        title_zh_hans="限时置顶",
        published_at=days_ago(30),
        is_pinned=True,
        pinned_until=NOW + datetime.timedelta(hours=2),
    )
    ArticleFactory(title_zh_hans="较早", published_at=days_ago(60))

    _, html = get_page(client, "/news/")
    assert card_titles(html) == ["限时置顶", "最新", "较早"]
    with time_machine.travel(NOW + datetime.timedelta(hours=3)):
        _, html = get_page(client, "/news/")
    assert card_titles(html) == ["最新", "限时置顶", "较早"]
    assert html.find("article", class_="card-pinned") is None


def test_pinned_articles_lead_the_first_page_only_and_are_not_repeated(client):
    ArticleFactory.create_batch(25)
    pinned = ArticleFactory(title_zh_hans="置顶", published_at=days_ago(100), is_pinned=True)

    _, first = get_page(client, "/news/")
    _, second = get_page(client, "/news/?page=2")
    first_titles, second_titles = card_titles(first), card_titles(second)
    assert first_titles[0] == pinned.title_zh_hans
    assert len(first_titles) == 21, "the pinned article and a full page"
    assert len(second_titles) == 5
    assert pinned.title_zh_hans not in second_titles
    assert not set(first_titles) & set(second_titles)


def test_pagination_keeps_the_filters(client):
    office = OfficeFactory(slug="wuzhong")
    for article in ArticleFactory.create_batch(21):
        article.offices.add(office)
    _, html = get_page(client, "/news/?office=wuzhong")
    assert html.find("a", rel="next").attrs["href"] == "?office=wuzhong&page=2"
    _, html = get_page(client, "/news/?office=wuzhong&page=2")
    assert len(card_titles(html)) == 1
    assert client.get("/news/?page=9").status_code == 404


def test_a_category_page_lists_its_own_articles(client):
    industry = CategoryFactory()
    notices = CategoryFactory(slug="notices", name_zh_hans="通知公告", name_en="Notices")
    ArticleFactory(title_en="Industry news", category=industry)
    ArticleFactory(title_en="A notice", category=notices)

    _, html = get_page(client, "/en/news/category/notices/")
    assert html.find("h1").text == "Notices"
    assert card_titles(html) == ["A notice"]
    current = html.find("nav", class_="category-nav").find("a", attrs={"aria-current": "page"})
    assert current.text == "Notices"
    assert client.get("/news/category/no-such-category/").status_code == 404


def test_the_office_filter_shows_that_offices_news(client):
    office = OfficeFactory(slug="wuzhong", name_zh_hans="吴中区办事处")
    about_office = ArticleFactory(title_zh_hans="办事处新闻")
    about_office.offices.add(office)
    ArticleFactory(title_zh_hans="其他新闻")

    _, html = get_page(client, "/news/?office=wuzhong")
    assert card_titles(html) == ["办事处新闻"]
    assert str(office) in html.find("h1").text
    assert client.get("/news/?office=no-such-office").status_code == 404


def test_an_empty_list_says_so(client):
    _, html = get_page(client, "/news/")
    assert html.find("p", class_="empty") is not None
    assert card_titles(html) == []
