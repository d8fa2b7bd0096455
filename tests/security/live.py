"""A real server for tests that need one: gunicorn on PostgreSQL (and Redis), in processes of its own.

Tests marked `services` take their PostgreSQL database and Redis from tests/services.py.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.news.pages import form_data, parse_html

ROOT = Path(__file__).resolve().parents[2]
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


def site_environment(database_url, cache_url, **extra):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_", "REDIS_"))}
    environment.update(
        DEBUG="1",
        DATABASE_URL=database_url,
        CACHE_URL=cache_url,
        CONN_MAX_AGE="60",
        MEDIA_ROOT=str(extra.pop("media_root")),
        LOG_LEVEL="ERROR",
    )
    environment.pop("REDIS_URL", None)
    environment.update(extra)
    return environment


def manage(environment, *args, timeout=300):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn serving the site; stopped (and its workers with it) when the block ends.

    It is ready when /healthz answers `ready_status` (a production server answers plain HTTP
    with a redirect to HTTPS).
    """

    def __init__(self, environment, workers=2, threads=4, ready_status=200):
        self.ready_status = ready_status
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "alliance_site.wsgi",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--graceful-timeout=5",
        ]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )

    def __enter__(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.process.stderr.read()[-2000:]}")
            try:
                if self.request("/healthz", timeout=2)[0] == self.ready_status:
                    return self
            except (ConnectionError, TimeoutError, http.client.HTTPException):
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz within 30 s")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def request(self, path, headers=None, timeout=30):
        """GET `path` as it stands, redirects not followed: (status, response headers, body)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path, headers={"User-Agent": BROWSER, **(headers or {})})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def get(self, path, agent=BROWSER):
        request = urllib.request.Request(self.url + path, headers={"User-Agent": agent})  # noqa: S310 (loopback)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


class BrowserSession:
    """A person at a browser: cookies kept, forms read from the page and posted back as they stand."""

    def __init__(self, base_url):
        import http.cookiejar

        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect())

    def request(self, path, data=None):
        from urllib.parse import urlencode

        body = urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 (loopback)
            self.base_url + path, data=body, headers={"User-Agent": BROWSER, "Referer": self.base_url + path}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def form(self, path, form_id):
        status, page = self.request(path)
        assert status == 200, (path, status)
        return form_data(parse_html(page), form_id)

    def sign_in(self, username, password):
        data = self.form("/admin/login/", "login-form")
        data.update(username=username, password=password)
        status, _ = self.request("/admin/login/", data)
        assert status == 302, "signed in"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
