"""`make bench`: the load benchmark of the production configuration. See bench/README.md.

Generates the data at each scale, serves it with gunicorn (DEBUG off, PostgreSQL, Redis, static
files collected) and loads it with wrk; measures queries per page and the admin in-process;
checks two app servers against each other; writes bench/RESULTS.md from the numbers of this run.
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from psycopg import sql

from bench import report
from bench.load import wrk
from bench.server import ROOT, AppServer

OUT = ROOT / "bench" / "out"
PORT = 8100
SCALE_PAGES = ("article", "news list", "search")
PRINT_PATHS = "import json; from bench.pages import page_paths; print(json.dumps(page_paths()))"


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page and mode (default 10)")
    parser.add_argument(
        "--scales",
        default="1000,10000,100000",
        help="article counts; the full run is at the last (default %(default)s)",
    )
    parser.add_argument("--profile", action="store_true", help="profile the cache-off article page with py-spy")
    return parser.parse_args(argv)


def environment():
    """The production configuration with the benchmark's settings module (the floor view)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        LOG_LEVEL="ERROR",
        GUNICORN_LOG_LEVEL="error",
        # wrk asks from one address thousands of times a second: the API's rate limit stays on (its
        # cost is measured) with a limit the load never reaches.
        API_RATE_LIMIT="1000000000",
    )
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/alliance_bench")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    return env


def manage(env, *args, capture=False):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, capture_output=capture
    )
    return result.stdout


def scale_environment(env, articles, largest):
    """The largest scale uses DATABASE_URL; each smaller one a database of its own beside it."""
    if articles == largest:
        return {**env, "CACHE_KEY_PREFIX": f"bench-{articles}"}
    url = urlsplit(env["DATABASE_URL"])
    database = f"{url.path.lstrip('/')}_{articles}"
    return {
        **env,
        "DATABASE_URL": urlunsplit(url._replace(path=f"/{database}")),
        "CACHE_KEY_PREFIX": f"bench-{articles}",
    }


def check_services(env):
    """PostgreSQL and Redis answer, and the database exists (it is created when missing)."""
    import psycopg
    import redis

    try:
        ensure_database(env["DATABASE_URL"])
    except psycopg.Error as error:
        sys.exit(f"PostgreSQL is not reachable through DATABASE_URL: {error}")
    try:
        redis.Redis.from_url(env["REDIS_URL"], socket_connect_timeout=5).ping()
    except redis.RedisError as error:
        sys.exit(f"Redis is not reachable through REDIS_URL: {error}")


def ensure_database(url):
    """Create the database of `url` when it does not exist."""
    import environ
    import psycopg

    settings = environ.Env.db_url_config(url)
    server = {key.lower(): settings[key] or None for key in ("HOST", "PORT", "USER", "PASSWORD")}
    with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **server) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings["NAME"])))


def step(message):
    print(f"\n== {message}", flush=True)


def setup_django(env):
    os.environ.update(env)
    import django

    django.setup()


def close_connections():
    from django.db import connections

    connections.close_all()


def clear_cache():
    from django.core.cache import caches

    caches["default"].clear()


