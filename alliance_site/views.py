import time
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.cache import public_page, versioned, versioned_count
from core.search import filter_by_search, first_matches, search_text
from events.models import Event
from members.models import Organisation
from membership.models import current_members
from news.models import NOTICES_CATEGORY_SLUG, Article
from offices.models import Office

SEARCH_SECTION_SIZE = 10


HOME_NEWS = 5  # the lead story and the four after it
HOME_NOTICES = 6
HOME_LOGOS = 12


@require_GET
@public_page
def home(request):
    """Home: a lead story (pinned, else the latest) and the next ones, notices, the next events, offices,
    member logos, figures."""
    published = Article.objects.published().for_listing()
    news, notices, offices, next_events, logos = versioned(f"home:{get_language()}", home_rows)
    figures = {
        "members": versioned_count("members", current_members()),
        "offices": len(offices),
        "articles": versioned_count("published-articles", published),
    }
    context = {
        "lead": news[0] if news else None,
        "latest": news[1:],
        "notices": notices,
        "notices_slug": NOTICES_CATEGORY_SLUG,
        "offices": offices,
        "logos": logos,
        "figures": figures,
        "next_events": next_events,
    }
    return render(request, "alliance_site/home.html", context)


def home_rows():
    """The rows the home page shows: (news, notices, offices, next events, member logos), lists of models."""
    news, notices = home_articles(Article.objects.published().for_listing())
    offices = list(Office.objects.with_member_count().order_by("ordinal", "pk"))
    next_events = list(Event.objects.published().for_listing().upcoming()[:3])
    logos = list(
        current_members()
        .exclude(logo="")
        .only("slug", "logo", "logo_width", "logo_height", *translated("name"))[:HOME_LOGOS]
    )
    return news, notices, offices, next_events, logos


def home_articles(published):
    """The home page's news (pinned first, then newest; no notices) and notices (pinned first, then newest).

    Three small queries, each a walk of an index that stops after a few rows: the news pinned now
    (the partial index of pinned articles), the newest news and the newest notices (the date
    index). One query choosing all of them at once (a sort on "pinned now" or an OR of subqueries)
    reads every published article instead.

    Returns:
        (news, notices): lists of Article, at most HOME_NEWS and HOME_NOTICES long.
    """
    rows = published.with_thumbnail()
    news = rows.exclude(category__slug=NOTICES_CATEGORY_SLUG)
    pinned = list(news.pinned_now().latest_first()[:HOME_NEWS])
    shown = {article.pk for article in pinned}
    latest = [article for article in news.latest_first()[:HOME_NEWS] if article.pk not in shown]
    notices = list(rows.notices().latest_first()[:HOME_NOTICES])
    notices.sort(key=lambda article: not article.is_pinned_now)
    return (pinned + latest)[:HOME_NEWS], notices


def translated(field_name):
    """The columns of a translated field in every language (for `.only()`)."""
    return [f"{field_name}_{code}" for code in ("zh_hans", "en", "zh_hant")]


@require_GET
@public_page(query={"q": search_text})
def search(request):
    """Site-wide search over news, events, organisations and offices; Traditional queries work too."""
    query = search_text(request.GET.get("q", ""))
    results = {}
    if query:
        results = {
            "articles": first_matches(
                Article.objects.published().for_listing().with_thumbnail().latest_first(), query, SEARCH_SECTION_SIZE
            ),
            "events": first_matches(
                Event.objects.published().for_listing().order_by("-starts_at", "-pk"), query, SEARCH_SECTION_SIZE
            ),
            "organisations": list(filter_by_search(Organisation.objects.alphabetical(), query)[:SEARCH_SECTION_SIZE]),
            "offices": list(filter_by_search(Office.objects.order_by("ordinal"), query)[:SEARCH_SECTION_SIZE]),
        }
    return render(
        request,
        "alliance_site/search.html",
        {"query": query, "site_query": query, "results": results, "section_size": SEARCH_SECTION_SIZE},
    )


@never_cache
def healthz(request):
    """200 when the database and the cache answer; 503 naming the part that does not."""
    checks = {"database": _check_database(), "cache": _check_cache()}
    healthy = all(status == "ok" for status in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)


def _check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return f"error: {type(error).__name__}"
    return "ok"


def _check_cache():
    key, value = f"healthz:{uuid.uuid4().hex}", str(time.time())
    try:
        cache.set(key, value, 10)
        answered = cache.get(key) == value
        cache.delete(key)
    except Exception as error:
        return f"error: {type(error).__name__}"
    return "ok" if answered else "error: no answer"


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /en/admin/",
        "Disallow: /zh-hant/admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
