"""The migration that moved view counts out of the article row keeps every count."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("news", "0010_view_count_window")]
AFTER = [("news", "0011_view_counts_in_their_own_tables")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_each_articles_views_move_into_its_own_row():
    old = migrate(BEFORE)
    category = old.get_model("news", "Category").objects.create(name_zh_hans="动态", slug="news", order=1)
    Article = old.get_model("news", "Article")
    read = Article.objects.create(title_zh_hans="读过", slug="read", category=category, view_count=4060)
    unread = Article.objects.create(title_zh_hans="没读过", slug="unread", category=category)
    try:
        new = migrate(AFTER)
        views = dict(new.get_model("news", "ArticleViews").objects.values_list("article_id", "count"))
        assert views == {read.pk: 4060, unread.pk: 0}, "every article has its row"
        assert "view_count" not in {field.name for field in new.get_model("news", "Article")._meta.fields}

        old = migrate(BEFORE)
        counts = dict(old.get_model("news", "Article").objects.values_list("pk", "view_count"))
        assert counts == {read.pk: 4060, unread.pk: 0}, "migrating back puts the counts back"
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
