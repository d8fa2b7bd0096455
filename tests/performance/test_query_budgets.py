"""Site-wide pages make a fixed number of queries, however much content there is; search answers right."""

import pytest

from bench.data import BenchData
from core import search
from core.signals import next_scheduled_change
from core.text import normalise_for_search
from news.models import Article
from tests.conftest import clear_cache

pytestmark = pytest.mark.django_db

SIZES = {
    "small": {"articles": 6, "organisations": 12, "offices": 1},
    "large": {"articles": 260, "organisations": 150, "offices": 12},
}
# pinned news, latest news, notices (three walks of an index, see alliance_site.views.home_articles),
# next events, offices with member counts, member logos, two counts, and the next scheduled change
# of each app that has one (news, events, the privacy policy ...): one query per receiver of
# next_scheduled_change
HOME_QUERIES = 8 + len(next_scheduled_change.receivers)
# articles and events (each: the newest rows, then the matches, or the index), organisations, offices
SEARCH_QUERIES = 7
QUERIES = ["会", "网", "联盟", "工业", "工业互联", "智能制造", "考评指标体系", "5g", "苏州 平台"]


def generate(size):
    BenchData(**SIZES[size], images=1, progress=False, log=lambda message: None).generate(replace=True)
    clear_cache()


@pytest.mark.parametrize("size", list(SIZES))
def test_home_and_search_have_fixed_query_budgets(client, django_assert_max_num_queries, size):
    generate(size)
    with django_assert_max_num_queries(HOME_QUERIES):
        home = client.get("/")
    published = Article.objects.published()
    assert published.latest_first().first().title in home.content.decode()
    assert f"<dd>{published.count()}</dd>" in home.content.decode()
    for query in ["", *QUERIES]:
        with django_assert_max_num_queries(SEARCH_QUERIES):
            assert client.get("/search/", {"q": query}).status_code == 200


@pytest.mark.parametrize("first_rows", [3, 200], ids=["mostly-from-the-index", "mostly-from-the-newest-rows"])
def test_search_finds_exactly_the_articles_containing_the_query(client, monkeypatch, first_rows):
    monkeypatch.setattr(search, "FIRST_ROWS", first_rows)
    generate("large")
    texts = {}
    for article in Article.objects.published().latest_first():
        fields = [article.title_zh_hans, article.title_en, article.summary_zh_hans, article.summary_en]
        texts[article.pk] = [
            normalise_for_search(text or "") for text in [*fields, article.body_zh_hans, article.body_en]
        ]
    for query in QUERIES:
        # The slow way: the articles whose text contains every word of the query, newest first.
        words = normalise_for_search(query).split()
        expected = [pk for pk, fields in texts.items() if all(any(word in text for text in fields) for word in words)]
        shown = [article.pk for article in client.get("/search/", {"q": query}).context["results"]["articles"]]
        assert shown == expected[:10], query
        assert shown, f"the data set has articles about {query}"
