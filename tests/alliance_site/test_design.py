"""The home page and lists read like a news site: a lead story with its photo, thumbnails, notices apart, logos.

And the rules that keep it fast: every image has its size, images load lazily except the lead
one, which is fetched first and named in the head.
"""

import datetime

import pytest
from django.utils import timezone

from members.models import Organisation
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    CategoryFactory,
    OrganisationFactory,
    image_file,
)
from tests.news.pages import get_page

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def with_cover(**fields):
    return ArticleFactory(cover=image_file("cover.jpg", size=(1200, 675)), cover_alt_zh_hans="会场", **fields)


def image_sources(element):
    return [img["src"] for img in element.find_all("img")]


def assert_every_image_has_its_size(document):
    unsized = [str(img)[:120] for img in document.find_all("img") if not (img.get("width") and img.get("height"))]
    assert not unsized, f"images without width and height: {unsized}"


def test_the_pinned_article_leads_with_its_cover_loaded_first_and_the_rest_follow_with_thumbnails(client):
    news = CategoryFactory(slug="alliance-news")
    latest = with_cover(category=news, published_at=days_ago(1), title_zh_hans="最新的新闻")
    pinned = with_cover(category=news, published_at=days_ago(5), title_zh_hans="置顶的新闻", is_pinned=True)
    older = [ArticleFactory(category=news, published_at=days_ago(10 + n)) for n in range(6)]

    _, document = get_page(client, "/")

    lead = document.find("article", class_="lead-story")
    assert lead.find("h3").text.strip() == "置顶的新闻"
    lead_image = lead.find("img")
    assert lead_image["loading"] == "eager"
    assert lead_image["fetchpriority"] == "high"
    preload = document.head.find("link", rel="preload")
    assert preload is not None and preload["as"] == "image"
    assert preload["imagesrcset"] == lead.find("source")["srcset"]
    headlines = [li.find("a", class_="headline-title").text for li in document.select(".headline-list .headline")]
    assert headlines == ["最新的新闻", *[article.title_zh_hans for article in older[:3]]]
    # The next story has its thumbnail, lazy; those without any photo get no image box at all.
    first, *rest = document.select(".headline-list .headline")
    assert first.find("img")["loading"] == "lazy"
    assert all(headline.find(class_="headline-image") is None for headline in rest)
    assert_every_image_has_its_size(document)
    assert [img for img in document.find_all("img") if img.get("loading") != "lazy"] == [lead_image]
    assert pinned.pk and latest.pk


def test_notices_are_set_apart_with_dates_only(client):
    notices, news = CategoryFactory(slug="notices", name_zh_hans="通知公告"), CategoryFactory()
    notice = ArticleFactory(category=notices, title_zh_hans="关于召开理事会的通知", published_at=days_ago(1))
    ArticleFactory(category=news, title_zh_hans="一条新闻", published_at=days_ago(2))

    _, document = get_page(client, "/")

    column = document.find("section", class_="home-notices")
    assert column.h2.text == "通知公告"
    items = column.select(".notice-list li")
    assert [(li.a.text, li.time.text) for li in items] == [
        ("关于召开理事会的通知", timezone.localtime(notice.published_at).strftime("%Y-%m-%d"))
    ]
    assert column.find("img") is None
    assert column.find("a", href=notices.get_absolute_url())
    news_column = document.find("section", class_="home-news")
    assert "关于召开理事会的通知" not in news_column.text
    assert news_column.find("article", class_="lead-story").h3.text.strip() == "一条新闻"


def test_without_notices_or_events_the_home_page_shows_no_empty_sections(client):
    ArticleFactory()
    _, document = get_page(client, "/")
    assert document.find("section", class_="home-notices") is None
    headings = [h2.text for h2 in document.find_all("h2")]
    assert "活动" not in headings and "Events" not in headings


