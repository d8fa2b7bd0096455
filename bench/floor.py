"""The floor page: a fixed 20 KB page with no work behind it, served by the site (bench/urls.py)
and by the plain Django project (bench/plain)."""

FLOOR_PAGE = (b"<!doctype html><title>floor</title><p>" + b"x" * 20_480)[:20_480]
