from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language


def site(request):
    """The language switcher: the current page in each language."""
    current = get_language()
    path = request.get_full_path()
    languages = [
        {"code": code, "name": name, "url": translate_url(path, code), "current": code == current}
        for code, name in settings.LANGUAGES
    ]
    return {"site_languages": languages, "site_name": settings.SITE_NAME}
