"""Whole-page cache for anonymous visitors, invalidated exactly when content changes.

Every cached page is keyed by its address and the query parameters it reads (declared with
`@public_page(query=...)`; others are ignored, so junk parameters get the cached page), and
keeps the versions of the tags it depends on as they were when it was rendered. Tags:

- SITE: every page depends on it. bump_content_version() (or invalidate() with no tag) starts a
  new one: any change a page may show can call it and be correct. A deploy (migrate) and
  scheduled content falling due start one too.
- CONTENT: the default tag of a page (`@public_page` without `depends`). Every article change
  bumps it.
- Narrower tags, for pages that declare them with `@public_page(depends=...)`: an article's
  page depends on its own tag and on what it shows of other articles (news.models), so a body
  correction of one article leaves every other article's page cached.

The invalidation API for every app is invalidate(*tags), called when a change commits; an app
saving models whose content some page shows calls bump_content_version (alliance_site.signals
connects it for every model of the content apps) or, for finer invalidation, invalidate() with
the tags its pages declare. A page declaring narrow tags must name a tag for everything it
shows. A hit is one round trip to Redis: the page, the versions of its tags and (for a page with
a live number) the view counted, in one pipeline; a page whose tag versions changed is rendered
afresh, so no page is ever served stale. Pages opt in with `@public_page`; requests of a live
session (staff, previews) are never served from the cache nor stored in it. The cache is shared
by all app servers (Redis in production).

Stored pages carry validators (a weak ETag over the page as served, Last-Modified from the
newest version of its tags) and `Cache-Control: public, max-age=0, must-revalidate`, so browsers
and a CDN keep a copy but ask every time, and get a 304 while the page is unchanged. A number
that changes more often than the page (an article's views) is filled in on every serving by
LivePage, which makes the body, its length and its ETag together.

Imports no app of the project.
"""

import datetime
import hashlib
import secrets
import threading
import time
from collections.abc import Mapping
from functools import lru_cache, wraps
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponse, QueryDict
from django.middleware.csp import get_nonce
from django.test.signals import setting_changed
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.utils.translation import get_language_from_path

from core import signals

CONTENT_VERSION_KEY = "content-version"
SITE = "site"
# The tag of every page that declares none: bumped by every change of content (see invalidate).
CONTENT = "content"


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
    """The time (ns) content last changed, as the shared cache knows it (the site-wide version).

    A new version starts by itself when scheduled content falls due, so a cached list never
    hides an article whose publication time has passed.
    """
    return _site_version(cache.get(CONTENT_VERSION_KEY))


def _site_version(state):
    now = time.time_ns()
    if state is None or (state[1] is not None and now >= state[1]):
        state = _new_state(now)
        cache.set(CONTENT_VERSION_KEY, state, timeout=None)
    return state[0]


def tag_key(tag):
    """The cache key of a tag's version; the site's is the content version (a state with its end)."""
    return CONTENT_VERSION_KEY if tag == SITE else f"content-version:{tag}"


def tag_versions(tags, stored):
    """{tag: version} of `tags` from `stored` ({tag: value read from the cache, or None}).

    A tag never bumped, or whose version the cache lost, starts a version now: a lost version
    can never make an old page look current.
    """
    versions = {}
    for tag in tags:
        value = stored.get(tag)
        if tag == SITE:
            versions[tag] = _site_version(value)
        elif value is None:
            now = time.time_ns()
            versions[tag] = now if cache.add(tag_key(tag), now, timeout=None) else (cache.get(tag_key(tag)) or now)
        else:
            versions[tag] = value
    return versions


class _Bump:
    """An on-commit callback starting new versions of its tags, and of those of the callbacks
    registered after it that have not run yet (the rest of the same commit): one write per commit."""

    def __init__(self, tags):
        self.tags = tags
        self.done = False

    def __call__(self):
        if self.done:
            return  # an earlier callback of the same commit bumped these tags
        queued = _queued()
        position = next((i for i, bump in enumerate(queued) if bump is self), len(queued))
        tags = set()
        for bump in [self, *queued[position + 1 :]]:
            if not bump.done:
                tags |= bump.tags
                bump.done = True
        # Callbacks registered before this one either ran or were rolled back: none will run.
        queued.clear()
        now = time.time_ns()
        values = {tag_key(tag): now for tag in tags - {SITE}}
        if SITE in tags:
            values[CONTENT_VERSION_KEY] = _new_state(now)
        cache.set_many(values, timeout=None)


