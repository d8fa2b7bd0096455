"""The pages the benchmark loads, and what it measures inside the application.

Runs in the benchmark's own process with Django set up on the bench settings (DEBUG off,
PostgreSQL, Redis), between the load runs.
"""

import secrets
import statistics
import time
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from bench.load import BROWSER
from core.cache import bump_content_version
from members.models import Organisation
from news.models import Article, Category
from offices.models import Office

SAMPLE = 1000
SEARCHES = {
    "search, 1 character": ["会", "网", "智", "苏"],
    "search, 2 characters": ["联盟", "工业", "平台", "转型"],
    "search, 4 characters": ["工业互联", "智能制造", "数字孪生", "考评指标"],
}
ADMIN_PAGES = {
    "article list": "/admin/news/article/",
    "filtered by status and category": "/admin/news/article/?status__exact=published&category__id__exact=1",
    "one year (date hierarchy)": "/admin/news/article/?published_at__year={year}",
    "ordered by views": "/admin/news/article/?o=-5",
    "search 工业互联": "/admin/news/article/?q=%E5%B7%A5%E4%B8%9A%E4%BA%92%E8%81%94",
}
ADMIN_USER = "bench-admin"
ADMIN_PASSWORD = secrets.token_urlsafe(24)  # the benchmark's own account, a new password each run


def evenly(items, count):
    step = max(1, len(items) / count)
    return [items[int(i * step)] for i in range(min(count, len(items)))]


def page_paths():
    """{page: [paths]}: one path for most pages; articles and organisations a sample of many."""
    articles = list(Article.objects.published().order_by("pk").values_list("pk", "slug"))
    organisations = list(Organisation.objects.members().order_by("pk").values_list("slug", flat=True))
    category = Category.objects.get(slug="industry-news")
    return {
        "floor": ["/bench/floor"],
        "home": ["/"],
        "news list": ["/news/"],
        "category": [category.get_absolute_url()],
        "article": [f"/news/{pk}/{slug}/" for pk, slug in evenly(articles, SAMPLE)],
        "office page": [office.get_absolute_url() for office in Office.objects.order_by("ordinal")],
        "member directory": ["/members/"],
        "organisation page": [f"/members/{slug}/" for slug in evenly(organisations, SAMPLE)],
        **{name: [f"/search/?q={quote(query)}" for query in queries] for name, queries in SEARCHES.items()},
        "RSS feed": ["/news/feed/"],
        "API article list": ["/api/v1/articles/"],
    }


def large_tables(rows=5000):
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > %s", [rows])
        return {name for (name,) in cursor.fetchall()}


def sequential_scans(sql, tables):
    """Large tables the plan of `sql` reads from end to end."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    found, nodes = set(), [plan[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in tables:
            found.add(node["Relation Name"])
        nodes.extend(node.get("Plans", []))
    return found


def queries_per_page(paths):
    """{page: (queries, large tables read end to end)} rendering one path of each page, page cache off.

    Each page is rendered as it is after an edit: under a new content version, with its counts
    to take again.
    """
    client, tables, measured = Client(headers={"User-Agent": BROWSER}), large_tables(), {}
    with override_settings(PAGE_CACHE_ENABLED=False):
        for page, urls in paths.items():
            url = urls[len(urls) // 2]
            client.get(url)
            bump_content_version()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
            scans = (
                set().union(*(sequential_scans(sql, tables) for sql in selects))
                if connection.vendor == "postgresql"
                else set()
            )
            measured[page] = (len(queries), sorted(scans))
    return measured


def admin_timings(repeat=7):
    """{admin page: (median ms, queries)} for a signed-in superuser, in this process."""
    user, _ = get_user_model().objects.get_or_create(
        username=ADMIN_USER, defaults={"is_staff": True, "is_superuser": True}
    )
    user.set_password(ADMIN_PASSWORD)
    user.save()
    client = Client()
    client.force_login(user)
    year = Article.objects.published().latest("published_at").published_at.year
    timings = {}
    for label, path in ADMIN_PAGES.items():
        path = path.format(year=year)
        if client.get(path).status_code != 200:
            raise RuntimeError(f"{path} did not answer 200")
        durations = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(path)
            durations.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        timings[label] = (statistics.median(durations), len(queries))
    return timings
