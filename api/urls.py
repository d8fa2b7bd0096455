"""/api/v1/: the API's endpoints, each cached and revalidated as a public page (core.cache)."""

from api.endpoints import api
from core.cache import page_number, public_page

LANG = {"lang": None}
# The query parameters each endpoint reads (any other is ignored, and not part of the cache key).
QUERIES = {
    "list_articles": {
        "page": page_number,
        **dict.fromkeys(("category", "office", "organisation", "q", "since", "until")),
        **LANG,
    },
    "get_article": LANG,
    "list_categories": LANG,
    "list_offices": LANG,
    "get_office": LANG,
    "list_organisations": {"page": page_number, **dict.fromkeys(("q", "letter", "kind", "role", "office")), **LANG},
    "get_organisation": LANG,
    "list_events": {"page": page_number, **dict.fromkeys(("when", "office", "committee", "kind")), **LANG},
    "get_event": LANG,
    "api-root": {},
    "openapi-json": {},
    "openapi-view": {},
}


def cached_urls():
    """ninja's URL patterns, each endpoint's view marked as a public page reading its QUERIES."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = public_page(pattern.callback, query=QUERIES[pattern.name])
    return patterns, app_name, namespace


urls = cached_urls()
