"""bench/RESULTS.md: the numbers of one run, as measured, and the targets they meet or miss."""

import os
import platform
import subprocess
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

TARGET_RSS_MB = 120
TARGET_P99_MS = 50
TARGET_SEARCH_MS = 30
TARGET_ADMIN_MS = 300
TARGET_SCALE_RATIO = 1.2
# Ratios to the plain Django floor (bench/plain) measured in the same run: issue 12.
TARGET_SITE_FLOOR_RATIO = 0.9
TARGET_CACHED_RATIO = 0.8
TARGET_UNCACHED_RATIO = 0.08
TARGET_EDITING_RATIO = 0.4
TARGET_COLD_TIMES_PLAIN = 10
UNCACHED_PAGES = (
    "home",
    "news list",
    "category",
    "article",
    "office page",
    "organisation page",
    "search, 2 characters",
)
# The API's article list (issue 17): cache on and off, to the plain Django floor of the same run.
TARGET_API_CACHED_RATIO = 0.8
TARGET_API_UNCACHED_RATIO = 0.08


@dataclass
class Results:
    started: datetime
    duration: int
    scales: list
    finished: datetime = None
    machine: str = ""
    generated: dict = field(default_factory=dict)
    scale: dict = field(default_factory=lambda: defaultdict(dict))
    queries: dict = field(default_factory=dict)
    admin: dict = field(default_factory=dict)
    load: dict = field(default_factory=lambda: {"on": {}, "off": {}})
    rss: dict = field(default_factory=dict)
    servers: list = field(default_factory=list)
    flush: tuple = None
    profile: list = None
    plain: dict = field(default_factory=dict)
    editing: dict = None
    cold: dict = None
    rounds: int = 3


def _first_line(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=10).stdout.strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "unknown"


def machine(env):
    """One line describing the machine and the software versions of the run."""
    import django
    import gunicorn
    from django.core.cache import caches
    from django.db import connection

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split()[0]
    redis = caches["default"].client.get_client().info("server")["redis_version"]
    wrk = _first_line(["wrk", "--version"]).split(" [")[0]
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory_kb / 1024 / 1024:.0f} GB RAM; "
        f"{platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL {postgres}, Redis {redis}, "
        f"gunicorn {gunicorn.__version__} (2 sync workers), {wrk}"
    )


# Where a sample of a worker's stack is counted: the innermost frame matching one of these.
PROFILE_AREAS = [
    ("database (psycopg, ORM)", ("psycopg", "django/db/")),
    ("Redis (cache, view counts)", ("redis/", "django_redis/")),
    ("image rendition URLs (imagekit)", ("imagekit/",)),
    ("HTML sanitising", ("nh3", "django_prose_editor/")),
    ("URL reversing and resolving", ("django/urls/",)),
    ("translations", ("django/utils/translation/", "modeltranslation/")),
    ("templates", ("django/template/", "templatetags/")),
    (
        "middleware and request handling",
        ("django/core/handlers/", "django/middleware/", "/middleware.py", "whitenoise/"),
    ),
    ("gunicorn (sockets, parsing)", ("gunicorn/",)),
]


def profile_summary(path, top=12):
    """A py-spy raw profile: shares of samples by area of the code, and the busiest functions (own time)."""
    areas, own, total = Counter(), Counter(), 0
    for line in Path(path).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames, count = stack.split(";"), int(count)
        total += count
        own[frames[-1]] += count
        area = next(
            (name for frame in reversed(frames) for name, marks in PROFILE_AREAS if any(m in frame for m in marks)),
            "other Python",
        )
        areas[area] += count
    if not total:
        return None
    return {
        "samples": total,
        "areas": [(area, count / total) for area, count in areas.most_common()],
        "functions": [(frame, count / total) for frame, count in own.most_common(top)],
    }


def _area_of(where):
    return next((name for name, marks in PROFILE_AREAS if any(mark in where for mark in marks)), "other Python")


