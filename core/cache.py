"""Whole-page cache for anonymous visitors, invalidated exactly when content changes.

Every cached page is keyed by a site-wide content version, its address and the query parameters
it reads (declared with `@public_page(query=...)`; others are ignored, so junk parameters get
the cached page). Saving or deleting anything a public page shows starts a new version once the
transaction commits (see alliance_site.signals), so the next request renders afresh: no page is
ever served stale, and no dependency list has to be kept per page. A deploy starts a new version
too (migrate runs on every deploy), so pages rendered by old templates are never served. Pages
opt in with `@public_page`; requests of a live session (staff, previews) are never served from
the cache nor stored in it. The cache is shared by all app servers (Redis in production).

Stored pages carry validators (a weak ETag over the page as served, Last-Modified from the
content version) and `Cache-Control: public, max-age=0, must-revalidate`, so browsers and a CDN
keep a copy but ask every time, and get a 304 while the page is unchanged. A number that changes
more often than the page (an article's views) is filled in on every serving by LivePage, which
makes the body, its length and its ETag together.

Imports no app of the project.
"""

import datetime
import hashlib
import secrets
import threading
import time
from collections.abc import Mapping
from functools import wraps
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.middleware.csp import get_nonce
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.utils.translation import get_language_from_path

from core import signals

CONTENT_VERSION_KEY = "content-version"


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _ns(moment):
    """An aware datetime as nanoseconds since the epoch, exactly (a float of the timestamp is off by up
    to a few hundred nanoseconds, and a version could outlive the instant it was to end at)."""
    return (moment - _EPOCH) // datetime.timedelta(microseconds=1) * 1000


def _new_state(now_ns):
    upcoming = [when for _receiver, when in signals.next_scheduled_change.send(sender=None) if when is not None]
    valid_until = _ns(min(upcoming)) if upcoming else None
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


def _strip(value):
    return value.strip()


def page_number(value):
    """A `page` parameter normalised: "" for the first page ("1", "01"), digits without leading zeros.

    Anything else is kept as given ("last" is a page to Django's ListView; junk gets a 404, which
    is never stored). Only ASCII digits count: str.isdigit() accepts "²" and "①", which int()
    refuses, and int() refuses more than 4,300 digits, so no number is converted here.
    """
    value = value.strip()
    if not (value.isascii() and value.isdigit()):
        return value
    digits = value.lstrip("0") or "0"
    return "" if digits == "1" else digits


class PageQuery:
    """The query parameters a public page reads, each normalised so that equal pages share one key.

    `params` names the parameters, or maps each name to a function normalising its value (a str,
    returning "" when the value means nothing to the page); without one, values are stripped. It
    may also be a function returning that mapping, for parameters known only once the apps are
    ready. Of a repeated parameter the last value counts, as `QueryDict.get` reads it.
    """

    def __init__(self, params=()):
        self.params = params

    def normalisers(self):
        params = self.params() if callable(self.params) else self.params
        if isinstance(params, Mapping):
            return {name: normalise or _strip for name, normalise in params.items()}
        return dict.fromkeys(params, _strip)

    def select(self, query):
        """The declared parameters of `query` (a QueryDict) with a meaning, normalised, in name order.

        Returns an immutable QueryDict: what the view reads and what the page cache keys on.
        """
        selected = QueryDict(mutable=True)
        for name, normalise in sorted(self.normalisers().items()):
            if name in query and (value := normalise(query[name])):
                selected[name] = value
        selected._mutable = False
        return selected


def public_page(view=None, *, query=()):
    """Mark a view's successful responses as the same for every anonymous visitor.

    `query` declares the query parameters the page reads (see PageQuery); the view sees only
    those, normalised, and the page cache keys the page on them alone, so any other parameter
    gets the same page. A view may set `response.public_page = False` on a response that is not
    public (a draft). Usable as `@public_page`, `@public_page(query=[...])` and with
    `method_decorator`.
    """
    page_query = PageQuery(query)

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            request.GET = page_query.select(request.GET)
            response = view(request, *args, **kwargs)
            if not hasattr(response, "public_page"):
                response.public_page = True
            return response

        wrapper.page_query = page_query
        return wrapper

    return decorate if view is None else decorate(view)


