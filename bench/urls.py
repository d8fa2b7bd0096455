"""The site's URLs plus /bench/floor: the framework floor, a fixed 20 KB page with no work behind it."""

from django.http import HttpResponse
from django.urls import path

from alliance_site.urls import urlpatterns as site_urlpatterns
from bench.floor import FLOOR_PAGE


def floor(request):
    return HttpResponse(FLOOR_PAGE)


urlpatterns = [path("bench/floor", floor, name="bench-floor"), *site_urlpatterns]
