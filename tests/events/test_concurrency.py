"""Exact capacity on a real server: N places, N+k registrations sent at the same instant to gunicorn
(two processes, eight threads each) on PostgreSQL; exactly N are confirmed and k waitlisted."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest

from tests.security.live import BrowserSession, Gunicorn, manage, site_environment

PLACES = 10
EXTRA = 15
SETUP = f"""
import datetime
from django.utils import timezone
from events.models import Event, Registration
Registration.objects.all().delete()
Event.objects.all().delete()
now = timezone.now()
event = Event.objects.create(
    title_zh_hans="并发报名测试",
    starts_at=now + datetime.timedelta(days=3),
    ends_at=now + datetime.timedelta(days=3, hours=2),
    capacity={PLACES},
    status="published",
)
print(event.pk)
"""
READ = """
from events.models import Registration
rows = list(Registration.objects.order_by("created_at", "pk").values_list("status", flat=True))
print(rows.count("confirmed"), rows.count("waitlisted"), len(rows))
"""


@pytest.fixture(scope="module")
def live_database(live_postgres, tmp_path_factory):
    media_root = tmp_path_factory.mktemp("media")
    manage(site_environment(live_postgres, "locmem://", media_root=media_root), "migrate", "--noinput")
    return live_postgres


@pytest.mark.services
def test_n_places_and_n_plus_k_simultaneous_registrations_confirm_exactly_n(live_database, tmp_path):
    environment = site_environment(live_database, "locmem://", media_root=tmp_path, EMAIL_URL="consolemail://")
    pk = int(manage(environment, "shell", "-v", "0", "-c", SETUP).strip())
    total = PLACES + EXTRA
    start = Barrier(total)

    with Gunicorn(environment, workers=2, threads=8) as server:
        sessions = [BrowserSession(server.url) for _ in range(total)]
        # Each visitor has opened the site (connections warm) before all submit at once.
        for session in sessions:
            assert session.request("/healthz")[0] == 200

        def submit(n):
            data = {
                "name": f"报名人{n}",
                "organisation_name": "苏州测试科技有限公司",
                "mobile": f"139{n:08d}",
                "email": f"person{n}@example.org",
                "consent": "on",
            }
            start.wait()
            return sessions[n].request(f"/events/{pk}/register/", data)[0]

        with ThreadPoolExecutor(max_workers=total) as pool:
            statuses = list(pool.map(submit, range(total)))
    assert statuses == [303] * total, statuses
    confirmed, waitlisted, rows = map(int, manage(environment, "shell", "-v", "0", "-c", READ).split())
    assert (confirmed, waitlisted, rows) == (PLACES, EXTRA, total)
