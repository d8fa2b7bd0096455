"""Autosave: what an editor types is kept as their own draft of the form, never in the article;
reopening the form offers it back; saving the form removes it."""

import pytest

from news.models import Article, ArticleAutosave
from tests.factories import ArticleFactory
from tests.news.pages import form_data, get_page, url_of

pytestmark = pytest.mark.django_db
AUTOSAVE = "/admin/news/article/autosave/"


def typed(client, article, **changes):
    _, html = get_page(client, f"/admin/news/article/{article.pk}/change/")
    data = form_data(html, "article_form")
    data.update({name: [value] for name, value in changes.items()})
    data["_autosave_article"] = [str(article.pk)]
    return data


def test_an_autosave_of_a_published_article_changes_nothing_public_and_is_offered_back(client, editor_client, editor):
    article = ArticleFactory(title_zh_hans="已发布的标题")
    version = article.version
    response = editor_client.post(AUTOSAVE, typed(editor_client, article, title_zh_hans="正在输入的新标题"))
    assert response.status_code == 200 and "saved_at" in response.json()

    article.refresh_from_db()
    assert (article.title_zh_hans, article.version, article.pending_revision) == ("已发布的标题", version, None)
    assert ArticleAutosave.objects.get(user=editor, article=article).data["title_zh_hans"] == "正在输入的新标题"
    assert "已发布的标题" in client.get(url_of(article)).content.decode()

    _, html = get_page(editor_client, f"/admin/news/article/{article.pk}/change/")
    offer = html.find("div", class_="autosave-offer")
    assert offer.find("a")["href"] == "?restore=autosave"
    assert html.find("input", id="id_title_zh_hans")["value"] == "已发布的标题"
    _, restored = get_page(editor_client, f"/admin/news/article/{article.pk}/change/?restore=autosave")
    assert restored.find("input", id="id_title_zh_hans")["value"] == "正在输入的新标题"
    assert restored.find("div", class_="autosave-offer") is None


def test_saving_the_form_removes_the_autosave(editor_client, editor, settings):
    settings.REVIEW_REQUIRED = False
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    editor_client.post(AUTOSAVE, typed(editor_client, article, title_zh_hans="草稿新标题"))
    data = typed(editor_client, article, title_zh_hans="草稿新标题")
    assert editor_client.post(f"/admin/news/article/{article.pk}/change/", data).status_code == 302
    assert not ArticleAutosave.objects.exists()
    assert Article.objects.get(pk=article.pk).title_zh_hans == "草稿新标题"


def test_autosave_answers_only_post_and_only_for_articles_one_may_change(editor_client, client, roster_client):
    article = ArticleFactory()
    assert editor_client.get(AUTOSAVE).status_code == 405
    assert editor_client.post(AUTOSAVE, {"_autosave_article": "999999"}).status_code == 404
    assert roster_client.post(AUTOSAVE, {"_autosave_article": str(article.pk)}).status_code == 403
    assert not ArticleAutosave.objects.exists()
