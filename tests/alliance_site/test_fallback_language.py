"""Text shown in its fallback language says so: an article written only in Simplified Chinese,
read at /en/, is marked zh-Hans in the page, its JSON-LD, its Open Graph locale and the feeds."""

import json
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from tests.factories import ArticleFactory, CategoryFactory, OfficeFactory, OfficeMembershipFactory, OrganisationFactory
from tests.news.pages import parse_xml, url_of

pytestmark = pytest.mark.django_db

DC_LANGUAGE = "{http://purl.org/dc/elements/1.1/}language"
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def chinese_only():
    """An article, its category, office and organisation with Simplified Chinese text alone."""
    organisation = OrganisationFactory(
        name_zh_hans="苏州联盟测试科技有限公司", name_en="", description_zh_hans="一家测试企业。"
    )
    office = OfficeFactory(
        name_zh_hans="苏州市工业互联网产业联盟吴中区办事处", name_en="", short_name_zh_hans="", district_en=""
    )
    OfficeMembershipFactory(office=office, organisation=organisation)
    article = ArticleFactory(
        title_zh_hans="联盟年会圆满召开",
        title_en="",
        summary_zh_hans="联盟年会在吴中区召开。",
        body_zh_hans="<p>联盟年会在吴中区召开。</p>",
        body_en="",
        category=CategoryFactory(name_zh_hans="联盟动态", name_en="", slug="alliance-news"),
    )
    article.offices.add(office)
    article.organisations.add(organisation)
    return SimpleNamespace(article=article, office=office, organisation=organisation)


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def languages_of(soup, text):
    """The lang attribute of each element whose own text is `text`."""
    return [element.get("lang") for element in soup.find_all(string=text) for element in [element.parent]]


def test_an_untranslated_article_is_marked_as_simplified_chinese_on_its_english_page(client, chinese_only):
    soup = soup_of(client, url_of(chinese_only.article, "en"))

    assert soup.html["lang"] == "en", "the interface is English"
    assert soup.find("h1")["lang"] == "zh-Hans"
    assert soup.find(class_="article-body")["lang"] == "zh-Hans"
    assert soup.find(class_="article-category").a["lang"] == "zh-Hans"
    assert languages_of(soup, "苏州市工业互联网产业联盟吴中区办事处") == ["zh-Hans"]
    assert languages_of(soup, "苏州联盟测试科技有限公司") == ["zh-Hans"]
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["inLanguage"] == "zh-Hans"
    meta = {tag["property"]: tag["content"] for tag in soup.find_all("meta", property="og:locale")}
    assert meta["og:locale"] == "zh_CN"
    alternates = [tag["content"] for tag in soup.find_all("meta", property="og:locale:alternate")]
    assert alternates == ["zh_TW"], "no English version of the text exists"


def test_generated_traditional_text_is_real_traditional_text(client, chinese_only):
    soup = soup_of(client, url_of(chinese_only.article, "zh-hant"))

    assert soup.find("h1").string == "聯盟年會圓滿召開"
    assert not soup.find("h1").has_attr("lang")
    assert json.loads(soup.find("script", type="application/ld+json").string)["inLanguage"] == "zh-Hant"
    assert soup.find("meta", property="og:locale")["content"] == "zh_TW"
    alternates = [tag["content"] for tag in soup.find_all("meta", property="og:locale:alternate")]
    assert alternates == ["zh_CN"]


@pytest.mark.parametrize("path", ["/en/", "/en/news/", "/en/news/category/alliance-news/", "/en/search/?q=联盟年会"])
def test_lists_mark_untranslated_titles_and_summaries(client, chinese_only, path):
    soup = soup_of(client, path)

    assert languages_of(soup, "联盟年会圆满召开") == ["zh-Hans"]
    assert languages_of(soup, "联盟年会在吴中区召开。") == ["zh-Hans"]
    category_links = soup.find_all("a", class_="card-category")
    assert category_links and {link["lang"] for link in category_links} == {"zh-Hans"}


