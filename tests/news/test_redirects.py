"""Old addresses answer 301 to their new page: imported from CSV (after a preview), created by the
legacy import, consulted only for requests that would be 404, and cached."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import Article, Redirect
from tests.factories import ArticleFactory
from tests.news.pages import url_of

pytestmark = pytest.mark.django_db
IMPORT_URL = "/admin/news/redirect/import/"


def admin_import(client, content):
    upload = SimpleUploadedFile("redirects.csv", content.encode("utf-8"))
    return client.post(IMPORT_URL, {"import_file": upload, "format": "0"})


def confirm(client, preview):
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(IMPORT_URL.replace("/import/", "/process_import/"), data, follow=True)


def test_a_redirect_imported_from_csv_answers_301_to_the_article(client, editor_client):
    article = ArticleFactory()
    csv = f"old_path,article,new_path\n/news/show-123.html,{article.pk},\n/about-us.asp,,/offices/\n"
    preview = admin_import(editor_client, csv)
    assert 'name="confirm"' in preview.content.decode()
    assert not Redirect.objects.exists(), "the preview saves nothing"
    confirm(editor_client, preview)
    assert Redirect.objects.count() == 2

    response = client.get("/news/show-123.html")
    assert response.status_code == 301 and response["Location"] == url_of(article)
    response = client.get("/about-us.asp")
    assert response.status_code == 301 and response["Location"] == "/offices/"
    assert client.get("/news/show-124.html").status_code == 404


def test_a_bad_row_is_shown_in_the_preview_and_nothing_is_saved(editor_client):
    preview = admin_import(editor_client, "old_path,article,new_path\nnews/show-1.html,,/news/\n/x,,\n")
    assert not preview.context.get("confirm_form")
    invalid = {row.number: sorted(row.error_dict) for row in preview.context["result"].invalid_rows}
    assert set(invalid) == {1, 2}
    assert not Redirect.objects.exists()


def test_the_legacy_import_creates_the_redirect(client, tmp_path):
    export = tmp_path / "article.txt"
    lines = ["测试文章标题 |", "新闻类别: 联盟动态 浏览量:12 |", "原网址: http://www.sziia.org/news/show-88.html |"]
    export.write_text("\n".join([*lines, "第一段正文。", "文章来源:苏州市工业互联网产业联盟 |"]), encoding="utf-8")
    call_command("import_articles", str(export), stdout=io.StringIO())
    article = Article.objects.get()
    assert "原网址" not in article.body_zh_hans, "the address is no paragraph of the article"
    assert Redirect.objects.get().article == article
    assert Redirect.objects.get().old_path == "/news/show-88.html"
    article.status = Article.Status.PUBLISHED
    article.save()
    response = client.get("/news/show-88.html")
    assert response.status_code == 301 and response["Location"] == url_of(article)


def test_the_command_option_names_the_old_address_and_a_dry_run_creates_nothing(tmp_path):
    export = tmp_path / "article.txt"
    export.write_text("测试文章 |\n新闻类别: 联盟动态 浏览量:1 |\n正文一段。\n文章来源:联盟 |", encoding="utf-8")
    call_command(
        "import_articles", str(export), "--dry-run", "--old-address", "/news/show-9.html", stdout=io.StringIO()
    )
    assert not Redirect.objects.exists()
    call_command("import_articles", str(export), "--old-address", "/news/show-9.html", stdout=io.StringIO())
    assert Redirect.objects.get().old_path == "/news/show-9.html"


def test_redirects_are_consulted_only_for_would_be_404s_and_cached(client, page_cache):
    article = ArticleFactory()
    Redirect.objects.create(old_path="/news/", new_path="/offices/")
    Redirect.objects.create(old_path="/news/show-1.html", article=article)
    assert client.get("/news/").status_code == 200, "a page that exists is never redirected"

    with CaptureQueriesContext(connection) as first:
        assert client.get("/news/show-1.html").status_code == 301
    with CaptureQueriesContext(connection) as second:
        assert client.get("/news/show-1.html").status_code == 301
    looked_up = [query["sql"] for query in first if "news_redirect" in query["sql"]]
    assert len(looked_up) == 1
    assert not [query["sql"] for query in second if "news_redirect" in query["sql"]], "the answer is cached"
    with CaptureQueriesContext(connection) as missing:
        assert client.get("/nothing-here.html").status_code == 404
        assert client.get("/nothing-here.html").status_code == 404
    assert len([query for query in missing if "news_redirect" in query["sql"]]) == 1, "misses are cached too"

    with page_cache(execute=True):
        Redirect.objects.filter(old_path="/news/show-1.html").delete()
    assert client.get("/news/show-1.html").status_code == 404, "a change takes effect at once"
