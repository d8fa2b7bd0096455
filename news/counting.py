"""Article view counting: every view by a person counts, cached page or not.

A view is one Redis HINCRBY (or, without Redis, one appended PendingView row): no lock on the
article row and no lost increment under any concurrency. `flush_view_counts` moves the pending
counts into Article.view_count in batches. The number shown is the stored count plus the
pending part.
"""

import logging
import re
from collections import Counter

from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import F

from news.models import Article, PendingView

logger = logging.getLogger(__name__)

_BOT = re.compile(
    r"bot|crawl|spider|slurp|archiver|fetch|scan|monitor|preview|facebookexternalhit|embedly|"
    r"curl|wget|python-|httpclient|okhttp|go-http|java/|libwww|headlesschrome/.*lighthouse",
    re.IGNORECASE,
)


def is_person(request):
    """A reader in a browser: crawlers, link previews, scripts and prefetches are not counted."""
    agent = request.headers.get("User-Agent", "")
    if not agent or _BOT.search(agent):
        return False
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    return "prefetch" not in purpose.lower()


class DatabaseCounter:
    """Pending views as rows; used when the cache is not Redis, and when Redis fails."""

    def record(self, article_id, stored):
        PendingView.objects.create(article_id=article_id)
        return self.total(article_id)

    def total(self, article_id):
        stored = Article.objects.filter(pk=article_id).values_list("view_count", flat=True).first() or 0
        return stored + PendingView.objects.filter(article_id=article_id).count()

    def take_pending(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {PendingView._meta.db_table} RETURNING article_id")  # noqa: S608
            return Counter(article_id for (article_id,) in cursor.fetchall())


class RedisCounter:
    PENDING = "article-views:pending"
    FLUSHING = "article-views:flushing"

    def __init__(self, client):
        self.client = client

    @staticmethod
    def stored_key(article_id):
        return f"article-views:stored:{article_id}"

    def record(self, article_id, stored):
        """Count one view; `stored` is the article's view_count as of the page's rendering."""
        pipe = self.client.pipeline()
        pipe.set(self.stored_key(article_id), stored, nx=True)
        pipe.hincrby(self.PENDING, article_id, 1)
        pipe.get(self.stored_key(article_id))
        _, pending, current_stored = pipe.execute()
        return int(current_stored) + pending

    def total(self, article_id):
        stored, pending = self.client.get(self.stored_key(article_id)), self.client.hget(self.PENDING, article_id)
        if stored is None:
            stored = Article.objects.filter(pk=article_id).values_list("view_count", flat=True).first() or 0
        return int(stored) + int(pending or 0)

    def take_pending(self):
        # A snapshot left by a flush that failed is taken before any new views.
        if not self.client.exists(self.FLUSHING):
            if not self.client.exists(self.PENDING):
                return Counter()
            self.client.rename(self.PENDING, self.FLUSHING)
        return Counter({int(k): int(v) for k, v in self.client.hgetall(self.FLUSHING).items()})

    def taken(self, stored_counts):
        pipe = self.client.pipeline()
        for article_id, view_count in stored_counts.items():
            pipe.set(self.stored_key(article_id), view_count)
        pipe.delete(self.FLUSHING)
        pipe.execute()


def _redis_client():
    try:
        from django_redis import get_redis_connection
        from django_redis.cache import RedisCache
    except ImportError:
        return None
    if not isinstance(caches["default"], RedisCache):
        return None
    return get_redis_connection("default")


def counter():
    client = _redis_client()
    return RedisCounter(client) if client is not None else DatabaseCounter()


def record_view(article_id, stored):
    """Count one view of an article and return the total to show."""
    active = counter()
    try:
        return active.record(article_id, stored)
    except Exception:
        if isinstance(active, DatabaseCounter):
            raise
        logger.warning("Redis unavailable; counting a view in the database", exc_info=True)
        return DatabaseCounter().record(article_id, stored)


def flush_view_counts():
    """Add every pending view to its article. Returns {article_id: views added}."""
    added = Counter()
    sources = [DatabaseCounter()]
    active = counter()
    if isinstance(active, RedisCounter):
        sources.append(active)
    for source in sources:
        try:
            with transaction.atomic():
                pending = source.take_pending()
                stored = {}
                for article_id, views in sorted(pending.items()):
                    updated = Article.objects.filter(pk=article_id).update(view_count=F("view_count") + views)
                    if updated:
                        stored[article_id] = Article.objects.values_list("view_count", flat=True).get(pk=article_id)
                added.update(pending)
        except Exception:
            if not isinstance(source, RedisCounter):
                raise
            logger.warning("Redis unavailable; its pending views wait for the next flush", exc_info=True)
            continue
        if isinstance(source, RedisCounter):
            source.taken(stored)
    return dict(added)
