"""Old addresses answering 301 (news.models.Redirect), consulted only when a request would be a 404.

The answer for a path (where it goes, or that it goes nowhere) is cached under the content
version (core.cache), so a 404 that is no redirect costs one cache round trip, and a redirect
added or changed takes effect at once (saving it starts a new content version).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponsePermanentRedirect

from core.cache import content_version
from news.models import Redirect

_NOWHERE = ""


def redirect_target(path):
    """Where the old address `path` now is (a path), or None. Cached per content version."""
    key = f"redirect:{content_version()}:{hashlib.sha256(path.encode()).hexdigest()}"
    target = cache.get(key)
    if target is None:
        redirect = Redirect.objects.select_related("article").filter(old_path=path).first()
        target = redirect.target() if redirect else _NOWHERE
        cache.set(key, target, settings.PAGE_CACHE_SECONDS)
    return target or None


class RedirectFallbackMiddleware:
    """Answers a 404 with a 301 when its path (with its query string, else without) is an old address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        full_path = request.get_full_path()
        target = redirect_target(full_path)
        if target is None and full_path != request.path:
            target = redirect_target(request.path)
        return HttpResponsePermanentRedirect(target) if target else response
