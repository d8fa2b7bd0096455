"""Article view counting: a person's view counts once per article in a window, cached page or not.

A visitor (a keyed hash of client address, browser and article; nothing personal is stored) is
counted at most once per article every VIEW_COUNT_WINDOW_SECONDS: reloads, repeated visits and
address variants of the page (?utm=...) within the window add nothing. Crawlers, scripts, link
previews and headless browsers are recognised by the maintained crawlerdetect list and not
counted; nor are prefetches.

A view is one Redis script call (or, without Redis, one appended PendingView row): no lock on
the article row and no lost increment under any concurrency. `flush_view_counts` moves the
pending counts into ArticleViews (and the day's DailyViews) exactly once, however often it runs
and however many run at the same time. The number shown is the stored count plus the pending part.
"""

import logging
import uuid
from collections import Counter, defaultdict
from datetime import timedelta
from functools import lru_cache

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.clients import client_ip
from news.models import Article, ArticleViews, CountedVisitor, DailyViews, PendingView, ViewCountFlush

logger = logging.getLogger(__name__)

_CRAWLERS = CrawlerDetect()
# Flush records are only needed to finish an interrupted flush, which the next run does.
FLUSH_RECORDS_KEPT = timedelta(days=7)
UPDATE_CHUNK = 1000


@lru_cache(maxsize=4096)
def _is_crawler(agent):
    # The list is some thousand patterns in one expression: a browser's User-Agent is matched once per process.
    return _CRAWLERS.is_crawler(agent)


def is_person(request):
    """A reader in a browser: crawlers, link previews, scripts and prefetches are not counted.

    Automation is recognised by its User-Agent with the crawlerdetect list (kept up to date by its
    maintainers, headless browsers included); a request without one is not a browser either.
    """
    agent = request.headers.get("User-Agent", "").strip()
    if not agent or _is_crawler(agent):
        return False
    purpose = " ".join(request.headers.get(name, "") for name in ("Sec-Purpose", "Purpose", "X-Moz"))
    return "prefetch" not in purpose.lower()


def visitor_key(request, article_id):
    """Who is viewing which article, as 32 hex digits: an HMAC (keyed with SECRET_KEY) of the
    client address, the User-Agent and the article id. The address and agent cannot be read back.
    """
    value = f"{client_ip(request)}\n{request.headers.get('User-Agent', '')}\n{article_id}"
    return salted_hmac("news.counting.visitor", value, algorithm="sha256").hexdigest()[:32]


def count_view(request, article_id, stored):
    """Count `request` as a view of the article if it is one, and return the views to show (int).

    A view is a GET by a person (is_person), counted unless the same visitor was counted for this
    article within VIEW_COUNT_WINDOW_SECONDS. `stored` is the article's stored count
    (Article.view_count) as of the page's rendering; it is shown when no counter answers.
    """
    if request.method == "GET" and is_person(request):
        total = record_view(article_id, stored, visitor_key(request, article_id))
    else:
        total = views_shown(article_id, stored)
    return stored if total is None else total


def queue_count_view(request, pipeline, article_id, stored):
    """count_view's Redis command, queued on the page cache's `pipeline` (core.cache.show_live_number).

    Returns a function turning the command's result into the views to show (int, or None when
    it failed: count_view is then asked), or None when the counter is not Redis.
    """
    counter = redis_counter()
    if counter is None:
        return None
    seen = ""
    if request.method == "GET" and is_person(request):
        seen = counter.seen_key(visitor_key(request, article_id))
    counter.queue_record(pipeline, article_id, stored, seen)
    return lambda result: None if isinstance(result, Exception) else int(result)


count_view.queue = queue_count_view


def add_views(counts):
    """Add {article_id: views} to the stored counts and to today's; returns {article_id: new count}.

    Today is China's date (TIME_ZONE). Articles deleted since they were viewed are skipped. One
    UPDATE per distinct number of views: most articles gain a few views, so a flush of thousands
    of articles takes a handful of statements. Must run inside a transaction.
    """
    article_ids = sorted(counts)
    existing = []
    for chunk in _chunks(article_ids):
        existing.extend(Article.objects.filter(pk__in=chunk).order_by("pk").values_list("pk", flat=True))
    today = timezone.localdate()
    # Rows come first, in key order (so concurrent flushes wait for each other rather than deadlock).
    for chunk in _chunks(existing):
        ArticleViews.objects.bulk_create([ArticleViews(article_id=pk) for pk in chunk], ignore_conflicts=True)
        DailyViews.objects.bulk_create([DailyViews(article_id=pk, day=today) for pk in chunk], ignore_conflicts=True)
    by_views = defaultdict(list)
    for article_id in existing:
        by_views[counts[article_id]].append(article_id)
    for views, ids in sorted(by_views.items()):
        for chunk in _chunks(ids):
            ArticleViews.objects.filter(pk__in=chunk).update(count=F("count") + views)
            DailyViews.objects.filter(article_id__in=chunk, day=today).update(count=F("count") + views)
    return stored_counts(existing)


