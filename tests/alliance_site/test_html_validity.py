"""Every public page, in every language, is valid HTML with valid CSS by the Nu HTML Checker.

The checker (vnu.jar, from the npm package pinned in package.json, installed by `make test`)
runs on Java and takes seconds to start, so it runs once for the session over every page of
tests/alliance_site/public_pages.py and the site's stylesheets; each test reads its own file's
messages. Errors fail; warnings are listed in the run's warnings summary.
"""

import json
import shutil
import subprocess
import warnings
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation

from tests.alliance_site.conftest import CHECKED_KEY
from tests.alliance_site.public_pages import PAGES, make_content
from tests.conftest import in_ci
from tests.outages import database_unreachable

ROOT = Path(__file__).resolve().parents[2]
CHECKER = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
STYLESHEETS = sorted(path.relative_to(ROOT) for path in ROOT.glob("*/static/**/*.css"))
LANGUAGES = [code for code, _ in settings.LANGUAGES]
CHECKED = [(page, language) for page in PAGES for language in LANGUAGES]

pytestmark = pytest.mark.django_db  # the pages are rendered from a database, once for the session


class HtmlCheckerWarning(UserWarning):
    """What the checker reports as a warning: listed in the run's summary, not failing."""


def _checker_or_skip():
    """The java command and vnu.jar; skips (fails in CI) when either is missing."""
    java = shutil.which("java")
    if java is None or not CHECKER.exists():
        missing = (
            "Java (apt-get install default-jre-headless)" if java is None else f"{CHECKER} (make test installs it)"
        )
        reason = f"the HTML check needs {missing}"
        if in_ci():
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return java


def _file_name(page, language):
    return f"{language}--{page.name.replace(' ', '-')}.html"


def _stylesheet_file_name(stylesheet):
    return "--".join(stylesheet.parts)


def _render(client, page, path, language, folder):
    response = client.get(path)
    assert response.status_code == page.status, f"{path} answered {response.status_code}"
    (folder / _file_name(page, language)).write_bytes(response.content)


def _render_all(folder, media_root, demo_snapshot):
    """Writes every page in every language into `folder`; returns {(page, language): address}.

    The content is made in a transaction rolled back at the end, so no other test sees it.
    """
    client = Client(raise_request_exception=False)
    paths = {}
    with override_settings(MEDIA_ROOT=media_root, PAGE_CACHE_ENABLED=False):
        cache.clear()
        with transaction.atomic():
            content = make_content(demo_snapshot, media_root)
            for page, language in CHECKED:
                with translation.override(language):
                    paths[page, language] = page.path(content)
                if not page.database_down:
                    _render(client, page, paths[page, language], language, folder)
            transaction.set_rollback(True)
        cache.clear()  # a page whose rows are all cached is served without the database
        with database_unreachable():
            for page, language in CHECKED:
                if page.database_down:
                    _render(client, page, paths[page, language], language, folder)
        cache.clear()
    return paths


@pytest.fixture(scope="session")
def checker_messages(request, django_db_setup, django_db_blocker, tmp_path_factory, demo_snapshot):
    """{file name: [the checker's messages about it]}, for every page in every language and each stylesheet."""
    java = _checker_or_skip()
    folder = tmp_path_factory.mktemp("html-check")
    with django_db_blocker.unblock():
        paths = _render_all(folder, tmp_path_factory.mktemp("html-check-media"), demo_snapshot)
    files = sorted(folder.iterdir())
    for stylesheet in STYLESHEETS:
        files.append(folder / _stylesheet_file_name(stylesheet))
        shutil.copyfile(ROOT / stylesheet, files[-1])
    result = subprocess.run(
        [java, "-jar", str(CHECKER), "--format", "json", "--also-check-css", "--skip-non-html", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(result.stderr or result.stdout)
    messages = {path.name: [] for path in files}
    for message in report["messages"]:
        messages.setdefault(message.get("url", "").rsplit("/", 1)[-1], []).append(message)
    request.config.stash[CHECKED_KEY] = [
        *(f"{page.name}: {' '.join(unquote(paths[page, language]) for language in LANGUAGES)}" for page in PAGES),
        *(f"stylesheet: {stylesheet}" for stylesheet in STYLESHEETS),
    ]
    return messages


def _describe(message):
    where = f"line {message['lastLine']}" if "lastLine" in message else "document"
    kind = message.get("subType", message["type"])
    return f"{kind} at {where}: {message['message']} [{message.get('extract', '').strip()}]"


def _assert_valid(name, messages):
    errors = [m for m in messages if m["type"] != "info"]  # "error", and "non-document-error" (unreadable)
    for warning in (m for m in messages if m.get("subType") == "warning"):
        warnings.warn(f"{name}: {_describe(warning)}", HtmlCheckerWarning, stacklevel=2)
    assert not errors, "\n".join(map(_describe, errors))


@pytest.mark.parametrize(("page", "language"), CHECKED, ids=[f"{language}-{page.name}" for page, language in CHECKED])
def test_public_page_is_valid_html(checker_messages, page, language):
    _assert_valid(f"{language} {page.name}", checker_messages[_file_name(page, language)])


@pytest.mark.parametrize("stylesheet", STYLESHEETS, ids=map(str, STYLESHEETS))
def test_stylesheet_is_valid_css(checker_messages, stylesheet):
    _assert_valid(str(stylesheet), checker_messages[_stylesheet_file_name(stylesheet)])
