"""Whole-page cache for anonymous visitors, invalidated exactly when content changes.

Every cached page is keyed by a site-wide content version. Saving or deleting anything a public
page shows starts a new version once the transaction commits (see alliance_site.signals), so the
next request renders afresh: no page is ever served stale, and no dependency list has to be kept
per page. A deploy starts a new version too (migrate runs on every deploy), so pages rendered by
old templates are never served. Pages opt in with `@public_page`; requests carrying a session
cookie (staff, previews) are never served from the cache nor stored in it. The cache is shared by
all app servers (Redis in production).

Stored pages carry validators (a weak ETag over the page as rendered, Last-Modified from the
content version) and `Cache-Control: public, max-age=0, must-revalidate`, so browsers and a CDN
keep a copy but ask every time, and get a 304 while the page is unchanged. Asking every time is
what lets every view be counted (news.middleware).

Imports no app of the project.
"""

import hashlib
import threading
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import cached_property
from django.utils.http import http_date

from core import signals

CONTENT_VERSION_KEY = "content-version"


def _new_state(now_ns):
    upcoming = [when for _receiver, when in signals.next_scheduled_change.send(sender=None) if when is not None]
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


# Per thread, like database connections: how many new versions were asked for, and up to which
# of those asks one has been started.
_bumps = threading.local()


def bump_content_version(**_signal_kwargs):
    """Start a new content version once the current transaction commits.

    An import saving thousands of rows in one transaction starts one new version, not thousands:
    the first of its on-commit callbacks starts it, and the others find it done.
    """
    _bumps.asked = getattr(_bumps, "asked", 0) + 1
    number = _bumps.asked

    def start_new_version():
        if number <= getattr(_bumps, "done", 0):
            return
        _bumps.done = _bumps.asked
        cache.set(CONTENT_VERSION_KEY, _new_state(time.time_ns()), timeout=None)

    transaction.on_commit(start_new_version)


def versioned_count(name, queryset, limit=None):
    """`queryset.count()`, counted once per content version and shared by all app servers.

    `name` identifies the rows (a list and its filters): querysets that depend on the time, like
    published(), cannot be told apart by their SQL. With `limit`, counting stops there, so rows
    matching most of a table cost no more to count than `limit` rows.
    """
    key = f"count:{content_version()}:{limit}:{hashlib.sha256(name.encode()).hexdigest()}"
    count = cache.get(key)
    if count is None:
        count = queryset[:limit].count() if limit is not None else queryset.count()
        cache.set(key, count, settings.PAGE_CACHE_SECONDS)
    return count


class VersionedCountPaginator(Paginator):
    """A paginator counting its rows with versioned_count: once per content version, up to `limit`.

    With a limit, `count` is at most the limit, and `has_more` tells that more rows match.
    """

    def __init__(self, object_list, per_page, name, limit=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.name = name
        self.limit = limit

    @cached_property
    def counted(self):
        return versioned_count(self.name, self.object_list, None if self.limit is None else self.limit + 1)

    @cached_property
    def count(self):
        return self.counted if self.limit is None else min(self.counted, self.limit)

    @property
    def has_more(self):
        return self.limit is not None and self.counted > self.limit


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
        if not self.is_anonymous_read(request):
            response = self.get_response(request)
            if getattr(response, "public_page", False):
                patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
            return response
        if not settings.PAGE_CACHE_ENABLED:
            response = self.get_response(request)
            if self.may_store(request, response):
                self.mark_public(response)
            return response
        version = content_version()
        key = self.key(request, version)
        cached = cache.get(key)
        if cached is not None:
            response = cached.response()
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self.may_store(request, response):
            self.mark_public(response)
            response["Last-Modified"] = http_date(version // 1_000_000_000)
            cache.set(key, CachedPage(response), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def is_anonymous_read(request):
        return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES

    @staticmethod
    def may_store(request, response):
        return (
            getattr(response, "public_page", False)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
            # A CSP nonce is for one response only; a page that used one is never replayed.
            and not get_nonce(request)
        )

    @staticmethod
    def mark_public(response):
        """Revalidate on every use, with a validator over the page as rendered.

        The ETag is weak and taken before the view count is filled in (news.middleware): a page
        whose only change is its view count is the same page.
        """
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        patch_vary_headers(response, ["Cookie"])
        if not response.has_header("ETag"):
            response["ETag"] = f'W/"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'

    @staticmethod
    def key(request, version):
        url = request.build_absolute_uri()
        return f"page:{version}:{hashlib.sha256(url.encode()).hexdigest()}"
