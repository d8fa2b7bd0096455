"""Which language an API request is answered in, and in which language each field is shown."""

from django.conf import settings
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from core.text import bcp47, shown_language

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def requested_language(lang, accept_language):
    """The language to answer in: `?lang=` when it names one of the site's, else Accept-Language's first
    supported one, else the default (zh-hans).

    Args:
        lang: the `lang` query parameter ("" when absent), e.g. "en", "zh-hant", "zh-Hant".
        accept_language: the Accept-Language header ("" when absent), e.g. "zh-TW,zh;q=0.9".

    Returns:
        A Django language code from settings.LANGUAGES.
    """
    if (code := lang.strip().lower()) in LANGUAGE_CODES:
        return code
    for accepted, _quality in parse_accept_lang_header(accept_language[:255]):
        if accepted == "*":
            break
        try:
            return get_supported_language_variant(accepted)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def languages(instance, *fields):
    """{field: BCP 47 tag} of the text each translated field shows in the active language.

    "zh-Hans" for a title at ?lang=en means the article has no English title and its Simplified
    Chinese one is shown (core.text.shown_language, as pages mark with a lang attribute).
    """
    return {field: bcp47(shown_language(instance, field)) for field in fields}
