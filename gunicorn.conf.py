"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py alliance_site.wsgi`.

Each can be overridden from the environment (GUNICORN_BIND, WEB_CONCURRENCY ...) or the command
line. Sync workers: every request is short (pages come from the page cache or a fixed number of
queries over persistent connections), and a reverse proxy in front buffers slow clients.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# The application is imported once, before the workers fork: faster (re)starts, shared memory.
preload_app = True
# A worker is replaced after this many requests (the jitter spreads the restarts), so memory
# growth from any leak stays bounded.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 50_000))
max_requests_jitter = max_requests // 10
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
# The heartbeat file on a memory file system: a slow disk never makes a busy worker look dead.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 (gunicorn only touches it)
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # the reverse proxy keeps access logs
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
# Forwarded headers are believed only from the reverse proxies in TRUSTED_PROXIES, the setting
# Django reads too (core/clients.py); none are when it is empty. gunicorn's own default
# (FORWARDED_ALLOW_IPS, else 127.0.0.1) would let any local client call a plain-HTTP request secure.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "")
# The one header the proxy sets on every request (README: Production deployment). gunicorn's default
# also believes X-Forwarded-Ssl and X-Forwarded-Protocol, which a proxy passes on from the client.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}


def when_ready(server):
    """Warm the preloaded application in the master, before any worker is forked from it.

    Every worker, and every replacement max_requests brings, then starts with the URL patterns,
    the site's templates and the translations loaded, instead of spending some 300 ms on its
    first request while requests queue behind it. Nothing here opens a connection; any that were
    opened are closed, so that no worker inherits one.
    """
    if not server.cfg.preload_app:
        return
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connections
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    caches["default"]  # imports the cache client
    get_resolver()._populate()
    for code, _ in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("News")
    for label in ("alliance_site", "members", "offices", "news"):
        if not apps.is_installed(label):
            continue  # another project served with these settings (the benchmark's plain floor)
        templates = Path(apps.get_app_config(label).path) / "templates"
        for template in templates.rglob("*.html") if templates.is_dir() else ():
            get_template(str(template.relative_to(templates)))
    connections.close_all()
