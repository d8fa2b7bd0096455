"""Concurrency: editors saving at the same time overwrite nothing; parallel views are all counted."""

import re
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from news.admin import STALE_ARTICLE_MESSAGE
from news.models import Article
from tests.factories import ArticleFactory, ArticlePhotoFactory, UserFactory
from tests.security.admin_forms import admin_form_data
from tests.security.live import BROWSER, BrowserSession, Gunicorn, manage, site_environment
from tests.services import delete_redis_keys, redis_key_prefix, redis_url


def editor_client():
    client = Client()
    client.force_login(UserFactory(groups=["Editors"]))
    return client


@pytest.mark.django_db
def test_the_second_of_two_editors_is_told_the_article_changed_and_nothing_is_overwritten(settings):
    settings.REVIEW_REQUIRED = False  # saves reach the row (under review: tests/news/test_review.py)
    article = ArticleFactory(title_zh_hans="原标题")
    photo = ArticlePhotoFactory(article=article, caption_zh_hans="原图注")
    url = reverse("admin:news_article_change", args=[article.pk])
    first, second = editor_client(), editor_client()
    first_form, second_form = admin_form_data(first.get(url)), admin_form_data(second.get(url))
    assert first_form["opened_version"] == second_form["opened_version"] == str(article.version)

    first_form.update(title_zh_hans="第一位编辑的标题", **{"photos-0-caption_zh_hans": "第一位编辑的图注"})
    assert first.post(url, first_form).status_code == 302

    second_form.update(title_zh_hans="第二位编辑的标题", **{"photos-0-caption_zh_hans": "第二位编辑的图注"})
    response = second.post(url, second_form)
    assert response.status_code == 200
    with translation.override("en"):
        errors = str(response.context["adminform"].form.non_field_errors())
    assert "Someone else saved this article" in errors and "after you opened it" in errors
    article.refresh_from_db()
    photo.refresh_from_db()
    assert article.title_zh_hans == "第一位编辑的标题"
    assert photo.caption_zh_hans == "第一位编辑的图注"

    # Reopened, the second editor's form carries the new version and saves.
    reopened = admin_form_data(second.get(url))
    reopened["title_zh_hans"] = "第二位编辑的标题"
    assert second.post(url, reopened).status_code == 302
    assert Article.objects.get(pk=article.pk).title_zh_hans == "第二位编辑的标题"


VIEWS = 200
SETUP = """
from django.contrib.auth.models import User
from news.models import Article, Category, PendingView
Article.objects.all().delete()
category, _ = Category.objects.get_or_create(slug="industry-news", defaults={"name_zh_hans": "行业动态"})
article = Article.objects.create(title_zh_hans="并发浏览测试", category=category, status="published")
print(article.get_absolute_url())
"""
READ_COUNT = """
from news.counting import flush_view_counts
from news.models import Article, PendingView
rows_before = PendingView.objects.count()
flush_view_counts()
flush_view_counts()
print(rows_before, Article.objects.get().view_count, PendingView.objects.count())
"""


def visitor_agent(n):
    """The browser of simulated visitor `n`: every visitor comes from the loopback address."""
    return BROWSER.replace("Chrome/130.0", f"Chrome/130.0.{n}")


@pytest.fixture(scope="module")
def live_database(live_postgres, tmp_path_factory):
    """This run's live PostgreSQL database, migrated once for this module."""
    media_root = tmp_path_factory.mktemp("media")
    manage(site_environment(live_postgres, "locmem://", media_root=media_root), "migrate", "--noinput")
    return live_postgres


