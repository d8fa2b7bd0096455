import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from reversion.models import Version

from news.models import Article
from tests.outages import database_unreachable

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz-_!@#$%"


def run_manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", DEBUG="0", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr


@pytest.mark.django_db
def test_load_demo_twice_leaves_identical_rows(demo):
    def snapshot():
        labels = ("members", "offices", "news", "reversion")  # the history too: a second load adds none
        models = [m for label in labels for m in apps.get_app_config(label).get_models()]
        return {m._meta.label: sorted(m.objects.values_list("pk", flat=True)) for m in models}

    first = snapshot()
    article_version = Article.objects.get().version
    from alliance_site.demo import DemoLoader

    DemoLoader(log=lambda message: None).load()
    assert snapshot() == first
    assert Article.objects.get().version == article_version, "a second load must not save the article again"
    assert first["members.Organisation"] and first["offices.CouncilSeat"] and first["news.ArticlePhoto"]
    history = Version.objects.get_for_object(Article.objects.get())
    assert [version.revision.comment for version in history] == ["Demo content loaded."]


@pytest.mark.django_db(transaction=True)
def test_health_check_answers_503_naming_the_database_when_it_is_unreachable(client, settings):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}
    with database_unreachable():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"].startswith("error")
    assert response.json()["cache"] == "ok"
    assert client.get("/healthz").status_code == 200, "recovers without a restart"
