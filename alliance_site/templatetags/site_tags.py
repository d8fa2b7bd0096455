import json

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from core.images import picture_html

register = template.Library()

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


register.simple_tag(picture_html, name="picture")


@register.filter
def datetime_attribute(moment):
    """A moment as the `datetime` attribute of <time> takes it, in the current time zone.

    Args: an aware datetime, or None.
    Returns: "2026-11-29T13:12:00+08:00" (whole seconds: HTML's "valid global date and time
    string" allows at most three digits of a second, and isoformat() gives six), or "" for None.
    """
    if moment is None:
        return ""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


@register.filter
def json_ld(data):
    """A JSON-LD block, safe to embed in HTML."""
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag
def photos_outside_body(article, photos):
    """The article's photos that the body does not show."""
    shown = article.photo_ids_in_body()
    return [photo for photo in photos if photo.pk not in shown]
