"""The article's Share control: a QR code made on the server that opens the article's canonical address."""

import io

import pytest
import zxingcpp
from PIL import Image

from tests.factories import ArticleFactory
from tests.news.pages import get_page, url_of

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "en", "zh-hant"]


def decoded(client, url):
    """The texts of the QR codes in the image at `url` (a PNG served by the site)."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as image:
        return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_qr_code_opens_the_articles_canonical_address_in_the_pages_language(client, language):
    article = ArticleFactory(title_zh_hans="联盟召开理事会", title_en="The council meets")

    _, document = get_page(client, url_of(article, language))

    canonical = document.find("link", rel="canonical")["href"]
    assert canonical.startswith("http://testserver/")
    share = document.find("details", class_="share")
    assert share["data-share-url"] == canonical
    qr = share.find("img", class_="share-qr")
    assert (qr["width"], qr["height"]) == ("180", "180")
    assert qr["src"].startswith("/") and not qr["src"].startswith("//")  # served by the site itself
    assert decoded(client, qr["src"]) == [canonical]
    # Printed under the title.
    assert document.find("h1").find_next_sibling("p", class_="print-url").text == canonical


def test_the_share_control_names_itself_in_the_readers_language(client):
    article = ArticleFactory()
    _, document = get_page(client, url_of(article))
    share = document.find("details", class_="share")
    assert share.summary.text == "分享"
    assert share.img["alt"] == "本文网址的二维码"
    _, document = get_page(client, url_of(article, "en"))
    assert document.find("details", class_="share").summary.text == "Share"


def test_drafts_have_no_qr_code(editor_client, client):
    draft = ArticleFactory(status="draft", published_at=None)
    _, document = get_page(editor_client, url_of(draft))  # the editor's preview
    assert document.find("details", class_="share") is None
    assert client.get(f"/news/{draft.pk}/qr.png").status_code == 404
    assert editor_client.get(f"/news/{draft.pk}/qr.png").status_code == 404


def test_the_qr_code_is_kept_by_the_page_cache(client, page_cache, django_assert_num_queries):
    article = ArticleFactory()
    url = f"/en/news/{article.pk}/qr.png"
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
    assert "public" in again["Cache-Control"]
