"""Settings: the environment, an optional .env for development, and clear refusals of bad values."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json
from django.conf import settings
database = settings.DATABASES["default"]
print(json.dumps({
    "debug": settings.DEBUG,
    "secret_key": settings.SECRET_KEY,
    "database": database["NAME"],
    "test_database": database.get("TEST", {}).get("NAME"),
    "conn_max_age": database["CONN_MAX_AGE"],
    "image_max_bytes": settings.UPLOAD_IMAGE_MAX_BYTES,
    "allowed_hosts": settings.ALLOWED_HOSTS,
}))
"""
FILE_KEY = "from-the-file-" + "x" * 50


def manage(*args, env_file, outside_tests=True, **variables):
    """Run manage.py as a developer would: only `variables` set, `env_file` as the .env."""
    ignored = ("DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CACHE_URL", "CONN_MAX_AGE", "UPLOAD_", "TEST_RUN")
    environment = {key: value for key, value in os.environ.items() if not key.startswith(ignored)}
    if outside_tests:
        environment.pop("PYTEST_VERSION", None)
    environment.update(ENV_FILE=str(env_file), **variables)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def probe(env_file, **variables):
    result = manage("shell", "-v", "0", "-c", PROBE, env_file=env_file, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def env_file(tmp_path):
    path = tmp_path / ".env"
    path.write_text(
        "# written by make run\n"
        "DEBUG=1\n"
        f"SECRET_KEY={FILE_KEY}\n"
        f"DATABASE_URL=sqlite:///{tmp_path / 'from-file.sqlite3'}\n"
        "UPLOAD_IMAGE_MAX_BYTES=1000\n"
    )
    return path


def test_manage_py_runs_on_the_env_file_alone_and_the_environment_wins_over_it(env_file, tmp_path):
    settings = probe(env_file, UPLOAD_IMAGE_MAX_BYTES="2000")
    assert settings["debug"] is True
    assert settings["secret_key"] == FILE_KEY
    assert settings["database"] == str(tmp_path / "from-file.sqlite3")
    assert settings["image_max_bytes"] == 2000, "the environment wins over the file"
    assert settings["allowed_hosts"] == ["localhost", "127.0.0.1", "[::1]"]


def test_without_an_env_file_the_documented_defaults_hold(tmp_path):
    settings = probe(tmp_path / "absent.env", DEBUG="1")
    assert settings["database"] == str(ROOT / "db.sqlite3")
    assert settings["conn_max_age"] == 600
    assert settings["image_max_bytes"] == 10 * 1024 * 1024


def test_the_tests_read_no_env_file_and_use_a_database_of_their_own_run(env_file):
    result = manage("shell", "-v", "0", "-c", PROBE, env_file=env_file, outside_tests=False, DEBUG="1", TEST_RUN="r1")
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout.strip().splitlines()[-1])
    assert settings["secret_key"] != FILE_KEY
    assert settings["database"] == str(ROOT / "db.sqlite3"), "a DATABASE_URL in .env never reaches the tests"
    assert settings["test_database"] == str(ROOT / ".test-db-r1.sqlite3")
    postgres = manage(
        "shell", "-v", "0", "-c", PROBE, env_file=env_file, outside_tests=False, DEBUG="1", TEST_RUN="r2",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/alliance_ci",
    )  # fmt: skip
    assert postgres.returncode == 0, postgres.stderr
    assert json.loads(postgres.stdout.strip().splitlines()[-1])["test_database"] == "test_alliance_ci_r2"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"DEBUG": "0"},
            "SECRET_KEY must be set when DEBUG is off (export SECRET_KEY=... or DEBUG=1, "
            "or run `make run` once to write a .env for development).",
        ),
        ({"DEBUG": "1", "CONN_MAX_AGE": "ten"}, "CONN_MAX_AGE must be a whole number, not 'ten'."),
        (
            {"DEBUG": "1", "UPLOAD_IMAGE_MAX_BYTES": "10MB"},
            "UPLOAD_IMAGE_MAX_BYTES must be a whole number, not '10MB'.",
        ),
        (
            {"DEBUG": "1", "DATABASE_URL": "mysql://user:secret@db/alliance"},
            "DATABASE_URL not understood: use postgres://user:password@host:5432/name or sqlite:///path/to/file.",
        ),
        (
            {"DEBUG": "1", "REDIS_URL": "memcache://cache:11211"},
            "CACHE_URL/REDIS_URL not understood: memcache://... (use redis://, locmem:// or dummy://).",
        ),
    ],
)
def test_a_misconfiguration_is_refused_naming_the_variable(variables, message, tmp_path):
    result = manage("check", env_file=tmp_path / "absent.env", **variables)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == f"django.core.exceptions.ImproperlyConfigured: {message}"
    assert "secret" not in result.stderr, "a password in a URL is never printed"
