"""What the admin index shows an editor: their drafts, what awaits review, what is scheduled, what
was published lately, views per day for 30 days (site-wide and for one article) and the most read
articles of the last 7 days. Views come from DailyViews (China's dates), as flush_view_counts
stores them; those of the last minute are still pending.
"""

import datetime

from django.db.models import Q, Sum
from django.utils import timezone

from core.review import ReviewState
from news.models import Article, DailyViews

CHART_DAYS = 30
TOP_DAYS = 7
LIST_SIZE = 8


def views_per_day(first_day, last_day, article_id=None):
    """{date: views} from DailyViews for the days from `first_day` to `last_day`, site-wide or for one article."""
    rows = DailyViews.objects.filter(day__gte=first_day, day__lte=last_day)
    if article_id is not None:
        rows = rows.filter(article_id=article_id)
    return dict(rows.values("day").annotate(total=Sum("count")).values_list("day", "total"))


def most_read(first_day, last_day, limit=10):
    """The `limit` articles read most from `first_day` to `last_day`, each with `period_views`."""
    return list(
        Article.objects.filter(daily_views__day__gte=first_day, daily_views__day__lte=last_day)
        .annotate(period_views=Sum("daily_views__count"))
        .only("id", "title", "slug")
        .order_by("-period_views", "-pk")[:limit]
    )


def editorial_dashboard(user, article_id=None):
    """The dashboard of `user` (who may view articles); `article_id` chooses the article charted.

    Returns:
        dict: drafts, awaiting_review, awaiting_count, scheduled, recent (lists of Article);
        days (list of {"day": date, "site": int, "article": int or None}, oldest first);
        chosen (Article or None); top (Articles with period_views); chart (the JSON for the chart).
    """
    now = timezone.now()
    today = timezone.localdate()
    first = today - datetime.timedelta(days=CHART_DAYS - 1)
    listing = Article.objects.only("id", "title", "published_at", "review_state", "status", "updated_at")
    chosen = listing.filter(pk=article_id).first() if article_id else None
    site = views_per_day(first, today)
    article = views_per_day(first, today, chosen.pk) if chosen else {}
    days = [first + datetime.timedelta(days=offset) for offset in range(CHART_DAYS)]
    rows = [{"day": day, "site": site.get(day, 0), "article": article.get(day, 0) if chosen else None} for day in days]
    awaiting = listing.filter(review_state=ReviewState.SUBMITTED).order_by("updated_at")
    series = [{"key": "site", "values": [row["site"] for row in rows]}]
    if chosen:
        series.append({"key": "article", "values": [row["article"] for row in rows]})
    return {
        "drafts": list(
            listing.filter(Q(created_by=user) | Q(last_edited_by=user), status=Article.Status.DRAFT)
            .exclude(review_state=ReviewState.SUBMITTED)
            .order_by("-updated_at")[:LIST_SIZE]
        ),
        "awaiting_review": list(awaiting[:LIST_SIZE]),
        "awaiting_count": awaiting.count(),
        "scheduled": list(
            listing.filter(status=Article.Status.PUBLISHED, published_at__gt=now).order_by("published_at")[:LIST_SIZE]
        ),
        "recent": list(listing.published().latest_first()[:LIST_SIZE]),
        "days": rows,
        "chosen": chosen,
        "top": most_read(today - datetime.timedelta(days=TOP_DAYS - 1), today),
        "chart": {"days": [day.isoformat() for day in days], "series": series},
    }