def test_member_logos_make_a_strip_linking_to_their_pages(client):
    with_logo = OrganisationFactory(is_member=True, logo=image_file("logo.png", size=(400, 200), image_format="PNG"))
    OrganisationFactory(is_member=True)  # no logo: not in the strip
    OrganisationFactory(is_member=False, logo=image_file("logo.png", image_format="PNG"))  # not a member

    _, document = get_page(client, "/en/")

    strip = document.find("ul", class_="logo-strip")
    links = strip.find_all("a")
    assert [link["href"] for link in links] == [with_logo.get_absolute_url()]
    img = links[0].find("img")
    assert img["alt"] == with_logo.name_en
    assert (img["width"], img["height"]) == ("400", "200")
    assert img["loading"] == "lazy"
    assert {source["type"] for source in links[0].find_all("source")} >= {"image/webp"}


def test_lists_show_the_cover_else_the_first_photo_and_no_box_without_either(client):
    covered = with_cover(title_zh_hans="有封面")
    photographed = ArticleFactory(title_zh_hans="只有照片")
    second = ArticlePhotoFactory(article=photographed, order=2, alt_text_zh_hans="第二张")
    first = ArticlePhotoFactory(
        article=photographed, order=1, alt_text_zh_hans="第一张", image=image_file(size=(900, 600))
    )
    ArticleFactory(title_zh_hans="没有图片")

    for url in ("/news/", covered.category.get_absolute_url(), "/news/?q=有封面", "/search/?q=照片"):
        _, document = get_page(client, url)
        assert_every_image_has_its_size(document)
    _, document = get_page(client, "/news/")
    cards = {card.find("h3").text.strip(): card for card in document.find_all("article", class_="card")}
    assert cards["有封面"].find("img")["src"].startswith("/media/renditions/covers/")
    photo_img = cards["只有照片"].find("img")
    assert photo_img["alt"] == "第一张"
    assert (photo_img["width"], photo_img["height"]) == ("900", "600")
    assert first.image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0] in photo_img["src"]
    assert second.pk
    assert cards["没有图片"].find(class_="card-image") is None
    assert all(img["loading"] == "lazy" for img in document.select(".cards img"))


def test_the_directory_and_organisation_pages_show_logos_as_renditions_and_initials_otherwise(client):
    logo = image_file("logo.png", size=(600, 300), image_format="PNG")
    with_logo = OrganisationFactory(is_member=True, name_zh_hans="浪潮云", logo=logo)
    without = OrganisationFactory(is_member=True, name_zh_hans="汇川技术", short_name_zh_hans="汇川")

    _, document = get_page(client, "/members/")
    entries = {li.find("a").text: li for li in document.find_all("li", class_="directory-entry")}
    picture = entries["浪潮云"].find("picture")
    assert picture.find("img")["alt"] == ""  # the name is written beside it
    assert (picture.img["width"], picture.img["height"]) == ("600", "300")
    assert all("w" in source["srcset"] for source in picture.find_all("source"))
    assert entries["汇川技术"].find("picture") is None
    assert entries["汇川技术"].find(class_="org-monogram").text == "汇"

    _, document = get_page(client, with_logo.get_absolute_url())
    head = document.find("header", class_="org-head")
    assert head.find("img")["width"] == "600"
    _, document = get_page(client, without.get_absolute_url())
    assert document.find("header", class_="org-head").find(class_="org-monogram").text == "汇"


def test_a_logo_uploaded_before_sizes_were_stored_is_measured_by_the_migration():
    from importlib import import_module

    from django.apps import apps

    organisation = OrganisationFactory(logo=image_file("logo.png", size=(320, 80), image_format="PNG"))
    Organisation.objects.filter(pk=organisation.pk).update(logo_width=None, logo_height=None)
    import_module("members.migrations.0006_logo_size").store_logo_sizes(apps, None)
    organisation.refresh_from_db()
    assert (organisation.logo_width, organisation.logo_height) == (320, 80)
