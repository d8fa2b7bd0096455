"""The public articles as the API lists them: the pages' own rules, filters the API adds.

Framework-free: the endpoints (api/endpoints.py) call these and only turn rows into JSON.
"""

from datetime import date, datetime, time

from django.db.models import Prefetch
from django.utils import timezone

from core.search import search_text
from members.models import Person
from news.models import Article, ArticlePhoto

PAGE_SIZE = 20
_LANGUAGES = ("zh_hans", "en", "zh_hant")
# What a list item shows, no more: loading an article's thirty-odd other columns costs more than
# the query.
LIST_FIELDS = [
    "slug",
    "published_at",
    "is_pinned",
    "pinned_until",
    "cover",
    "cover_width",
    "cover_height",
    "category__slug",
    *(f"{name}_{code}" for name in ("title", "summary", "cover_alt") for code in _LANGUAGES),
    *(f"category__name_{code}" for code in _LANGUAGES),
]


def article_filters(category="", office="", organisation="", q="", since=None, until=None):
    """The published articles matching the API's filters, newest first (a fixed order, ties by id).

    Args:
        category, office, organisation: slugs ("" for any); an unknown slug matches nothing.
        q: a search text (core.search rules: Simplified and Traditional alike).
        since, until: dates (China's calendar) the publication falls on or after / on or before.

    Returns:
        A queryset of Article with the category joined and no bodies loaded.
    """
    articles = Article.objects.published().for_listing().only(*LIST_FIELDS).latest_first()
    if category:
        articles = articles.filter(category__slug=category)
    if office:
        articles = articles.filter(offices__slug=office)
    if organisation:
        articles = articles.filter(organisations__slug=organisation)
    if since:
        articles = articles.filter(published_at__gte=_start_of(since))
    if until:
        articles = articles.filter(published_at__lt=_start_of(until, days=1))
    if query := search_text(q or ""):
        articles = articles.search(query)
    return articles


def _start_of(day, days=0):
    when = datetime.combine(date.fromordinal(day.toordinal() + days), time.min)
    return timezone.make_aware(when, timezone.get_default_timezone())


def article_detail_queryset():
    """The published articles with everything the detail shows, in a fixed number of queries."""
    return (
        Article.objects.published()
        .select_related("category")
        .defer("search_document", "body", *(f"body_{code}" for code in ("zh_hans", "en", "zh_hant")))
        .prefetch_related(
            Prefetch("photos", queryset=ArticlePhoto.objects.all()),
            "attachments",
            "offices",
            "organisations",
            Prefetch("people", queryset=Person.objects.select_related("organisation")),
        )
    )