# Per thread, like database connections: the bumps registered and not run yet, in order.
_bumps = threading.local()


def _queued():
    if not hasattr(_bumps, "queued"):
        _bumps.queued = []
    return _bumps.queued


def invalidate(*tags):
    """Start new versions of `tags` once the current transaction commits: the pages depending on any
    of them are rendered afresh on their next request.

    The invalidation API of the page cache, for every app. Tags are strings a page declares with
    `@public_page(depends=...)`; every page depends on SITE and, unless it declares otherwise,
    on CONTENT. So:

    - `invalidate()` (or `invalidate(SITE)`, or bump_content_version as a signal receiver) throws
      away every cached page: always correct, what any change a page may show can call;
    - `invalidate(CONTENT, "article:12")` throws away every page but those that declared
      narrower dependencies not including "article:12" (another article's page).

    A transaction bumping many tags in many saves bumps them all in one write when it commits;
    a rolled-back one bumps nothing.
    """
    bump = _Bump(set(tags) or {SITE})
    _queued().append(bump)
    transaction.on_commit(bump)


def bump_content_version(**_signal_kwargs):
    """Start a new site-wide version once the current transaction commits (every page renders afresh).

    Usable as a signal receiver. An import saving thousands of rows in one transaction starts
    one new version, not thousands.
    """
    invalidate(SITE)


def invalidate_everything():
    """A new site-wide version now, outside any transaction: every page and fragment renders afresh."""
    cache.set(CONTENT_VERSION_KEY, _new_state(time.time_ns()), timeout=None)


def current_versions(tags):
    """{tag: version} of `tags` as the shared cache knows them now: one round trip."""
    stored = cache.get_many([tag_key(tag) for tag in tags])
    return tag_versions(tags, {tag: stored.get(tag_key(tag)) for tag in tags})


def content_stamp(depends=(CONTENT,)):
    """The versions of the site and of `depends` as one string: a part of any cache key that must
    change whenever what is cached may (a template fragment's, with `{% cache %}`).

    Args:
        depends: the tags of the content the cached value shows.
    Returns:
        A string of digits and hyphens, the same on every app server until one of the tags is bumped
        or scheduled content falls due. One round trip to the cache.
    """
    versions = current_versions((SITE, *depends))
    return "-".join(str(versions[tag]) for tag in sorted(versions))


def versioned(name, compute, depends=(CONTENT,)):
    """`compute()`, computed once per version of the content it reads and shared by all app servers.

    For what a page derives from many rows and shows in many renders, like an article's neighbours
    and related articles: exact as long as `depends` names every tag whose changes may change the
    result (the site's is always included, so scheduled publication and expiry start a new one).
    With FRAGMENT_CACHE_ENABLED off, computed every time.

    Args:
        name: what is computed, with every argument it depends on (an object's id, the language).
        compute: a callable with no arguments returning a picklable value (model instances included).
        depends: the tags of the content the result shows.
    Returns:
        What `compute()` returned, from the cache when this version of `depends` has it.
    """
    if not settings.FRAGMENT_CACHE_ENABLED:
        return compute()
    return _versioned(name, compute, depends)


def _versioned(name, compute, depends):
    key = f"versioned:{content_stamp(depends)}:{hashlib.sha256(name.encode()).hexdigest()}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


_MISSING = object()


