"""Whole-page cache for anonymous visitors, invalidated exactly when content changes.

Every cached page is keyed by a site-wide content version. Saving or deleting anything a public
page shows bumps the version (see alliance_site.signals), so the next request renders afresh:
no page is ever served stale, and no dependency list has to be kept per page. Pages opt in with
`@public_page`; requests carrying a session cookie (staff, previews) are never cached. The
cache is shared by all app servers (Redis in production). Imports no app of the project.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

CONTENT_VERSION_KEY = "content-version"

# Callables returning when content next changes by itself (a scheduled article falling due, a
# pin running out) as an aware datetime, or None. Apps register them; see alliance_site.signals.
scheduled_change_sources = []


def _new_state(now_ns):
    upcoming = [when for source in scheduled_change_sources if (when := source()) is not None]
    valid_until = int(min(upcoming).timestamp() * 1_000_000_000) if upcoming else None
    return now_ns, valid_until


def content_version():
    """The time (ns) content last changed, as the shared cache knows it.

    A new version starts by itself when scheduled content falls due, so a cached list never
    hides an article whose publication time has passed.
    """
    state = cache.get(CONTENT_VERSION_KEY)
    now = time.time_ns()
    if state is None or (state[1] is not None and now >= state[1]):
        state = _new_state(now)
        cache.set(CONTENT_VERSION_KEY, state, timeout=None)
    return state[0]


def bump_content_version(**_signal_kwargs):
    """Start a new content version once the current transaction commits."""
    transaction.on_commit(lambda: cache.set(CONTENT_VERSION_KEY, _new_state(time.time_ns()), timeout=None))


def public_page(view):
    """Mark a view's successful responses as the same for every anonymous visitor."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.public_page = True
        return response

    return wrapper


class CachedPage:
    """The parts of a response worth keeping; HttpResponse objects themselves do not pickle well."""

    def __init__(self, response):
        self.status_code = response.status_code
        self.headers = dict(response.headers)
        self.content = response.content
        self.counted_article = getattr(response, "counted_article", None)

    def response(self):
        response = HttpResponse(self.content, status=self.status_code)
        for name, value in self.headers.items():
            response.headers[name] = value
        response.public_page = True
        response.counted_article = self.counted_article
        return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.may_use_cache(request):
            response = self.get_response(request)
            if getattr(response, "public_page", False):
                patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
            return response
        version = content_version()
        key = self.key(request, version)
        cached = cache.get(key)
        if cached is not None:
            response = cached.response()
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self.may_store(response):
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            response["Last-Modified"] = http_date(version // 1_000_000_000)
            cache.set(key, CachedPage(response), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def may_use_cache(request):
        return (
            settings.PAGE_CACHE_ENABLED
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    @staticmethod
    def may_store(response):
        return (
            getattr(response, "public_page", False)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
        )

    @staticmethod
    def key(request, version):
        url = request.build_absolute_uri()
        return f"page:{version}:{hashlib.sha256(url.encode()).hexdigest()}"
