"""No link built from the request's path leaves the site: a request for `//evil.example/news/` (or
`/\\evil.example/`, `/%2F%2Fevil.example/` ...) gets a page whose every URL is on this site."""

import http.client
import itertools
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.factories import ArticleFactory, OfficeFactory, OfficeMembershipFactory, OrganisationFactory
from tests.security.live import Gunicorn, manage, site_environment

# How a path is made to name another host, as sent on the request line.
HOSTILE_PREFIXES = ["//evil.example", "/\\evil.example", "/%2F%2Fevil.example", "/%5Cevil.example", "///evil.example"]
URL_ATTRIBUTES = ["href", "src", "action", "content", "formaction", "poster", "srcset"]


def page_urls(page):
    """Every URL in the attributes of `page` (BeautifulSoup), as a browser would read it (tab and
    newlines dropped)."""
    urls = []
    for tag in page.find_all(True):
        for attribute in URL_ATTRIBUTES:
            value = tag.get(attribute)
            if value is None:
                continue
            if attribute == "srcset":
                urls.extend(candidate.split()[0] for candidate in value.split(",") if candidate.strip())
            elif attribute == "content":
                if value.strip().startswith(("/", "\\", "http:", "https:")):  # text in <meta> is no URL
                    urls.append(value)
            else:
                urls.append(value)
    return [url.strip().replace("\t", "").replace("\n", "").replace("\r", "") for url in urls]


def leaves_site(url, host):
    """Whether a browser would open `url` on another host than `host` (WHATWG URL: `\\` reads as `/`)."""
    url = url.replace("\\", "/")
    parts = urlsplit(url)
    if parts.scheme in ("mailto", "tel"):
        return False
    if parts.scheme:
        return parts.scheme not in ("http", "https") or parts.netloc != host
    return url.startswith("//")


def off_site(urls, host):
    return [url for url in urls if leaves_site(url, host)]


def language_switcher(page):
    return [link["href"] for link in page.select("nav.languages a[hreflang]")]


PAGE_TYPES = ["home", "news", "category", "article", "office", "directory", "organisation", "search", "missing"]


@pytest.fixture
def pages(db):
    """A path of each page type, by name."""
    office = OfficeFactory()
    organisation = OfficeMembershipFactory(office=office, organisation=OrganisationFactory()).organisation
    article = ArticleFactory()
    article.offices.set([office])
    return {
        "home": "/",
        "news": "/news/",
        "category": article.category.get_absolute_url(),
        "article": article.get_absolute_url(),
        "office": office.get_absolute_url(),
        "directory": "/members/",
        "organisation": organisation.get_absolute_url(),
        "search": "/search/?q=%E8%81%94%E7%9B%9F&next=//evil.example/",
        "missing": "/no-such-page/",
    }


def get_as_sent(client, target):
    """GET `target` exactly as it would stand on the request line; the server decodes the path
    (PEP 3333) but does not read `//host` as a host."""
    path, _, query = target.partition("?")
    return client.get("/", PATH_INFO=unquote(path), QUERY_STRING=query)


def without_trailing_slash(page):
    """The page's address as CommonMiddleware redirects it (APPEND_SLASH)."""
    path, mark, query = page.partition("?")
    return (path.rstrip("/") or "/") + mark + query


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_every_url_on_every_page_type_stays_on_the_site(client, pages, page_type):
    """Links, and the redirect adding a missing slash, on the page asked for through another host."""
    addresses = {pages[page_type], without_trailing_slash(pages[page_type])}
    for prefix, language, address in itertools.product(HOSTILE_PREFIXES, ["", "/en", "/zh-hant"], addresses):
        target = prefix + language + address
        response = get_as_sent(client, target)
        assert response.status_code in (200, 301, 302, 404), target
        if response.status_code in (301, 302):
            assert off_site([response["Location"]], "testserver") == [], target
            continue
        page = BeautifulSoup(response.content.decode(), "html.parser")
        assert len(language_switcher(page)) == 3, "the language switcher is checked"
        assert off_site(page_urls(page), "testserver") == [], target


def test_the_language_switcher_of_a_page_asked_for_with_two_slashes_stays_on_the_site(client, db):
    response = get_as_sent(client, "//evil.example/news/")
    assert response.status_code == 404
    page = BeautifulSoup(response.content.decode(), "html.parser")
    assert language_switcher(page) == ["/evil.example/news/"] * 3


LIVE_SETUP = """
from tests.factories import ArticleFactory, OfficeFactory, OfficeMembershipFactory, OrganisationFactory
from news.models import Article, Category
from offices.models import Office, OfficeMembership
from members.models import Organisation
Article.objects.all().delete()
OfficeMembership.objects.all().delete()
Office.objects.all().delete()
office = OfficeFactory(slug="live-links-office")
organisation = Organisation.objects.filter(slug="live-links-organisation").first() or OrganisationFactory(
    slug="live-links-organisation"
)
OfficeMembershipFactory(office=office, organisation=organisation)
article = ArticleFactory()
print(article.category.get_absolute_url(), article.get_absolute_url(), office.get_absolute_url(),
      organisation.get_absolute_url())
"""


@pytest.mark.services
def test_a_real_server_keeps_every_url_on_the_site(tmp_path, live_postgres):
    """gunicorn in production settings, where the 404 page is the site's own, with its links."""
    environment = site_environment(
        live_postgres,
        "locmem://",
        media_root=tmp_path,
        DEBUG="0",
        SECRET_KEY="live-links-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
    )
    manage(environment, "migrate", "--noinput", "-v", "0")
    manage(environment, "collectstatic", "--noinput", "-v", "0")
    category, article, office, organisation = manage(environment, "shell", "-v", "0", "-c", LIVE_SETUP).split()
    pages = ["/", "/news/", category, article, office, "/members/", organisation, "/search/?q=x", "/no-such-page/"]
    with Gunicorn(environment, workers=1, threads=2) as server:
        host = f"127.0.0.1:{server.port}"
        switchers = 0
        for page in pages:
            for target in [page] + [prefix + page for prefix in HOSTILE_PREFIXES]:
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
                connection.request("GET", target)
                response = connection.getresponse()
                body = response.read().decode()
                connection.close()
                assert response.status in (200, 301, 302, 400, 404), (target, response.status)
                if response.status in (301, 302):
                    assert off_site([response.getheader("Location")], host) == [], target
                    continue
                page = BeautifulSoup(body, "html.parser")
                switchers += len(language_switcher(page)) == 3
                assert off_site(page_urls(page), host) == [], target
        assert switchers >= len(pages) * 2, "pages with a language switcher were checked"
