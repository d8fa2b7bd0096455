"""The production settings plus the benchmark's floor view. Used only by bench/run."""

from alliance_site.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