def cprofile_summary(stats, top=12):
    """The same summary as profile_summary from cProfile statistics (own time per function)."""
    areas, own = Counter(), Counter()
    for (filename, line, function), (_calls, _primitive, own_time, _cumulative, _callers) in stats.stats.items():
        where = f"{function} ({filename}:{line})"
        own[where] += own_time
        areas[_area_of(filename)] += own_time
    total = sum(own.values())
    if not total:
        return None
    return {
        "samples": None,
        "seconds": total,
        "areas": [(area, value / total) for area, value in areas.most_common()],
        "functions": [(frame, value / total) for frame, value in own.most_common(top)],
    }


def _ms(value):
    return f"{value:.1f}"


def _verdict(passed):
    return "yes" if passed else "**no**"


def plain_ratio(results, mode, measured):
    """`measured` requests/s over the plain Django floor's of the same mode's rounds, or None."""
    plain = results.plain.get(mode, {}).get("rps")
    return measured["rps"] / plain if plain else None


def plain_targets(results):
    """The targets of issue 12: ratios to the plain Django floor of the same run."""
    on, off, rows = results.load["on"], results.load["off"], []
    if on.get("floor") and (ratio := plain_ratio(results, "on", on["floor"])) is not None:
        rows.append(
            (
                f"site floor (all middleware): at least {TARGET_SITE_FLOOR_RATIO}",
                f"{ratio:.3f}",
                ratio >= TARGET_SITE_FLOOR_RATIO,
            )
        )
    if on.get("article") and (ratio := plain_ratio(results, "on", on["article"])) is not None:
        rows.append(
            (f"article, page cache on: at least {TARGET_CACHED_RATIO}", f"{ratio:.3f}", ratio >= TARGET_CACHED_RATIO)
        )
    for page in UNCACHED_PAGES:
        if off.get(page) and (ratio := plain_ratio(results, "off", off[page])) is not None:
            rows.append(
                (
                    f"{page}, page cache off: at least {TARGET_UNCACHED_RATIO}",
                    f"{ratio:.3f}",
                    ratio >= TARGET_UNCACHED_RATIO,
                )
            )
    if results.editing and (ratio := plain_ratio(results, "on", results.editing)) is not None:
        rows.append(
            (
                f"article while an editor saves every 5 s (page cache on): at least {TARGET_EDITING_RATIO}",
                f"{ratio:.3f}",
                ratio >= TARGET_EDITING_RATIO,
            )
        )
    if results.cold:
        times = results.cold["article_ms"] / results.cold["plain_ms"]
        rows.append(
            (
                f"article just after an edit, one connection: at most {TARGET_COLD_TIMES_PLAIN}× the plain floor",
                f"{results.cold['article_ms']:.1f} ms = {times:.1f}×",
                times <= TARGET_COLD_TIMES_PLAIN,
            )
        )
    return rows


def targets(results):
    last, first = results.scales[-1], results.scales[0]
    on, off = results.load["on"], results.load["off"]
    rows = plain_targets(results)
    for mode, loads, target in (("on", on, TARGET_API_CACHED_RATIO), ("off", off, TARGET_API_UNCACHED_RATIO)):
        if loads.get("API article list") and (ratio := plain_ratio(results, mode, loads["API article list"])):
            rows.append(
                (
                    f"API article list, cache {mode}: at least {target} of the plain floor",
                    f"{ratio:.3f}",
                    ratio >= target,
                )
            )
    if on:
        worst = max(on, key=lambda page: on[page]["p99_ms"])
        rows.append(
            (
                f"p99 under {TARGET_P99_MS} ms for every page at 16 connections, cache on",
                f"worst {_ms(on[worst]['p99_ms'])} ms ({worst})",
                on[worst]["p99_ms"] < TARGET_P99_MS,
            )
        )
    if len(results.scales) > 1:
        for page, by_scale in results.scale.items():
            if first in by_scale and last in by_scale:
                ratio = by_scale[last] / by_scale[first]
                rows.append(
                    (
                        f"{page}: median at {last:,} articles at most {TARGET_SCALE_RATIO}× that at {first:,}",
                        f"{ratio:.2f}×",
                        ratio <= TARGET_SCALE_RATIO,
                    )
                )
    if last in results.scale.get("search", {}):
        median = results.scale["search"][last]
        rows.append(
            (
                f"search median under {TARGET_SEARCH_MS} ms at {last:,} articles",
                f"{_ms(median)} ms",
                median < TARGET_SEARCH_MS,
            )
        )
    if results.admin:
        slowest = max(results.admin, key=lambda label: results.admin[label][0])
        median = results.admin[slowest][0]
        rows.append(
            (
                f"admin article changelist under {TARGET_ADMIN_MS} ms",
                f"slowest {_ms(median)} ms ({slowest})",
                median < TARGET_ADMIN_MS,
            )
        )
    sizes = [size for mode in results.rss.values() for size in mode]
    if sizes:
        rows.append(
            (
                f"worker RSS under {TARGET_RSS_MB} MB after the run",
                f"largest {max(sizes):.0f} MB",
                max(sizes) < TARGET_RSS_MB,
            )
        )
    return rows