def stored_counts(article_ids):
    """{article_id: views stored in ArticleViews} for those of `article_ids` that have any."""
    stored = {}
    for chunk in _chunks(sorted(article_ids)):
        stored.update(ArticleViews.objects.filter(pk__in=chunk).values_list("pk", "count"))
    return stored


def _chunks(items):
    for start in range(0, len(items), UPDATE_CHUNK):
        yield items[start : start + UPDATE_CHUNK]


def view_window():
    return timedelta(seconds=settings.VIEW_COUNT_WINDOW_SECONDS)


class DatabaseCounter:
    """Pending views as rows, the window in CountedVisitor; used when the cache is not Redis, and when Redis fails."""

    def record(self, article_id, stored, visitor):
        if self.first_in_window(visitor):
            PendingView.objects.create(article_id=article_id)
        return self.total(article_id, stored)

    def total(self, article_id, stored):
        pending = (
            PendingView.objects.filter(article_id=OuterRef("pk"))
            .order_by()
            .values("article_id")
            .annotate(views=Count("pk"))
            .values("views")
        )
        shown = Coalesce(F("views__count"), 0) + Coalesce(Subquery(pending), 0)
        return Article.objects.filter(pk=article_id).values_list(shown, flat=True).first() or 0

    @staticmethod
    def first_in_window(visitor):
        """Start the visitor's window and return True, or False while a window of theirs is open.

        One statement, atomic under concurrency: it inserts the visitor, or restarts a window that
        is over, or (a window is open) changes nothing and returns no row.
        """
        now = timezone.now()
        table = connection.ops.quote_name(CountedVisitor._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (visitor, counted_until) VALUES (%s, %s) "  # noqa: S608
                "ON CONFLICT (visitor) DO UPDATE SET counted_until = excluded.counted_until "
                f"WHERE {table}.counted_until <= %s RETURNING visitor",
                [
                    visitor,
                    connection.ops.adapt_datetimefield_value(now + view_window()),
                    connection.ops.adapt_datetimefield_value(now),
                ],
            )
            return cursor.fetchone() is not None

    def flush(self):
        """Move every pending row into the counts. Rows deleted by a concurrent flush are skipped."""
        with transaction.atomic():
            CountedVisitor.objects.filter(counted_until__lte=timezone.now()).delete()
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {PendingView._meta.db_table} RETURNING article_id")  # noqa: S608
                pending = Counter(article_id for (article_id,) in cursor.fetchall())
            return pending, add_views(pending)


# Counts a view unless the visitor's window is open (KEYS[4]; '' only reads), and returns the
# total shown: stored as of the last flush (seeded from the page's rendering), being flushed, pending.
_RECORD = """
redis.call('SET', KEYS[1], ARGV[1], 'NX')
local pending
if KEYS[4] ~= '' and redis.call('SET', KEYS[4], '1', 'NX', 'EX', ARGV[3]) then
    pending = redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
else
    pending = tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0')
end
return tonumber(redis.call('GET', KEYS[1])) + tonumber(redis.call('HGET', KEYS[3], ARGV[2]) or '0') + pending
"""

# Takes the pending views for flushing: renames the hash, tagged with a batch id, unless an
# earlier flush left one unfinished, which is taken again instead (with its own batch id).
_TAKE = """
if redis.call('EXISTS', KEYS[2]) == 0 then
    if redis.call('EXISTS', KEYS[1]) == 0 then
        return {}
    end
    redis.call('RENAME', KEYS[1], KEYS[2])
    redis.call('HSET', KEYS[2], '_batch', ARGV[1])
end
return redis.call('HGETALL', KEYS[2])
"""

# Finishes a flush: the stored counts take over from the batch, in one step, so the number
# shown (stored + flushing + pending) is right before, during and after a flush.
_FINISH = """
if redis.call('HGET', KEYS[1], '_batch') ~= ARGV[1] then
    return 0
end
for i = 2, #ARGV, 2 do
    redis.call('SET', ARGV[i], ARGV[i + 1])
end
redis.call('DEL', KEYS[1])
return 1
"""


