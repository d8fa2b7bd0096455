"""The seed article (load_demo) at its canonical address, in three languages, with its metadata and links."""

import datetime
import json

import pytest
from PIL import Image

from alliance_site.demo import SEED_DIR, parse_article_markdown
from core.text import to_traditional
from tests.factories import AttachmentFactory
from tests.news.pages import get_page, url_of

LANGUAGES = ["zh-hans", "en", "zh-hant"]


def seed_text(language):
    path = SEED_DIR / ("article.en.md" if language == "en" else "article.zh-hans.md")
    article = parse_article_markdown(path.read_text(encoding="utf-8"))
    if language == "zh-hant":
        return to_traditional(article.title), [(kind, to_traditional(text)) for kind, text in article.blocks]
    return article.title, article.blocks


@pytest.mark.parametrize("language", LANGUAGES)
def test_seed_article_reads_correctly_in_each_language(client, seed_article, language):
    response, html = get_page(client, url_of(seed_article, language))
    title, blocks = seed_text(language)

    assert html.find("html").attrs["lang"] == language
    assert html.find("h1").text == title
    body = html.find("div", class_="article-body")
    paragraphs = [p.text for p in body.find_all("p")]
    assert paragraphs == [text for kind, text in blocks if kind == "p"]
    captions = [caption.text for caption in body.find_all("figcaption")]
    assert captions == [text for kind, text in blocks if kind == "caption"]
    assert len(body.find_all("picture")) == 5, "each caption under its photo"
    assert html.find("data", class_="view-count").attrs["value"] == "4060"
    assert html.find("data", class_="view-count").text == "4060"
    assert response["Content-Language"] == language


def test_traditional_is_generated_from_simplified(seed_article):
    assert seed_article.title_zh_hant == "吳中區辦事處成立大會順利舉行，蘇州市工業互聯網區域考評指標體系同步發佈"
    assert seed_article.body_zh_hant == to_traditional(seed_article.body_zh_hans)
    assert seed_article.category.name_zh_hant == "行業動態"
    assert seed_article.photos.get(order=5).caption_zh_hant.startswith("蘇州市吳中區人民政府副區長張華謙（左）")


def test_photos_are_responsive_pictures_with_their_description(client, seed_article):
    _, html = get_page(client, url_of(seed_article, "en"))
    picture = html.find("div", class_="article-body").find("picture")
    image = picture.find("img")
    first_photo = seed_article.photos.get(order=1)

    assert image.attrs["alt"] == first_photo.alt_text_en == "Pan Ming"
    assert (image.attrs["width"], image.attrs["height"]) == ("960", "640")
    assert image.attrs["src"].endswith(".webp")
    types = [source.attrs["type"] for source in picture.find_all("source")]
    assert "image/webp" in types
    assert " 480w" in picture.find("source", type="image/webp").attrs["srcset"]


@pytest.mark.parametrize("wrong", ["wrong-slug", "wu-zhong", "-"])
def test_a_wrong_or_missing_slug_redirects_permanently_to_the_canonical_url(client, seed_article, wrong):
    for language, prefix in zip(LANGUAGES, ["", "/en", "/zh-hant"], strict=True):
        response = client.get(f"{prefix}/news/{seed_article.pk}/{wrong}/")
        assert response.status_code == 301
        assert response["Location"] == url_of(seed_article, language)
    response = client.get(f"/news/{seed_article.pk}/")
    assert (response.status_code, response["Location"]) == (301, url_of(seed_article))


def test_slug_is_the_pinyin_of_the_title_and_a_changed_slug_still_reaches_the_article(client, seed_article):
    assert seed_article.slug == "wu-zhong-qu-ban-shi-chu-cheng-li-da-hui-shun-li-ju-xing-su"
    old_url = url_of(seed_article)
    seed_article.slug = "wuzhong-office-founded"
    seed_article.save()

    response = client.get(old_url)
    assert (response.status_code, response["Location"]) == (301, f"/news/{seed_article.pk}/wuzhong-office-founded/")
    assert client.get(response["Location"]).status_code == 200


