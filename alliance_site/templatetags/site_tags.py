import json

from django import template
from django.utils.safestring import mark_safe

from core.images import picture_html

register = template.Library()

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


register.simple_tag(picture_html, name="picture")


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
