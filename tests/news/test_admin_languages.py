"""Every label an editor or reviewer sees in the admin is in the page's Chinese (zh-hans and zh-hant)."""

import re

import pytest

from core.groups import EDITORS, REVIEWERS
from news import services
from news.models import Article, Redirect
from tests.factories import ArticleFactory, UserFactory
from tests.news.pages import parse_html

pytestmark = pytest.mark.django_db
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Words that are not labels: language names and codes of the tabs and switcher, file formats, the
# users' own names.
NOT_LABELS = {
    "English",
    "ZH",
    "HANS",
    "HANT",
    "EN",
    "zh",
    "hans",
    "hant",
    "en",
    "CSV",
    "XLSX",
    "JSON",
    "TSV",
    "ODS",
    "HTML",
    "YAML",
    "PDF",
}


def latin_words(html, allowed):
    document = parse_html(html)
    for hidden in document.find_all(["script", "style", "template", "textarea", "option"]):
        hidden.decompose()
    for empty_form in document.select(".empty-form"):
        empty_form.decompose()
    words = set(LATIN_WORD.findall(document.get_text(" ")))
    attributes = [
        element.get(name, "")
        for element in document.find_all(True)
        for name in ("title", "placeholder", "aria-label", "value")
        # A value is shown on buttons that are inputs only.
        if name != "value" or (element.name == "input" and element.get("type") in ("submit", "button"))
    ]
    words |= set(LATIN_WORD.findall(" ".join(attributes)))
    return words - NOT_LABELS - allowed


@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
@pytest.mark.parametrize("group", [EDITORS, REVIEWERS])
def test_the_editorial_admin_speaks_chinese(client, prefix, group):
    user = UserFactory(groups=[group])
    writer = UserFactory(groups=[EDITORS])
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=writer, title_en="")
    services.submit_for_review(article, user=writer, comment="请审核")
    Redirect.objects.create(old_path="/news/show-1.html", article=article)
    client.force_login(user)
    pages = [
        "/admin/",
        "/admin/news/",
        "/admin/news/article/",
        "/admin/news/article/?review=submitted",
        "/admin/news/article/add/",
        f"/admin/news/article/{article.pk}/change/",
        f"/admin/news/article/{article.pk}/review/",
        f"/admin/news/article/{article.pk}/history/",
        "/admin/news/article/calendar/",
        "/admin/news/redirect/",
        "/admin/news/redirect/add/",
        "/admin/news/redirect/import/",
        "/admin/news/category/",
    ]
    # What users wrote (names, slugs, addresses) and the import's column names are not labels.
    written = f"{user.username} {writer.username} {article.slug} {article.category.slug} /news/show-1.html"
    allowed = set(LATIN_WORD.findall(f"{written} old_path article new_path"))
    english = {}
    for page in pages:
        response = client.get(prefix + page)
        assert response.status_code == 200, page
        if words := latin_words(response.content.decode(), allowed):
            english[page] = sorted(words)
    assert not english, "\n".join(f"{page}: {words}" for page, words in english.items())