def test_the_category_page_marks_its_untranslated_name(client, chinese_only):
    soup = soup_of(client, "/en/news/category/alliance-news/")

    assert soup.find("h1")["lang"] == "zh-Hans"
    assert soup.find("nav", class_="category-nav").find("a", string="联盟动态")["lang"] == "zh-Hans"


def test_office_pages_mark_untranslated_names(client, chinese_only):
    page = soup_of(client, url_of(chinese_only.office, "en"))
    assert page.find("h1")["lang"] == "zh-Hans"
    assert page.find("dt", string="District").find_next_sibling("dd")["lang"] == "zh-Hans"
    assert languages_of(page, "苏州联盟测试科技有限公司") == ["zh-Hans"]
    news = soup_of(client, f"/en/news/?office={chinese_only.office.slug}")
    assert news.find("h1").span["lang"] == "zh-Hans"
    assert news.find("h1").span.string == "苏州市工业互联网产业联盟吴中区办事处"
    listing = soup_of(client, "/en/offices/")
    assert languages_of(listing, "苏州市工业互联网产业联盟吴中区办事处") == ["zh-Hans"]
    home = soup_of(client, "/en/")
    assert languages_of(home, "苏州市工业互联网产业联盟吴中区办事处") == ["zh-Hans"]


def test_organisation_pages_mark_untranslated_names(client, chinese_only):
    page = soup_of(client, url_of(chinese_only.organisation, "en"))
    assert page.find("h1")["lang"] == "zh-Hans"
    assert page.find(class_="prose")["lang"] == "zh-Hans"
    assert languages_of(page, "苏州市工业互联网产业联盟吴中区办事处") == ["zh-Hans"]
    directory = soup_of(client, "/en/members/")
    assert languages_of(directory, "苏州联盟测试科技有限公司") == ["zh-Hans"]
    search = soup_of(client, "/en/search/?q=苏州联盟测试")
    assert languages_of(search, "苏州联盟测试科技有限公司") == ["zh-Hans"]


def test_the_english_feeds_say_which_items_are_in_chinese(client, chinese_only):
    ArticleFactory(title_en="Council elected")

    rss = parse_xml(client.get("/en/news/feed/").content)
    channel = rss.find("channel")
    assert channel.find("language") is None, "the channel is not all English"
    languages = {item.find("title").text: item.find(DC_LANGUAGE).text for item in channel.iter("item")}
    assert languages == {"联盟年会圆满召开": "zh-Hans", "Council elected": "en"}

    atom = parse_xml(client.get("/en/news/feed/atom/").content)
    assert atom.get(XML_LANG) == "en", "the feed's own title and subtitle are English"
    languages = {entry.find(f"{ATOM}title").text: entry.get(XML_LANG) for entry in atom.iter(f"{ATOM}entry")}
    assert languages == {"联盟年会圆满召开": "zh-Hans", "Council elected": None}


def test_an_english_article_is_not_marked(client):
    article = ArticleFactory(title_en="Council elected", summary_en="The council was elected.")

    soup = soup_of(client, url_of(article, "en"))
    assert not soup.find("h1").has_attr("lang")
    assert not soup.find(class_="article-body").has_attr("lang")
    assert json.loads(soup.find("script", type="application/ld+json").string)["inLanguage"] == "en"
    assert soup.find("meta", property="og:locale")["content"] == "en_US"
    listing = soup_of(client, "/en/news/")
    assert not listing.find("h3", class_="card-title").a.has_attr("lang")
    rss = parse_xml(client.get("/en/news/feed/").content)
    assert rss.find("channel/language").text == "en"
    assert rss.find(f"channel/item/{DC_LANGUAGE}").text == "en"
    atom = parse_xml(client.get("/en/news/feed/atom/").content)
    assert atom.find(f"{ATOM}entry").get(XML_LANG) is None
