"""The production settings plus the benchmark's floor view and data generator. Used by bench/run,
and for `generate_bench_data`: `DJANGO_SETTINGS_MODULE=bench.settings python manage.py generate_bench_data`."""

from alliance_site.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
ROOT_URLCONF = "bench.urls"
