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
TARGET_CACHED_RATIO = 0.8
TARGET_UNCACHED_RATIO = 0.12
# The API's article list (issue 17): cache on and off, to the floor of the same run.
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


def _ms(value):
    return f"{value:.1f}"


def _verdict(passed):
    return "yes" if passed else "**no**"


def targets(results):
    last, first = results.scales[-1], results.scales[0]
    on, off = results.load["on"], results.load["off"]
    rows = []
    if on.get("article") and on.get("floor"):
        ratio = on["article"]["rps"] / on["floor"]["rps"]
        rows.append(
            (
                f"article page, cache warm: at least {TARGET_CACHED_RATIO} of the floor",
                f"{ratio:.2f}",
                ratio >= TARGET_CACHED_RATIO,
            )
        )
    if off.get("article") and off.get("floor"):
        ratio = off["article"]["rps"] / off["floor"]["rps"]
        rows.append(
            (
                f"article page, cache off: at least {TARGET_UNCACHED_RATIO} of the floor",
                f"{ratio:.3f}",
                ratio >= TARGET_UNCACHED_RATIO,
            )
        )
    for mode, loads, target in (("on", on, TARGET_API_CACHED_RATIO), ("off", off, TARGET_API_UNCACHED_RATIO)):
        if loads.get("API article list") and loads.get("floor"):
            ratio = loads["API article list"]["rps"] / loads["floor"]["rps"]
            rows.append(
                (f"API article list, cache {mode}: at least {target} of the floor", f"{ratio:.3f}", ratio >= target)
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
        "taken again); a cached page makes none. The floor is a view returning a fixed 20 KB page through the "
        "same middleware; ratios are to the floor of the same run.",
        "",
        "| page | cache | requests/s | p50 ms | p99 ms | errors | ratio to floor | queries |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for mode in ("on", "off"):
        floor = results.load[mode].get("floor", {}).get("rps")
        for page, measured in results.load[mode].items():
            queries = results.queries.get(page, ("", []))[0]
            ratio = f"{measured['rps'] / floor:.3f}" if floor else ""
            lines.append(
                f"| {page} | {mode} | {measured['rps']:.0f} | {_ms(measured['p50_ms'])} | {_ms(measured['p99_ms'])} | "
                f"{measured['errors']} | {ratio} | {queries} |"
            )
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
        lines += [
            "## Where the time goes: article page, page cache off",
            "",
            f"py-spy: {results.profile['samples']:,} samples of one worker during the cache-off article run. By area "
            "(the innermost frame that belongs to one):",
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
