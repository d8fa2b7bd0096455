"""The plain floor's only page (the site floor's 20 KB) and /healthz, which bench.server waits for."""

from django.http import HttpResponse
from django.urls import path

from bench.floor import FLOOR_PAGE


def floor(request):
    return HttpResponse(FLOOR_PAGE)


def healthz(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/floor", floor), path("healthz", healthz)]