def versioned_count(name, queryset, limit=None, depends=(CONTENT,)):
    """`queryset.count()`, counted once per version of the content it counts and shared by all app servers.

    `name` identifies the rows (a list and its filters): querysets that depend on the time, like
    published(), cannot be told apart by their SQL. With `limit`, counting stops there, so rows
    matching most of a table cost no more to count than `limit` rows. `depends`: the tags whose
    changes may change the count (the site's always does).
    """
    counted = queryset[:limit] if limit is not None else queryset
    return _versioned(f"count:{limit}:{name}", counted.count, depends)


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


def _content(request, **kwargs):
    return (CONTENT,)


def public_page(view=None, *, query=(), depends=None):
    """Mark a view's successful responses as the same for every anonymous visitor.

    `query` declares the query parameters the page reads (see PageQuery); the view sees only
    those, normalised, and the page cache keys the page on them alone, so any other parameter
    gets the same page. `depends(request, **url_kwargs)` returns the tags (see invalidate) whose
    changes change the page, besides SITE; by default (CONTENT,), which every change of content
    bumps. A page declaring narrower tags must name every tag of everything it shows. A view may
    set `response.public_page = False` on a response that is not public (a draft). Usable as
    `@public_page`, `@public_page(query=[...])` and with `method_decorator`.
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
        wrapper.page_depends = depends or _content
        return wrapper

    return decorate if view is None else decorate(view)


class PublicPage:
    """What the page cache needs of the public page at an address: its PageQuery and its tags."""

    __slots__ = ("depends", "kwargs", "query")

    def __init__(self, query, depends, kwargs):
        self.query, self.depends, self.kwargs = query, depends, kwargs

    def tags(self, request):
        return (SITE, *self.depends(request, **self.kwargs))


@lru_cache(maxsize=8192)
def _public_page_at(path_info):
    language = get_language_from_path(path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            match = resolve(path_info)
        except Resolver404:
            return None
    page_query = getattr(match.func, "page_query", None)
    if page_query is None:
        return None
    return PublicPage(page_query, getattr(match.func, "page_depends", _content), match.kwargs)


def public_page_of(request):
    """The PublicPage the request's address leads to, or None for any other address.

    Resolved once per address and process (the URL tree does not change while a process runs).
    """
    return _public_page_at(request.path_info)


def page_query_of(request):
    """The PageQuery of the public page the request's address leads to, or None for any other address."""
    page = public_page_of(request)
    return page.query if page else None


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

    def serve(self, request, response, number=None):
        """Fill in the number: `number` when the page cache fetched it already, else the source's."""
        number = str(self.source(request, *self.args) if number is None else number)
        response.content = number.encode().join(self.parts)
        response["Content-Length"] = str(len(response.content))
        response["ETag"] = f'W/"{self.digest}-{number}"'


def show_live_number(response, source, *args):
    """Show `source(request, *args)` where a TemplateResponse rendered LIVE_NUMBER, on every serving.

    The number is filled in as soon as the page is rendered, and again each time the page cache
    serves the page. `source` must be a module-level function (cached pages keep a reference).
    It may have a `queue(request, pipeline, *args)` attribute: queue the commands that answer it
    on a Redis pipeline and return a function turning their result into the number (or None when
    it cannot); the page cache then asks for the number in the round trip that fetches the page.
    """

    def fill(rendered):
        rendered.live_page = LivePage(rendered.content, source, args)
        rendered.live_page.serve(response._request, rendered)

    response.add_post_render_callback(fill)


class CachedPage:
    """The parts of a response worth keeping, and the versions of the tags it was rendered under.

    HttpResponse objects themselves do not pickle well.
    """

    def __init__(self, response, versions):
        self.status_code = response.status_code
        self.headers = dict(response.headers)
        self.live_page = getattr(response, "live_page", None)
        self.content = None if self.live_page else response.content
        self.versions = versions

    def response(self, request, number=None):
        response = HttpResponse(self.content, status=self.status_code)
        for name, value in self.headers.items():
            response.headers[name] = value
        response.public_page = True
        if self.live_page:
            self.live_page.serve(request, response, number)
        return response

    def live(self):
        return (self.live_page.source, self.live_page.args) if self.live_page else None


