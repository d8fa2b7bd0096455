import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

from core.clients import FORWARDED_HEADER_PREFIXES, from_trusted_proxy

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable_response():
    """The friendly bilingual 503 page; it needs no database to render."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A database outage during a view gets the friendly 503 page, not a traceback.

    Connections are health-checked at the start of each request (CONN_HEALTH_CHECKS), so the
    site recovers by itself once the database is back. An outage met outside a view (in another
    middleware) reaches `server_error`, which answers the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.error("Database unavailable: %s", exception)
        return database_unavailable_response()


class NulCharacterMiddleware:
    """No link contains a NUL character, and PostgreSQL refuses them in text: such requests are 404.

    Forms already refuse NUL in what they validate; this covers path and query parameters that
    views look up directly (?office=, ?kind= ...).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # In a query string a NUL can only arrive percent-encoded.
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            raise Http404("NUL character in the address")
        return self.get_response(request)


class UntrustedForwardedHeadersMiddleware:
    """Forwarded headers (X-Forwarded-Proto ...) count only when a trusted proxy sent them.

    Django reads X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER) from whoever connected; gunicorn
    honours it only from TRUSTED_PROXIES. Removing these headers from every other connection
    makes Django agree with gunicorn, so a client that reaches an app server directly cannot
    call a plain-HTTP request secure and skip the redirect to HTTPS.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not from_trusted_proxy(request):
            for key in [key for key in request.META if key.startswith(FORWARDED_HEADER_PREFIXES)]:
                del request.META[key]
        return self.get_response(request)


def server_error(request):
    """handler500: the 503 page when the error is a database outage, else the 500 page."""
    if isinstance(sys.exception(), DATABASE_UNAVAILABLE):
        return database_unavailable_response()
    return defaults.server_error(request)