def generate_arguments(articles):
    sizes = ["--articles", str(articles), "--organisations", str(articles // 10), "--offices", "12"]
    return ["generate_bench_data", *sizes, "--seed", "1", "--replace"]


def measure_scales(results, env, scales, files, log, rounds=5, seconds=3):
    """Median latency of each scale page with one connection, page cache off.

    Every scale is served at once (one gunicorn each) and measured in turn, round after round,
    so that a machine getting busier or quieter during the run weighs on every scale alike.
    """
    step("Latency at each scale (one connection, page cache off, interleaved rounds)")
    servers = [
        AppServer({**scale_environment(env, n, scales[-1]), "PAGE_CACHE_ENABLED": "0"}, PORT + 10 + i, 1, log)
        for i, n in enumerate(scales)
    ]
    medians = {page: {n: [] for n in scales} for page in SCALE_PAGES}
    with ExitStack() as stack:
        for server in servers:
            stack.enter_context(server)
        for articles, server in zip(scales, servers, strict=True):
            for page in SCALE_PAGES:
                wrk(server.url, files[articles][page], 1, connections=1, threads=1)
        for _ in range(rounds):
            for page in SCALE_PAGES:
                for articles, server in zip(scales, servers, strict=True):
                    measured = wrk(server.url, files[articles][page], seconds, connections=1, threads=1)
                    medians[page][articles].append(measured["p50_ms"])
    for page, by_scale in medians.items():
        for articles, values in by_scale.items():
            results.scale[page][articles] = statistics.median(values)
        print(f"  {page}: " + ", ".join(f"{n:,}: {results.scale[page][n]:.1f} ms" for n in scales), flush=True)


def write_paths(paths, suffix=""):
    files = {}
    for page, urls in paths.items():
        files[page] = OUT / f"paths-{page.replace(' ', '-').replace(',', '')}{suffix}.txt"
        files[page].write_text("\n".join(urls) + "\n")
    return files


def warm(server, paths):
    """Each path once, so that the cached run measures a warm cache."""
    import urllib.request

    for urls in paths.values():
        for url in urls:
            with urllib.request.urlopen(server.url + url, timeout=30) as response:  # noqa: S310
                response.read()


def scale_paths(paths):
    return {
        "article": paths["article"],
        "news list": paths["news list"],
        "search": [url for page, urls in paths.items() if page.startswith("search") for url in urls],
    }


def main(argv=None):
    args = parse_args(argv)
    scales = [int(n) for n in args.scales.split(",")]
    OUT.mkdir(exist_ok=True)
    env = environment()
    log = (OUT / "gunicorn.log").open("a")
    results = report.Results(started=datetime.now(UTC), duration=args.duration, scales=scales)

    step("Services, database, static files")
    check_services(env)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    setup_django(env)
    from bench import pages
    from bench.scaleout import check_two_servers

    results.machine = report.machine(env)
    off = {**env, "PAGE_CACHE_ENABLED": "0"}
    scale_files = {}
    for articles in scales:
        step(f"{articles:,} articles")
        close_connections()
        scale_env = scale_environment(env, articles, scales[-1])
        ensure_database(scale_env["DATABASE_URL"])
        manage(scale_env, "migrate", "--noinput", "-v0")
        started = time.monotonic()
        manage(scale_env, *generate_arguments(articles))
        results.generated[articles] = time.monotonic() - started
        listed = manage(scale_env, "shell", "--no-imports", "-c", PRINT_PATHS, capture=True).strip().splitlines()[-1]
        scale_files[articles] = write_paths(scale_paths(json.loads(listed)), suffix=f"-{articles}")
    clear_cache()
    measure_scales(results, env, scales, scale_files, log)
    paths = pages.page_paths()

    step("Queries per page, query plans, admin")
    results.queries = pages.queries_per_page(paths)
    results.admin = pages.admin_timings()
    close_connections()

    files = write_paths(paths)
    # The views the load runs count stay pending in Redis until the flush below.
    clear_cache()
    for mode, server_env in (("on", env), ("off", off)):
        step(f"Load, page cache {mode}")
        close_connections()
        with AppServer(server_env, PORT, log=log) as server:
            if mode == "on":
                warm(server, paths)
            for page in paths:
                results.load[mode][page] = measured = wrk(server.url, files[page], args.duration)
                print(
                    f"  {page}: {measured['rps']:.0f} requests/s, p50 {measured['p50_ms']:.1f} ms, "
                    f"p99 {measured['p99_ms']:.1f} ms, {measured['errors']} errors",
                    flush=True,
                )
            results.rss[mode] = server.worker_rss_mb()
            if args.profile and mode == "off":
                results.profile = profile_article(server, files["article"], args.duration)

    step("Flushing the views counted during the load runs")
    started = time.monotonic()
    flushed = manage(env, "flush_view_counts", capture=True).strip()
    results.flush = (flushed, time.monotonic() - started)
    print(f"  {flushed} Took {results.flush[1]:.1f} s.", flush=True)

    step("Two app servers sharing PostgreSQL and Redis")
    clear_cache()
    close_connections()
    results.servers = check_two_servers(
        env, paths["article"][0], pages.ADMIN_USER, pages.ADMIN_PASSWORD, "两台服务器之间的编辑验证"
    )
    for what, seen, passed in results.servers:
        print(f"  {'ok' if passed else 'FAILED'}: {what}: {seen}", flush=True)

    results.finished = datetime.now(UTC)
    (ROOT / "bench" / "RESULTS.md").write_text(report.render(results))
    step("Wrote bench/RESULTS.md")
    return 0 if all(passed for _, _, passed in results.servers) else 1


def profile_article(server, paths_file, duration):
    """Where a worker's time goes serving the article page without the page cache (py-spy)."""
    worker = server.worker_pids()[0]
    output = OUT / "profile-article.txt"
    spy = subprocess.Popen(
        [
            Path(sys.executable).with_name("py-spy"),
            "record",
            "--pid",
            str(worker),
            "--duration",
            str(duration),
            "--rate",
            "250",
            "--format",
            "raw",
            "--output",
            str(output),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wrk(server.url, paths_file, duration)
    spy.wait(timeout=duration + 30)
    return report.profile_summary(output) if output.exists() else None


if __name__ == "__main__":
    sys.exit(main())