# {page key: (source, args)} of the live pages this process has seen: their number is asked for
# in the round trip that fetches the page. Bounded; a wrong guess only costs a second round trip.
_live_sources = {}
LIVE_SOURCES_KEPT = 20_000


def _remember_live(key, live):
    if live is None:
        _live_sources.pop(key, None)
        return
    if len(_live_sources) >= LIVE_SOURCES_KEPT:
        _live_sources.clear()
    _live_sources[key] = live


class Fetched:
    """A page as the cache holds it, the versions of its tags now, and the live number if fetched with it."""

    __slots__ = ("live", "number", "page", "stored")

    def __init__(self, page, stored, number=None, live=None):
        self.page, self.stored, self.number, self.live = page, stored, number, live


def _fetch(key, tags, request):
    """The cached page under `key` and the stored versions of `tags`: one round trip on Redis.

    On Redis the live number of a page seen before in this process is asked for in the same
    pipeline. Any other cache is asked with get_many; a Redis failure falls back to it (which
    django-redis answers with nothing while Redis is away: the page is rendered).
    """
    keys = [key, *(tag_key(tag) for tag in tags)]
    client = getattr(cache, "client", None)
    if client is not None and hasattr(client, "get_client"):
        try:
            pipe = client.get_client(write=True).pipeline(transaction=False)
            pipe.mget([client.make_key(name) for name in keys])
            live = _live_sources.get(key)
            finish = None
            queue = getattr(live[0], "queue", None) if live else None
            if queue is not None:
                finish = queue(request, pipe, *live[1])
            results = pipe.execute(raise_on_error=False)
            if not isinstance(results[0], Exception):
                values = [None if value is None else client.decode(value) for value in results[0]]
                number = None
                if finish is not None and not isinstance(results[1], Exception):
                    number = finish(results[1])
                return Fetched(values[0], dict(zip(tags, values[1:], strict=True)), number, live)
        except Exception:  # noqa: S110 (Redis away: as django-redis does, the cache is just empty)
            pass
    found = cache.get_many(keys)
    return Fetched(found.get(key), {tag: found.get(tag_key(tag)) for tag in tags})


class PageCacheMiddleware:
    """Serves public pages to anonymous visitors from the shared cache (see the module's docstring).

    A hit is one round trip to the cache (page, versions of its tags and its live number
    together), made before the session, locale, CSRF, authentication and messages middleware
    run: none of them does any work for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reading = request.method in ("GET", "HEAD")
        page = public_page_of(request) if reading and settings.PAGE_CACHE_ENABLED else None
        if not reading or not self.is_anonymous(request, check_session=page is not None):
            response = self.get_response(request)
            if getattr(response, "public_page", False):
                patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
            return response
        if page is None:
            response = self.get_response(request)
            if self.may_store(request, response):
                self.mark_public(response)
            return response
        tags = page.tags(request)
        key = self.key(request, page.query)
        fetched = _fetch(key, tags, request)
        versions = tag_versions(tags, fetched.stored)
        cached = fetched.page
        if cached is not None and cached.versions == versions:
            live = cached.live()
            number = fetched.number if live == fetched.live else None
            _remember_live(key, live)
            response = cached.response(request, number)
            response["X-Page-Cache"] = "hit"
            return response
        _live_sources.pop(key, None)
        response = self.get_response(request)
        if self.may_store(request, response):
            self.mark_public(response)
            response["Last-Modified"] = http_date(max(versions.values()) // 1_000_000_000)
            stored = CachedPage(response, versions)
            cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
            _remember_live(key, stored.live())
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
    def key(request, page_query):
        """The page's address without its query string, and the parameters the page reads.

        The versions the page was rendered under are kept in the page, not in its key: a hit is
        checked against the versions of its tags, fetched in the same round trip.
        """
        address = f"{request.scheme}://{request.get_host()}{request.path}?{page_query.select(request.GET).urlencode()}"
        return f"page:{hashlib.sha256(address.encode()).hexdigest()}"


@receiver(setting_changed)
def _forget_resolved_pages(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _public_page_at.cache_clear()
        _live_sources.clear()
