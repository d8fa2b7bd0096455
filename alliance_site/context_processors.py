from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language


def site(request):
    """The language switcher: the current page in each language.

    The query is the one the view reads (a public page reads only its declared parameters, see
    alliance_site.cache.public_page), so a cached page names no parameter it ignored.
    """
    current = get_language()
    path = f"{request.path}?{request.GET.urlencode()}" if request.GET else request.path
    languages = [
        {"code": code, "name": name, "url": translate_url(path, code), "current": code == current}
        for code, name in settings.LANGUAGES
    ]
    return {"site_languages": languages, "site_name": settings.SITE_NAME}