def render(results):
    last = results.scales[-1]
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/run); every number below is from that run. Do not edit: run it again.",
        "",
        f"- Run: {results.started:%Y-%m-%d %H:%M} to {results.finished:%H:%M} UTC",
        f"- Machine: {results.machine}",
        f"- Load: `wrk -t2 -c16 -d{results.duration}s` on loopback, a browser User-Agent; the article and organisation "
        "pages at random among 1,000 of each, the office page among all offices, each search among four queries.",
        f"- Data: {last:,} articles (bodies of about 1,500 characters in Chinese and in English), "
        f"{last // 10:,} organisations, 12 offices; `generate_bench_data` took {results.generated.get(last, 0):.0f} s.",
        "",
        f"## Pages at {last:,} articles",
        "",
        "Queries: rendering the page without the page cache just after an edit (a new content version: counts "
        "taken again); a cached page makes none. Two floors, both a view returning a fixed 20 KB page: the "
        "**plain Django floor** is a minimal Django project of its own (bench/plain: no middleware, no apps, no "
        "database) served by the same gunicorn settings; the **site floor** is the same view through all the "
        "site's middleware. Every page is loaded "
        f"{results.rounds} times, interleaved with the other pages and the plain floor; the run of median "
        "requests/s counts, and ratios are to the plain floor's median run of the same rounds.",
        "",
        "| page | cache | requests/s | p50 ms | p99 ms | errors | ratio to plain Django floor | ratio to site floor "
        "| queries |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for mode in ("on", "off"):
        floor = results.load[mode].get("floor", {}).get("rps")
        if results.plain.get(mode):
            plain = results.plain[mode]
            lines.append(
                f"| plain Django floor | {mode} | {plain['rps']:.0f} | {_ms(plain['p50_ms'])} | "
                f"{_ms(plain['p99_ms'])} | {plain['errors']} | 1.000 |  | 0 |"
            )
        for page, measured in results.load[mode].items():
            queries = results.queries.get(page, ("", []))[0]
            ratio = f"{measured['rps'] / floor:.3f}" if floor else ""
            to_plain = plain_ratio(results, mode, measured)
            lines.append(
                f"| {page} | {mode} | {measured['rps']:.0f} | {_ms(measured['p50_ms'])} | {_ms(measured['p99_ms'])} | "
                f"{measured['errors']} | {'' if to_plain is None else f'{to_plain:.3f}'} | {ratio} | {queries} |"
            )
    if results.editing:
        editing, to_plain = results.editing, plain_ratio(results, "on", results.editing)
        floor = results.load["on"].get("floor", {}).get("rps")
        lines.append(
            f"| article, editing day (a save every 5 s) | on | {editing['rps']:.0f} | {_ms(editing['p50_ms'])} | "
            f"{_ms(editing['p99_ms'])} | {editing['errors']} | {'' if to_plain is None else f'{to_plain:.3f}'} | "
            f"{'' if not floor else f'{editing["rps"] / floor:.3f}'} |  |"
        )
    if results.editing:
        lines += [
            "",
            "Editing day: an editor (a thread of the benchmark) saves one of the loaded articles every 5 s, "
            f"correcting its body through the model's save(), during {results.rounds} runs of "
            f"{results.editing['duration']} s on the article pages ({results.editing['saves']} saves in all).",
        ]
    if results.cold:
        cold = results.cold
        lines += [
            "",
            f"Cold path: one persistent connection, page cache on. Before each of {cold['samples']} requests for an "
            "article an editor saves another article and every cached page and fragment is thrown away; median "
            f"**{cold['article_ms']:.1f} ms** for the article page, against **{cold['plain_ms']:.2f} ms** for the "
            f"plain Django floor over the same kind of connection ({cold['article_ms'] / cold['plain_ms']:.1f}×). "
            f"Cache states seen: {cold['states']}.",
        ]
    lines += [
        "",
        "Worker RSS after the run: "
        + "; ".join(
            f"cache {mode}: " + ", ".join(f"{size:.0f} MB" for size in sizes) for mode, sizes in results.rss.items()
        )
        + ".",
        "",
    ]
    scans = {page: tables for page, (_, tables) in results.queries.items() if tables}
    lines += [
        "Query plans (EXPLAIN of every query of every page above): "
        + (
            "no large table is read end to end."
            if not scans
            else "read end to end: " + "; ".join(f"{page}: {', '.join(t)}" for page, t in scans.items()) + "."
        ),
        "",
    ]
    if len(results.scales) > 1:
        lines += [
            "## Scale",
            "",
            "Median latency in ms with one connection and the page cache off (search: the twelve queries above).",
            "",
            "| page | "
            + " | ".join(f"{n:,} articles" for n in results.scales)
            + f" | {results.scales[-1]:,} / {results.scales[0]:,} |",
            "| --- | " + " | ".join("---:" for _ in results.scales) + " | ---: |",
        ]
        for page, by_scale in results.scale.items():
            values = " | ".join(_ms(by_scale[n]) if n in by_scale else "" for n in results.scales)
            ratio = by_scale[results.scales[-1]] / by_scale[results.scales[0]]
            lines.append(f"| {page} | {values} | {ratio:.2f}× |")
        lines.append("")
    if results.admin:
        lines += [
            f"## Admin at {last:,} articles",
            "",
            "A signed-in superuser, measured in-process (median of 7).",
            "",
            "| article changelist | median ms | queries |",
            "| --- | ---: | ---: |",
            *(f"| {label} | {_ms(median)} | {queries} |" for label, (median, queries) in results.admin.items()),
            "",
        ]
    if results.flush:
        lines += [
            f"`flush_view_counts` after the load runs (every view they counted): {results.flush[0]} "
            f"Took {results.flush[1]:.1f} s, starting the command included.",
            "",
        ]
    if results.servers:
        lines += ["## Two app servers sharing PostgreSQL and Redis", ""]
        lines += [f"- {_verdict(passed)}: {what}: {seen}" for what, seen, passed in results.servers]
        lines.append("")
    lines += ["## Targets", "", "| target | measured | met |", "| --- | --- | --- |"]
    lines += [f"| {target} | {measured} | {_verdict(passed)} |" for target, measured, passed in targets(results)]
    lines.append("")
    if results.profile:
        how = (
            f"py-spy: {results.profile['samples']:,} samples of one worker during the cache-off article run."
            if results.profile.get("samples")
            else f"cProfile in the benchmark's process (py-spy could not attach to a worker): "
            f"{results.profile['seconds']:.2f} s of rendering articles just after an edit."
        )
        lines += [
            "## Where the time goes: article page, page cache off",
            "",
            f"{how} By area (the innermost frame that belongs to one):",
            "",
            "| area | share |",
            "| --- | ---: |",
            *(f"| {area} | {share:.1%} |" for area, share in results.profile["areas"]),
            "",
            "Busiest functions (own time):",
            "",
            "| function | share |",
            "| --- | ---: |",
            *(f"| `{frame}` | {share:.1%} |" for frame, share in results.profile["functions"]),
            "",
        ]
    return "\n".join(lines)
