"""Text pasted from Word carries control characters XML cannot hold (U+000B, a manual line break).

Every text field of every content model drops them on save, a data migration drops them from rows
saved before, and feeds, sitemaps and JSON-LD leave them out of rows written without save().
"""

import importlib
import json

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.apps import apps

from members.models import Organisation, Person
from news.models import Article, Category
from offices.models import Office
from tests.factories import ArticleFactory, CategoryFactory, OfficeFactory, OrganisationFactory, PersonFactory
from tests.news.pages import parse_xml, url_of

pytestmark = pytest.mark.django_db

WORD_TITLE = "联盟年会\x0b圆满召开"
CLEAN_TITLE = "联盟年会圆满召开"
FEEDS = [f"{prefix}/news/feed/{kind}" for prefix in ("", "/en", "/zh-hant") for kind in ("", "atom/")]
NOT_IN_XML = [chr(code) for code in range(0x20) if chr(code) not in "\t\n\r"] + ["\ufffe", "\uffff", "\ud800"]


def assert_feeds_are_valid(client):
    for path in FEEDS:
        response = client.get(path)
        assert response.status_code == 200, path
        feed = feedparser.parse(response.content)
        assert not feed.bozo, f"{path}: {feed.get('bozo_exception')}"
        assert feed.entries, path


def assert_sitemaps_are_valid(client):
    index = parse_xml(client.get("/sitemap.xml").content)
    for location in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        response = client.get(location.text.removeprefix("http://testserver"))
        assert response.status_code == 200, location.text
        parse_xml(response.content)


def json_ld_of(client, article, language="zh-hans"):
    response = client.get(url_of(article, language))
    assert response.status_code == 200
    script = BeautifulSoup(response.content, "html.parser").find("script", type="application/ld+json")
    return json.loads(script.string)


def make_article(where):
    """An article with the Word title in one text field (of the article, its category, ...)."""
    if where == "category name":
        return ArticleFactory(category=CategoryFactory(name_zh_hans=WORD_TITLE, slug="annual-meeting"))
    if where == "body":
        return ArticleFactory(body_zh_hans=f"<p>{WORD_TITLE}</p>", summary_zh_hans="")
    field = {"title": "title_zh_hans", "summary": "summary_zh_hans"}[where]
    return ArticleFactory(**{field: WORD_TITLE})


@pytest.mark.parametrize("where", ["title", "summary", "body", "category name"])
def test_a_word_line_break_in_news_is_dropped_on_save_and_every_feed_still_reads(client, where):
    article = make_article(where)
    article.refresh_from_db()
    stored = [
        article.title_zh_hans,
        article.title_zh_hant,
        article.summary_zh_hans,
        article.summary_zh_hant,
        article.body_zh_hans,
        article.category.name_zh_hans,
        article.category.name_zh_hant,
    ]

    assert not any("\x0b" in text for text in stored)
    assert CLEAN_TITLE in " ".join(stored)
    assert_feeds_are_valid(client)


@pytest.mark.parametrize(
    ("factory", "field", "model"),
    [
        (OfficeFactory, "name", Office),
        (OrganisationFactory, "name", Organisation),
        (OrganisationFactory, "description", Organisation),
        (PersonFactory, "job_title", Person),
    ],
)
def test_a_word_line_break_in_a_roster_is_dropped_on_save(factory, field, model):
    row = factory(**{f"{field}_zh_hans": WORD_TITLE})

    stored = model.objects.get(pk=row.pk)
    assert getattr(stored, f"{field}_zh_hans") == CLEAN_TITLE
    assert getattr(stored, f"{field}_zh_hant") == "聯盟年會圓滿召開"


@pytest.mark.parametrize("character", NOT_IN_XML, ids=lambda character: f"U+{ord(character):04X}")
def test_every_character_xml_cannot_carry_is_dropped(client, character):
    article = ArticleFactory(
        title_zh_hans=f"联盟年会{character}圆满召开",
        title_en=f"Annual{character} meeting",
        summary_en=f"Line one\r\nline\ttwo{character}",
    )

    article.refresh_from_db()
    assert (article.title_zh_hans, article.title_zh_hant, article.title_en) == (
        CLEAN_TITLE,
        "聯盟年會圓滿召開",
        "Annual meeting",
    )
    assert article.summary_en == "Line one\r\nline\ttwo", "tab, newline and carriage return are kept"
    for path in ("/news/feed/", "/en/news/feed/atom/"):
        assert not feedparser.parse(client.get(path).content).bozo


def test_a_title_pasted_from_word_is_found_by_its_words(client):
    ArticleFactory(title_zh_hans=WORD_TITLE)

    response = client.get("/search/", {"q": "年会圆满"})
    assert CLEAN_TITLE in response.content.decode()


def test_rows_written_without_save_still_give_valid_feeds_sitemaps_and_json_ld(client):
    article = ArticleFactory(title_en="Annual meeting")
    Article.objects.filter(pk=article.pk).update(
        title_zh_hans=WORD_TITLE,
        title_zh_hant="聯盟年會\x0c圓滿召開",
        title_en="Annual\x01 meeting\x1f",
        summary_en="Summary\x08",
        source_zh_hans="联盟\x0b秘书处",
    )
    Category.objects.update(name_en="Industry\x0b News", name_zh_hans="行业\x0c动态")

    assert_feeds_are_valid(client)
    assert_sitemaps_are_valid(client)
    article.refresh_from_db()
    for language in ("zh-hans", "en", "zh-hant"):
        data = json_ld_of(client, article, language)
        text = json.dumps(data, ensure_ascii=False)
        assert not any(character in text for character in "\x0b\x0c\x01\x1f\x08"), language
    assert json_ld_of(client, article)["headline"] == CLEAN_TITLE


def test_the_data_migrations_clean_rows_saved_before(client):
    article = ArticleFactory()
    office = OfficeFactory()
    person = PersonFactory()
    Article.objects.filter(pk=article.pk).update(title_zh_hans=WORD_TITLE, body_en="<p>Annual\x0b meeting</p>")
    Category.objects.update(description_zh_hans="说明\x0c")
    Office.objects.filter(pk=office.pk).update(name_en="Test\x0b Office", charter_text_zh_hans="章程\x02\r\n第二条\t")
    Organisation.objects.filter(pk=person.organisation.pk).update(address_zh_hant="地址\ufffe")
    Person.objects.filter(pk=person.pk).update(name_zh_hans="张\x0b三")

    for app, migration in [
        ("members", "0003_drop_xml_invalid_characters"),
        ("offices", "0005_drop_xml_invalid_characters"),
        ("news", "0008_drop_xml_invalid_characters"),
    ]:
        importlib.import_module(f"{app}.migrations.{migration}").drop_xml_invalid_characters(apps, None)

    article.refresh_from_db()
    office.refresh_from_db()
    person.refresh_from_db()
    assert (article.title_zh_hans, article.body_en) == (CLEAN_TITLE, "<p>Annual meeting</p>")
    assert Category.objects.get().description_zh_hans == "说明"
    assert (office.name_en, office.charter_text_zh_hans) == ("Test Office", "章程\r\n第二条\t")
    assert Organisation.objects.get(pk=person.organisation.pk).address_zh_hant == "地址"
    assert person.name_zh_hans == "张三"
    assert_feeds_are_valid(client)