def page_query_of(request):
    """The PageQuery of the public page the request's address leads to, or None for any other address."""
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return getattr(match.func, "page_query", None)


# What a template renders where a live number goes (see show_live_number). Random per process,
# so no content can contain it; the page cache splits pages at it in the process that rendered them.
LIVE_NUMBER = f"live-number-{secrets.token_hex(12)}"


class LivePage:
    """A page showing a number that changes more often than the page (an article's views).

    The page is kept split where the number goes; each serving asks `source(request, *args)` for
    the number (an int) and joins the parts around it. The body, its Content-Length and its weak
    ETag (the page's digest and the number) are made here together, so no length or validator
    ever describes another body.
    """

    def __init__(self, content, source, args):
        self.parts = content.split(LIVE_NUMBER.encode())
        self.digest = hashlib.md5(content, usedforsecurity=False).hexdigest()
        self.source = source
        self.args = args

    def serve(self, request, response):
        number = str(self.source(request, *self.args))
        response.content = number.encode().join(self.parts)
        response["Content-Length"] = str(len(response.content))
        response["ETag"] = f'W/"{self.digest}-{number}"'


def show_live_number(response, source, *args):
    """Show `source(request, *args)` where a TemplateResponse rendered LIVE_NUMBER, on every serving.

    The number is filled in as soon as the page is rendered, and again each time the page cache
    serves the page. `source` must be a module-level function (cached pages keep a reference).
    """

    def fill(rendered):
        rendered.live_page = LivePage(rendered.content, source, args)
        rendered.live_page.serve(response._request, rendered)

    response.add_post_render_callback(fill)


class CachedPage:
    """The parts of a response worth keeping; HttpResponse objects themselves do not pickle well."""

    def __init__(self, response):
        self.status_code = response.status_code
        self.headers = dict(response.headers)
        self.live_page = getattr(response, "live_page", None)
        self.content = None if self.live_page else response.content

    def response(self, request):
        response = HttpResponse(self.content, status=self.status_code)
        for name, value in self.headers.items():
            response.headers[name] = value
        response.public_page = True
        if self.live_page:
            self.live_page.serve(request, response)
        return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reading = request.method in ("GET", "HEAD")
        page_query = page_query_of(request) if reading and settings.PAGE_CACHE_ENABLED else None
        if not reading or not self.is_anonymous(request, check_session=page_query is not None):
            response = self.get_response(request)
            if getattr(response, "public_page", False):
                patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
            return response
        if page_query is None:
            response = self.get_response(request)
            if self.may_store(request, response):
                self.mark_public(response)
            return response
        version = content_version()
        key = self.key(request, page_query, version)
        cached = cache.get(key)
        if cached is not None:
            response = cached.response(request)
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
    def is_anonymous(request, check_session):
        """Whether the request carries no live session.

        With `check_session` (a cacheable public page), a session cookie naming no live session
        (expired, forged, junk) is dropped from the request: it would otherwise keep every
        request it comes with away from the cache. Elsewhere any session cookie counts as a
        session, and the session is read once, by the session middleware.
        """
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if session_key is None:
            return True
        if not check_session or import_module(settings.SESSION_ENGINE).SessionStore(session_key).load():
            return False
        del request.COOKIES[settings.SESSION_COOKIE_NAME]
        return True

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
        """Revalidate on every use, with a weak validator over the page as served (see LivePage)."""
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        patch_vary_headers(response, ["Cookie"])
        if not response.has_header("ETag"):
            response["ETag"] = f'W/"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'

    @staticmethod
    def key(request, page_query, version):
        """The page's address without its query string, and the parameters the page reads."""
        address = f"{request.scheme}://{request.get_host()}{request.path}?{page_query.select(request.GET).urlencode()}"
        return f"page:{version}:{hashlib.sha256(address.encode()).hexdigest()}"
