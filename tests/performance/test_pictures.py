"""Pictures: rendition URLs remembered per source file are the ones imagekit makes."""

import pytest

from core.images import RENDITION_FORMATS, RENDITION_WIDTHS, picture, rendition_name
from tests.factories import ArticleFactory, image_file

pytestmark = pytest.mark.django_db


def test_remembered_rendition_urls_are_imagekits_for_each_source():
    first = ArticleFactory(cover=image_file("first.jpg", size=(2000, 1000)), cover_alt_zh_hans="封面")
    second = ArticleFactory(cover=image_file("second.jpg", size=(2000, 1000)), cover_alt_zh_hans="封面")
    for article in (first, second, first):
        shown = picture(article, "cover")
        expected = {
            getattr(article, rendition_name("cover", image_format, width)).url
            for image_format in RENDITION_FORMATS
            for width in RENDITION_WIDTHS
        }
        listed = {candidate.split()[0] for _, srcset in shown.sources for candidate in srcset.split(", ")}
        assert listed == expected
        assert shown.src == article.cover_webp_960.url
        assert (shown.width, shown.height) == (960, 480)
    assert picture(first, "cover").src != picture(second, "cover").src