@pytest.mark.services
@pytest.mark.parametrize("counter", ["redis", "database"])
def test_parallel_views_against_a_real_server_are_counted_exactly(counter, live_database, tmp_path, request):
    cache_url = redis_url() if counter == "redis" else "locmem://"
    # The server adds the run's token to the prefix too (it inherits the run's environment).
    prefix = redis_key_prefix(f"live-{counter}")
    environment = site_environment(live_database, cache_url, media_root=tmp_path, CACHE_KEY_PREFIX=prefix)
    if counter == "redis":
        request.addfinalizer(lambda: delete_redis_keys(cache_url, prefix))
    path = manage(environment, "shell", "-v", "0", "-c", SETUP).strip()
    with Gunicorn(environment, workers=2, threads=8) as server:
        with ThreadPoolExecutor(max_workers=16) as pool:
            statuses = list(pool.map(lambda n: server.get(path, agent=visitor_agent(n))[0], range(VIEWS)))
        assert statuses == [200] * VIEWS
        # Crawlers are served but not counted; nor is a visitor's second view.
        assert server.get(path, agent="Googlebot/2.1")[0] == 200
        assert server.get(path, agent=visitor_agent(0))[0] == 200
        _, page = server.get(path, agent=visitor_agent(VIEWS))
        shown = int(re.search(rb'<data class="view-count" value="(\d+)"', page).group(1))
        assert shown == VIEWS + 1, "the page shows every view so far, before any flush"
    rows_before, stored, rows_after = map(int, manage(environment, "shell", "-v", "0", "-c", READ_COUNT).split())
    assert rows_before == (0 if counter == "redis" else VIEWS + 1), "views were counted where they should be"
    assert (stored, rows_after) == (VIEWS + 1, 0)


EDITORS_SETUP = """
from django.contrib.auth.models import User
from news.models import Article, Category
Article.objects.all().delete()
User.objects.filter(username__in=["editor-a", "editor-b"]).delete()
for name in ("editor-a", "editor-b"):
    User.objects.create_superuser(name, f"{name}@example.org", "a-good-long-password")
category, _ = Category.objects.get_or_create(slug="industry-news", defaults={"name_zh_hans": "行业动态"})
article = Article.objects.create(title_zh_hans="同时编辑测试", category=category, status="published")
print(article.pk, article.version)
"""
READ_ARTICLE = """
from news.admin import STALE_ARTICLE_MESSAGE
from news.models import Article
article = Article.objects.get()
print(article.version, article.title_zh_hans)
"""


@pytest.mark.services
def test_two_editors_saving_at_the_same_instant_on_a_real_server(live_database, tmp_path):
    """Both forms are opened, then both saved at once: one save wins, the other is told, none is lost."""
    environment = site_environment(live_database, "locmem://", media_root=tmp_path, REVIEW_REQUIRED="0")
    pk, version = map(int, manage(environment, "shell", "-v", "0", "-c", EDITORS_SETUP).split())
    path = f"/admin/news/article/{pk}/change/"
    with Gunicorn(environment, workers=2, threads=4) as server:
        editors = {name: BrowserSession(server.url) for name in ("editor-a", "editor-b")}
        forms = {}
        for name, session in editors.items():
            session.sign_in(name, "a-good-long-password")
            forms[name] = session.form(path, "article_form")
            assert forms[name]["opened_version"] == [str(version)]
            forms[name]["title_zh_hans"] = [f"{name} 的标题"]
        start = Barrier(len(editors))

        def save(name):
            start.wait()
            return name, editors[name].request(path, forms[name])

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = dict(pool.map(save, editors))
    saved = [name for name, (status, _) in results.items() if status == 302]
    # The admin speaks zh-hans: the notice up to the time it names.
    with translation.override("zh-hans"):
        notice = str(STALE_ARTICLE_MESSAGE).split("%(time)s")[0]
    refused = [name for name, (status, page) in results.items() if status == 200 and notice in page]
    assert len(saved) == 1 and len(refused) == 1, {name: status for name, (status, _) in results.items()}
    stored_version, stored_title = manage(environment, "shell", "-v", "0", "-c", READ_ARTICLE).split(maxsplit=1)
    assert int(stored_version) == version + 1
    assert stored_title.strip() == f"{saved[0]} 的标题"
