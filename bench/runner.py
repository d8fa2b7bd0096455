"""`make bench`: the load benchmark of the production configuration. See bench/README.md.

Generates the data at each scale, serves it with gunicorn (DEBUG off, PostgreSQL, Redis, static
files collected) and loads it with wrk; measures queries per page and the admin in-process;
checks two app servers against each other; writes bench/RESULTS.md from the numbers of this run.
"""

import argparse
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from psycopg import sql

from bench import report
from bench.load import BROWSER, wrk
from bench.server import ROOT, AppServer

OUT = ROOT / "bench" / "out"
PORT = 8100
PLAIN_PORT = PORT + 1
PLAIN = "plain floor"
EDIT_SECONDS = 5
COLD_SAMPLES = 40
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
    parser.add_argument(
        "--rounds", type=int, default=3, help="interleaved load runs of every page; the median counts (default 3)"
    )
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
    results = report.Results(started=datetime.now(UTC), duration=args.duration, scales=scales, rounds=args.rounds)

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
    files[PLAIN] = write_paths({PLAIN: ["/bench/floor"]})[PLAIN]
    # The views the load runs count stay pending in Redis until the flush below.
    clear_cache()
    for mode, server_env in (("on", env), ("off", off)):
        step(f"Load, page cache {mode} ({args.rounds} interleaved rounds, the plain Django floor beside)")
        close_connections()
        with (
            AppServer(plain_environment(env), PLAIN_PORT, log=log, application="bench.plain.wsgi") as plain,
            AppServer(server_env, PORT, log=log) as server,
        ):
            if mode == "on":
                warm(server, paths)
            load_rounds(results, mode, plain, server, files, args)
            results.rss[mode] = server.worker_rss_mb()
            if mode == "on":
                step("Editing day: the article page while an editor saves an article every 5 s (page cache on)")
                results.editing = editing_day(server, files["article"], paths["article"], args)
                print(
                    f"  article: {results.editing['rps']:.0f} requests/s, {results.editing['saves']} saves", flush=True
                )
                step("Cold path: the article page just after an edit, one connection")
                results.cold = cold_path(server, plain, paths["article"])
                print(
                    f"  article {results.cold['article_ms']:.1f} ms, plain floor {results.cold['plain_ms']:.2f} ms",
                    flush=True,
                )
            else:
                step("Profile: the article page, page cache off")
                results.profile = profile_article(server, files["article"], args.duration)
                if results.profile is None:
                    results.profile = profile_in_process(paths["article"])

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


def plain_environment(env):
    """The plain Django floor's environment: its own settings, the same gunicorn settings."""
    return {**env, "DJANGO_SETTINGS_MODULE": "bench.plain.settings"}


