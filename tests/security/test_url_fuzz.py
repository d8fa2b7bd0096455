"""Generated paths and query strings against every public URL pattern: 200, 301, 302 or 404, never a 500."""

from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.factories import ArticleFactory, OfficeFactory, OfficeMembershipFactory, OrganisationFactory

ACCEPTED = {200, 301, 302, 404}
FUZZ = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any character a URL can carry once percent-encoded: control characters, NUL, Chinese, emoji,
# quotes and markup, path dots and slashes.
any_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
tricky_text = st.one_of(
    any_text,
    st.sampled_from(["..", ".", "%00", "%", "%zz", "-", "0", "-1", "9" * 30, "1e9", "NaN", "' OR 1=1 --", "\x00"]),
    st.integers().map(str),
)
segment = tricky_text.map(lambda text: quote(text, safe=""))
prefix = st.sampled_from(["", "/en", "/zh-hant", "/zh-hans", "/fr"])
QUERY_KEYS = ["q", "page", "office", "kind", "role", "category", "next", "format", "utm_source"]
query = st.builds(
    lambda known, other: {**other, **known},
    st.fixed_dictionaries({}, optional=dict.fromkeys(QUERY_KEYS, tricky_text)),
    st.dictionaries(any_text, tricky_text, max_size=2),
)
NUL_EVERYWHERE = dict.fromkeys(QUERY_KEYS, "苏州\x00")


@pytest.fixture
def site(db):
    office = OfficeFactory()
    membership = OfficeMembershipFactory(office=office, organisation=OrganisationFactory())
    article = ArticleFactory()
    article.offices.set([office])
    return {"article": article, "office": office, "organisation": membership.organisation}


def fetch(path, params=None):
    response = Client(raise_request_exception=False).get(path, params or {})
    assert response.status_code in ACCEPTED, (path, params, response.status_code)
    return response


@FUZZ
@given(prefix=prefix, first=segment, second=segment, pk=st.integers(min_value=-5, max_value=2**70))
@example(prefix="", first="%00", second="..%2F..%2Fetc%2Fpasswd", pk=2**63)
def test_generated_paths_under_every_public_pattern(site, prefix, first, second, pk):
    article = site["article"]
    for path in [
        f"/{first}",
        f"/{first}/{second}/",
        f"/news/{first}/",
        f"/news/{pk}/",
        f"/news/{pk}/{first}/",
        f"/news/{article.pk}/{first}/",
        f"/news/category/{first}/",
        f"/news/feed/{first}",
        f"/offices/{first}/",
        f"/offices/{first}/{second}",
        f"/members/{first}/",
        f"/search/{first}",
    ]:
        fetch(prefix + path)
    for path in [f"/sitemap-{first}.xml", f"/healthz/{first}", f"/robots.txt/{first}", f"/static/{first}"]:
        fetch(path)


@FUZZ
@given(prefix=prefix, params=query)
@example(prefix="", params=NUL_EVERYWHERE)
@example(prefix="/en", params={"page": "9" * 30, "office": "-", "kind": "' OR 1=1 --"})
def test_generated_query_strings_on_every_public_page(site, prefix, params):
    for path in [
        "/",
        "/search/",
        "/news/",
        site["article"].category.get_absolute_url(),
        site["article"].get_absolute_url(),
        "/news/feed/",
        "/news/feed/atom/",
        "/offices/",
        site["office"].get_absolute_url(),
        "/members/",
        site["organisation"].get_absolute_url(),
    ]:
        fetch(prefix + path, params)
    for path in ["/sitemap.xml", "/sitemap-news.xml", "/robots.txt", "/healthz"]:
        fetch(path, params)
