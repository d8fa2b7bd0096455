"""View counts are not content: reverting, importing or restoring an article leaves them as they are."""

import pytest
import reversion
from reversion.models import Version

from core.history import revert_object
from news.models import Article
from tests.factories import ArticleFactory, give_views

pytestmark = pytest.mark.django_db


def test_reverting_with_revert_object_keeps_the_views_and_does_not_go_back_to_an_old_edit_number():
    article = ArticleFactory(title_zh_hans="第一版")
    give_views(article, 10)
    with reversion.create_revision():
        article.save()
    with reversion.create_revision():
        article.title_zh_hans = "第二版"
        article.save()
    give_views(article, 25)
    edits = Article.objects.get(pk=article.pk).version

    with reversion.create_revision():
        revert_object(Version.objects.get_for_object(article).order_by("pk").first())

    article = Article.objects.select_related("views").get(pk=article.pk)
    assert article.title_zh_hans == "第一版", "the revert happened"
    assert article.view_count == 25, "views counted since that version are kept"
    assert article.version == edits, "the edit number is not part of the history"
