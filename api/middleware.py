"""What every API request goes through before the page cache: its language and the rate limit."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import ngettext

from api.language import requested_language
from core.clients import client_ip

API_PREFIX = "/api/"


class ApiMiddleware:
    """For /api/ requests: a per-client rate limit (429 with Retry-After) and the language.

    The language a request is answered in is written into its query as `lang`, so that the page
    cache keys the answer on it whether it came from `?lang=` or from Accept-Language.
    Rate limit: API_RATE_LIMIT requests per API_RATE_WINDOW seconds per client address
    (core.clients.client_ip), counted in the shared cache, cached answers included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        query = request.GET.copy()
        query["lang"] = requested_language(query.get("lang", ""), request.headers.get("Accept-Language", ""))
        if request.method != "OPTIONS" and (retry_after := self.over_limit(request)):
            with translation.override(query["lang"]):
                message = ngettext(
                    "Too many requests: try again in %(seconds)d second.",
                    "Too many requests: try again in %(seconds)d seconds.",
                    retry_after,
                ) % {"seconds": retry_after}
            response = JsonResponse({"detail": message}, status=429, json_dumps_params={"ensure_ascii": False})
            response["Retry-After"] = str(retry_after)
            return response
        request.GET = query
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith("application/json"):
            response = self.as_json(response)
        patch_vary_headers(response, ["Accept-Language"])
        return response

    @staticmethod
    def as_json(response):
        """An error the site answered with a page (an unknown address: 404) as the API's JSON error."""
        error = JsonResponse({"detail": response.reason_phrase}, status=response.status_code)
        for header in ("Allow", "Retry-After"):
            if header in response:
                error[header] = response[header]
        return error

    @staticmethod
    def over_limit(request):
        """Seconds until the client may ask again, or 0 while it is within the limit."""
        limit, window = settings.API_RATE_LIMIT, settings.API_RATE_WINDOW
        if not limit:
            return 0
        now = time.time()
        slot = int(now // window)
        key = f"api-rate:{client_ip(request)}:{slot}"
        # incr() first: one round trip to the shared cache for all but a client's first request
        # of a window; add() starts the window's counter, atomically, on every app server alike.
        try:
            count = cache.incr(key)
        except ValueError:
            count = 1 if cache.add(key, 1, window + 1) else cache.incr(key)
        if count is None or count <= limit:  # None: the cache is down, and the API stays up
            return 0
        return max(1, int((slot + 1) * window - now + 0.999))