def test_unknown_article_is_404(client, seed_article):
    assert client.get("/news/999999/anything/").status_code == 404


def test_json_ld_describes_the_news_article(client, seed_article):
    _, html = get_page(client, url_of(seed_article, "en"))
    scripts = html.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].text)
    canonical = "http://testserver" + url_of(seed_article, "en")

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["url"] == data["mainEntityOfPage"] == canonical
    assert data["headline"].startswith("Wuzhong District Office Founding Conference")
    assert len(data["headline"]) <= 110
    assert data["inLanguage"] == "en"
    assert data["articleSection"] == "Industry News"
    assert datetime.datetime.fromisoformat(data["datePublished"]) == seed_article.published_at
    assert data["author"] == {"@type": "Organization", "name": "Suzhou Industrial Internet Industry Alliance"}
    assert data["publisher"]["url"] == "http://testserver/en/"
    assert data["image"][0].startswith("http://testserver/media/renditions/")
    assert data["image"][0].endswith(".jpg"), "link previews and search engines get a JPEG"


def test_open_graph_gives_shares_a_title_summary_and_image(client, seed_article):
    _, html = get_page(client, url_of(seed_article, "zh-hant"))
    meta = {m.attrs["property"]: m.attrs["content"] for m in html.find_all("meta") if "property" in m.attrs}

    assert meta["og:type"] == "article"
    assert meta["og:title"] == seed_article.title_zh_hant
    assert meta["og:description"] == seed_article.summary_zh_hant
    assert meta["og:url"] == "http://testserver" + url_of(seed_article, "zh-hant")
    assert meta["og:locale"] == "zh_TW"
    assert meta["og:image"].startswith("http://testserver/media/") and meta["og:image"].endswith(".jpg")
    # The demo gives the seed article a 1600×900 cover, which comes before its photos; shares get
    # its JPEG rendition, 1200 wide, and the sizes given are that file's.
    share = seed_article.cover_share
    assert meta["og:image"] == "http://testserver" + share.url
    share.generate()
    with share.storage.open(share.name) as served:
        served_size = Image.open(served).size
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "675") == tuple(map(str, served_size))
    assert meta["og:image:alt"] == seed_article.cover_alt_zh_hant
    assert meta["article:section"] == "行業動態"
    assert html.find("link", rel="canonical").attrs["href"] == meta["og:url"]


def test_summary_is_the_opening_sentences_of_the_body(seed_article):
    # The seed's first paragraph is two sentences of 109 characters: it is the summary, whole.
    assert seed_article.summary_zh_hans.startswith("11月20日上午，")
    assert seed_article.summary_zh_hans.endswith("发布了《苏州市工业互联网区域考评指标体系》。")


def test_attachments_are_listed_with_type_and_size(client, seed_article):
    attachment = AttachmentFactory(
        article=seed_article, title_zh_hans="苏州市工业互联网区域考评指标体系", title_en="Index system"
    )
    _, html = get_page(client, url_of(seed_article, "en"))
    section = html.find("section", class_="attachments")
    link = section.find("a")
    assert link.text == "Index system"
    assert link.attrs["href"] == f"/en/news/attachments/{attachment.pk}/"  # the download, not the stored file
    assert "download" in link.attrs
    assert "PDF" in section.find("span", class_="file-info").text


def test_links_to_the_offices_organisations_and_people_the_article_is_about(client, seed_article):
    _, html = get_page(client, url_of(seed_article))
    about = html.find("section", class_="article-about")
    links = [(a.attrs["href"], a.text) for a in about.find_all("a")]
    assert ("/offices/wuzhong/", "吴中区办事处") in links
    organisation = seed_article.organisations.get(slug="suzhou-inspur-cloud")
    assert (url_of(organisation), "苏州浪潮云计算有限公司") in links
    assert (url_of(organisation), "潘明") in links, "a person links to their organisation"
    assert "总经理" in about.text
