from functools import cache

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from compliance.models import SiteSettings
from core.cache import content_stamp


def same_site_path(url):
    """`url`, a path on this site (from the request or reversed), as a link that stays on this site.

    Args:
        url: a path with its query string, such as `request.get_full_path()` gives.

    Returns:
        The same path with its leading slashes and backslashes reduced to one slash. A server passes
        a request for `//evil.example/news/` on as that path, and browsers read a link starting with
        `//` or `/\\` as one to another host (WHATWG URL Standard, "special authority slashes").
    """
    return "/" + url.lstrip("/\\")


def site(request):
    """The language switcher: the current page in each language, always on this site; the site
    settings (footer), whether the mourning period is on, and the content stamp of cached fragments.

    The query is the one the view reads (a public page reads only its declared parameters, see
    core.cache.public_page), so a cached page names no parameter it ignored.
    """
    current = get_language()
    path = same_site_path(f"{request.path}?{request.GET.urlencode()}" if request.GET else request.path)
    languages = [
        {
            "code": code,
            "name": name,
            "url": same_site_path(translate_url(path, code)),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
    # Callables, which templates call when they read them: the public pages' footer reads the
    # settings once per request, the admin's pages never.
    site_settings = cache(SiteSettings.load)
    return {
        # In the keys of cached template fragments ({% cache %}): it changes whenever what they show may.
        "content_stamp": cache(content_stamp) if settings.FRAGMENT_CACHE_ENABLED else "",
        # 0 stores nothing ({% cache %}): FRAGMENT_CACHE_ENABLED off.
        "fragment_cache_seconds": settings.PAGE_CACHE_SECONDS if settings.FRAGMENT_CACHE_ENABLED else 0,
        "site_languages": languages,
        "site_name": settings.SITE_NAME,
        "site_settings": site_settings,
        "mourning": lambda: site_settings().is_mourning(),
    }
