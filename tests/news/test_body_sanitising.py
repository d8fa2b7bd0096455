"""The article body is cleaned on every save, whatever the browser sends: pasted Word, WeChat and
Google Docs markup comes out as plain structure (paragraphs, lists, tables, links)."""

import re
from pathlib import Path

import pytest

from news.models import Article
from tests.factories import ArticleFactory, ArticlePhotoFactory, CategoryFactory
from tests.news.pages import get_page, url_of

PASTED = Path(__file__).parent / "pasted"
GOOGLE_DOCS = (
    '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1a2b">'
    '<p dir="ltr" style="line-height:1.38;margin-top:0pt;">'
    '<span style="font-size:11pt;font-weight:700;">标题</span></p>'
    '<ul><li dir="ltr" style="list-style-type:disc;"><p dir="ltr" role="presentation"><span>第一点</span></p></li></ul>'
    '</b><br class="Apple-interchange-newline">'
)


def structure(html):
    """The markup without the white space between tags that pasted sources carry."""
    return re.sub(r">\s+<", "><", html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            (PASTED / "word.html").read_text(),
            "<p>吴中区办事处成立大会</p><p>11月20日上午，大会在苏州智能制造研究院1号楼顺利举行。</p>"
            "<p>1.&nbsp;&nbsp;&nbsp; 发布考评指标体系</p>"
            "<table><tbody><tr><td><p>单位</p></td><td><p>职务</p></td></tr></tbody></table>"
            '<p><a href="https://www.example.org/report">报告全文</a></p>',
        ),
        (
            (PASTED / "wechat.html").read_text(),
            "<p><strong>会议现场</strong></p><p>苏州市工业互联网产业联盟吴中区办事处成立。</p><p>▲ 揭牌仪式</p>"
            '<p><a href="https://mp.weixin.qq.com/s?__biz=MzI0&amp;mid=2247&amp;idx=1">往期回顾</a></p>',
        ),
        (GOOGLE_DOCS, "<p>标题</p><ul><li><p>第一点</p></li></ul><br>"),
    ],
    ids=["word", "wechat", "google-docs"],
)
def test_pasted_documents_come_out_clean(source, expected):
    article = ArticleFactory(body_zh_hans=source)
    assert structure(article.body_zh_hans) == expected
    assert "MsoNormal" not in article.search_document and "会议纪要" not in article.search_document


@pytest.mark.django_db
def test_what_the_editor_can_make_survives():
    photo = ArticlePhotoFactory()
    body = (
        "<h2>一、会议概况</h2><h3>小标题</h3><p><strong>粗</strong><em>斜</em><u>下划线</u><s>删除</s>"
        'H<sub>2</sub>O m<sup>2</sup><br><a href="https://www.example.org/">链接</a>'
        '<a href="mailto:office@example.org">邮件</a></p><ul><li><p>一</p></li></ul>'
        '<ol start="3"><li><p>三</p></li></ol><blockquote><p>引用</p></blockquote><hr>'
        '<table><tbody><tr><th colspan="2"><p>表头</p></th></tr>'
        "<tr><td><p>甲</p></td><td><p>乙</p></td></tr></tbody></table>"
        f'<figure><img src="/media/photo.webp" alt="会场" data-file="{photo.pk}"><figcaption>图注</figcaption></figure>'
        '<figure><img src="" alt=""><figcaption>待配图</figcaption></figure>'
    )
    photo.article.body_zh_hans = body
    photo.article.save()
    assert photo.article.body_zh_hans == body


@pytest.mark.django_db
def test_images_from_elsewhere_are_removed_and_article_photos_kept():
    article = ArticleFactory(
        body_zh_hans=(
            '<p>甲<img src="https://mmbiz.qpic.cn/a.jpg">乙</p><p><img src="/media/a.jpg" alt="x"></p>'
            '<figure><img src="/media/b.jpg" data-file="7" alt="照片"><figcaption>图注</figcaption></figure>'
        )
    )
    assert article.body_zh_hans == (
        '<p>甲乙</p><figure><img src="/media/b.jpg" data-file="7" alt="照片"><figcaption>图注</figcaption></figure>'
    )


@pytest.mark.django_db
def test_a_body_posted_through_the_admin_is_cleaned(editor_client):
    category = CategoryFactory()
    response = editor_client.post(
        "/admin/news/article/add/", article_form(category, (PASTED / "wechat.html").read_text())
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert structure(article.body_zh_hans).startswith("<p><strong>会议现场</strong></p>")
    assert "style" not in article.body_zh_hans and "mmbiz" not in article.body_zh_hans

    _, html = get_page(editor_client, url_of(article))
    assert [p.text for p in html.find("div", class_="article-body").find_all("p")][:2] == [
        "会议现场",
        "苏州市工业互联网产业联盟吴中区办事处成立。",
    ]


def article_form(category, body, **fields):
    """The add form as the browser posts it: translated fields, empty photo and attachment inlines."""
    data = {
        "title_zh_hans": "粘贴的文章",
        "title_en": "",
        "title_zh_hant": "",
        "slug": "",
        "category": category.pk,
        "summary_zh_hans": "",
        "summary_en": "",
        "summary_zh_hant": "",
        "body_zh_hans": body,
        "body_en": "",
        "body_zh_hant": "",
        "status": Article.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "pinned_until_0": "",
        "pinned_until_1": "",
        "cover_alt_zh_hans": "",
        "cover_alt_en": "",
        "cover_alt_zh_hant": "",
        "source_zh_hans": "",
        "source_en": "",
        "source_zh_hant": "",
        "author": "",
        "opened_version": "",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }
    return data | fields