class RedisCounter:
    """Pending views in a Redis hash shared by every app server.

    Keys (under the cache's key prefix): a hash of pending views by article; the hash being
    flushed; and per article the stored count as of the last flush, so that a cached page shows
    the current total without a database query.
    """

    def __init__(self, cache):
        self.cache = cache
        self.client = cache.client.get_client(write=True)
        self.pending_key = str(cache.make_key("article-views:pending"))
        self.flushing_key = str(cache.make_key("article-views:flushing"))

    def stored_key(self, article_id):
        return str(self.cache.make_key(f"article-views:stored:{article_id}"))

    def seen_key(self, visitor):
        return str(self.cache.make_key(f"article-views:seen:{visitor}"))

    def record(self, article_id, stored, visitor):
        """Count one view unless the visitor's window is open; return the total to show (int).

        One round trip: the window (SET NX EX), the count and the total in one script.
        `stored` is the article's stored count as of the page's rendering.
        """
        return self._record(article_id, stored, self.seen_key(visitor))

    def queue_record(self, pipeline, article_id, stored, seen_key):
        """Queue record() (or total(), with seen_key "") on a pipeline of this Redis client."""
        keys = [self.stored_key(article_id), self.pending_key, self.flushing_key, seen_key]
        pipeline.eval(_RECORD, len(keys), *keys, stored, article_id, settings.VIEW_COUNT_WINDOW_SECONDS)

    def total(self, article_id, stored):
        """The total to show, counting nothing."""
        return self._record(article_id, stored, "")

    def _record(self, article_id, stored, seen_key):
        keys = [self.stored_key(article_id), self.pending_key, self.flushing_key, seen_key]
        return int(self.client.eval(_RECORD, len(keys), *keys, stored, article_id, settings.VIEW_COUNT_WINDOW_SECONDS))

    def flush(self):
        """Move the pending views into the counts: first any batch an earlier run left, then the rest."""
        added, stored = Counter(), {}
        for _ in range(2):
            batch, pending = self._take()
            if batch is None:
                break
            with transaction.atomic():
                _, first = ViewCountFlush.objects.get_or_create(batch=batch)
                if first:
                    stored.update(add_views(pending))
                    added.update(pending)
                    ViewCountFlush.objects.filter(flushed_at__lt=timezone.now() - FLUSH_RECORDS_KEPT).delete()
                else:
                    # Added by an earlier run that stopped before finishing: only the cleanup is left.
                    stored.update(stored_counts(pending))
            pairs = [
                value
                for article_id in pending
                if article_id in stored
                for value in (self.stored_key(article_id), stored[article_id])
            ]
            self.client.eval(_FINISH, 1, self.flushing_key, batch, *pairs)
        return added, stored

    def _take(self):
        snapshot = self.client.eval(_TAKE, 2, self.pending_key, self.flushing_key, uuid.uuid4().hex)
        if not snapshot:
            return None, Counter()
        fields = dict(zip(snapshot[::2], snapshot[1::2], strict=True))
        batch = fields.pop(b"_batch").decode()
        return batch, Counter({int(article_id): int(views) for article_id, views in fields.items()})

    def set_stored(self, stored):
        """After views counted in the database were flushed, show their new totals."""
        pipe = self.client.pipeline(transaction=False)
        for article_id, count in stored.items():
            pipe.set(self.stored_key(article_id), count)
        pipe.execute()


def redis_counter():
    """The Redis counter when the default cache is Redis, else None."""
    cache = caches["default"]
    try:
        from django_redis.cache import RedisCache
    except ImportError:
        return None
    return RedisCounter(cache) if isinstance(cache, RedisCache) else None


def record_view(article_id, stored, visitor):
    """Count one view of an article by `visitor` (visitor_key) unless counted within the window.

    Returns the total to show (int), or None if it cannot be counted. Redis first; when Redis
    fails, the database (window included); when that fails too, the page is still served (with
    the count it was rendered with) and the failure logged.
    """
    return _ask_counter("record", article_id, stored, visitor)


def views_shown(article_id, stored):
    """The article's views as shown now (int), counting nothing; None if no counter answers."""
    return _ask_counter("total", article_id, stored)


def _ask_counter(method, article_id, *args):
    counter = redis_counter()
    if counter is not None:
        try:
            return getattr(counter, method)(article_id, *args)
        except Exception:
            logger.warning("Redis unavailable; counting views in the database", exc_info=True)
    try:
        return getattr(DatabaseCounter(), method)(article_id, *args)
    except Exception:
        logger.exception("The views of article %s could not be counted", article_id)
        return None


def flush_view_counts():
    """Add every pending view to its article, exactly once. Returns {article_id: views added}.

    Views counted in the database (no Redis, or during a Redis outage) are added first, so an
    unreachable Redis stops only its own part.
    """
    added, stored = DatabaseCounter().flush()
    counter = redis_counter()
    if counter is not None:
        if stored:
            counter.set_stored(stored)
        from_redis, _ = counter.flush()
        added.update(from_redis)
    return dict(added)
