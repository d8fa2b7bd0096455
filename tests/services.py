"""The real PostgreSQL and Redis that some tests need, each run in databases and keys of its own.

TEST_POSTGRES_URL and TEST_REDIS_URL name the servers; by default the machine's own
(postgres@127.0.0.1:5432 and 127.0.0.1:6379). A test that needs one that does not answer is
skipped with the reason, and fails in CI (CI=true). Each run (and each parallel worker) works in
a PostgreSQL database whose name ends in the run's token and under Redis keys prefixed with it,
and removes them when it ends, so that runs side by side leave each other alone.
"""

import os

import pytest
from django.conf import settings

from tests.conftest import in_ci

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/alliance_test_live"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def unavailable(message):
    """Skip the test with `message`; in CI, fail it: CI must run every test."""
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def run_token():
    """This run's token (and the parallel worker's name): e.g. `3f9a1c2b` or `3f9a1c2b_gw1`."""
    return "_".join(filter(None, [settings.TEST_RUN, settings.TEST_WORKER]))


def postgres_server_and_name():
    url = os.environ.get("TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL
    server, _, name = url.rpartition("/")
    return server, name.split("?")[0]


def create_postgres_database():
    """Create this run's live database on the TEST_POSTGRES_URL server and return its URL.

    The name is TEST_POSTGRES_URL's with the run token appended. Skips (fails in CI) when the
    server does not answer.
    """
    import psycopg
    from psycopg import sql

    server, name = postgres_server_and_name()
    database = f"{name}_{run_token()}"
    try:
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    except psycopg.OperationalError as error:
        unavailable(f"PostgreSQL at {server} does not answer (set TEST_POSTGRES_URL): {error}")
    return f"{server}/{database}"


def drop_postgres_database(url):
    """Drop the database of `url`, closing what is still connected to it."""
    import psycopg
    from psycopg import sql

    server, _, database = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))


def redis_url():
    """The TEST_REDIS_URL server (default the machine's), once it answers; skips (fails in CI) when it does not."""
    import redis

    url = os.environ.get("TEST_REDIS_URL") or DEFAULT_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError as error:
        unavailable(f"Redis at {url} does not answer (set TEST_REDIS_URL): {error}")
    return url


def redis_key_prefix(purpose):
    """A Redis key prefix for `purpose` in this run: `purpose-<run token>`."""
    return f"{purpose}-{run_token()}"


def delete_redis_keys(url, prefix):
    """Delete every key of the Redis at `url` that starts with `prefix`."""
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{prefix}*", count=1000):
        client.delete(key)