def median_run(runs):
    """The run of median requests/s among `runs` (wrk results), with every run's requests/s kept."""
    ordered = sorted(runs, key=lambda run: run["rps"])
    return {**ordered[len(ordered) // 2], "runs": [run["rps"] for run in runs]}


def load_rounds(results, mode, plain, server, files, args):
    """Every page and the plain floor, in turn, `args.rounds` times; the median run of each counts.

    Interleaving spreads the machine's own ups and downs over every page alike, and the plain
    floor is measured in each round, so that every ratio compares numbers of the same minutes.
    """
    runs = {page: [] for page in [PLAIN, *files.keys() - {PLAIN}]}
    order = [PLAIN, *(page for page in files if page != PLAIN)]
    for round_number in range(args.rounds):
        for page in order:
            runs[page].append(wrk((plain if page == PLAIN else server).url, files[page], args.duration))
        print(f"  round {round_number + 1} of {args.rounds} done", flush=True)
    results.plain[mode] = median_run(runs[PLAIN])
    for page in order[1:]:
        results.load[mode][page] = measured = median_run(runs[page])
        print(
            f"  {page}: {measured['rps']:.0f} requests/s, p50 {measured['p50_ms']:.1f} ms, "
            f"p99 {measured['p99_ms']:.1f} ms, {measured['errors']} errors",
            flush=True,
        )
    print(f"  {PLAIN}: {results.plain[mode]['rps']:.0f} requests/s", flush=True)


class Editor(threading.Thread):
    """Saves one of the loaded articles every `every` seconds, as an editor correcting text would:
    the body changes, through the model's save() (signals, invalidation and all)."""

    def __init__(self, article_ids, every=EDIT_SECONDS):
        super().__init__(daemon=True)
        self.article_ids = article_ids
        self.every = every
        self.stopping = threading.Event()
        self.saves = 0
        self.error = None

    def run(self):
        from django.db import connection

        chooser = random.Random(12)
        try:
            while not self.stopping.wait(self.every):
                edit_article(chooser.choice(self.article_ids), self.saves)
                self.saves += 1
        except Exception as error:  # reported with the results: a silent editor would fake the row
            self.error = repr(error)
        finally:
            connection.close()

    def stop(self):
        self.stopping.set()
        self.join(timeout=60)


def edit_article(article_id, number):
    """One editor's save of article `article_id`: a correction note at the end of its body, renumbered each time."""
    from news.models import Article

    article = Article.objects.get(pk=article_id)
    body = article.body_zh_hans.split("<p>编辑更正")[0]
    article.body_zh_hans = f"{body}<p>编辑更正 {number}</p>"
    article.save()


def article_ids(article_paths):
    return [int(path.split("/")[2]) for path in article_paths]


def editing_day(server, paths_file, article_paths, args):
    """The article page under load with the page cache on while an editor saves an article every 5 s.

    The median of `args.rounds` runs, each of at least 2 × 5 s so that every run sees saves.
    """
    duration = max(args.duration, 2 * EDIT_SECONDS)
    runs, saves, errors = [], 0, []
    for _ in range(args.rounds):
        editor = Editor(article_ids(article_paths))
        editor.start()
        try:
            runs.append(wrk(server.url, paths_file, duration))
        finally:
            editor.stop()
        saves += editor.saves
        if editor.error:
            errors.append(editor.error)
    if errors:
        raise RuntimeError(f"the editor failed: {errors[0]}")
    close_connections()
    return {**median_run(runs), "saves": saves, "duration": duration}


def one_connection_ms(connection, path):
    started = time.perf_counter()
    connection.request("GET", path, headers={"User-Agent": BROWSER, "Accept-Language": "zh-CN,zh;q=0.9"})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    return (time.perf_counter() - started) * 1000, response.headers.get("X-Page-Cache")


def cold_path(server, plain, article_paths, samples=COLD_SAMPLES):
    """Median ms of the article page just after an edit, one persistent connection, page cache on.

    Before each request an article is saved (not the one asked for) and then every cached page
    and fragment of the site is thrown away, so each request renders from cold: the worst case
    of an editing day. The plain floor is measured over the same kind of connection.
    """
    import http.client

    from core.cache import invalidate_everything

    plain_connection = http.client.HTTPConnection("127.0.0.1", plain.port, timeout=30)
    for _ in range(50):
        one_connection_ms(plain_connection, "/bench/floor")
    plain_ms = [one_connection_ms(plain_connection, "/bench/floor")[0] for _ in range(samples * 5)]
    plain_connection.close()

    ids = article_ids(article_paths)
    site = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    one_connection_ms(site, article_paths[0])
    article_ms, states = [], Counter()
    for number in range(samples):
        path = article_paths[(number * 7 + 1) % len(article_paths)]
        edit_article(ids[(number * 7 + 2) % len(ids)], number)
        invalidate_everything()
        elapsed, state = one_connection_ms(site, path)
        article_ms.append(elapsed)
        states[state] += 1
    site.close()
    close_connections()
    return {
        "article_ms": statistics.median(article_ms),
        "plain_ms": statistics.median(plain_ms),
        "samples": samples,
        "states": dict(states),
    }


def profile_in_process(article_paths, renders=60):
    """Where the time goes rendering the article page from cold, in this process (cProfile).

    Used when py-spy cannot attach to a worker (no ptrace permission); every render is after a
    new content version, as after an edit.
    """
    import cProfile
    import pstats

    from django.test import Client
    from django.test.utils import override_settings

    from core.cache import invalidate_everything

    client = Client(headers={"User-Agent": BROWSER})
    profiler = cProfile.Profile()
    with override_settings(PAGE_CACHE_ENABLED=False):
        client.get(article_paths[0])
        for number in range(renders):
            invalidate_everything()
            profiler.enable()
            client.get(article_paths[number % len(article_paths)])
            profiler.disable()
    output = OUT / "profile-article.pstats"
    profiler.dump_stats(output)
    return report.cprofile_summary(pstats.Stats(str(output)))


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
    return report.profile_summary(output) if output.exists() and output.stat().st_size else None


if __name__ == "__main__":
    sys.exit(main())
