"""What staff and visitors read in Simplified Chinese, for assertions on translated messages."""

from django.utils import translation


def zh(message, plural=None, number=None, params=None):
    """`message` (or its plural form for `number`) in zh-hans, with `params` filled in."""
    with translation.override("zh-hans"):
        text = translation.ngettext(message, plural, number) if plural else translation.gettext(message)
    return text % params if params else text
