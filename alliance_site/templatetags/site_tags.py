import json
import re

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.images import picture as picture_data

register = template.Library()

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def picture(instance, field_name, alt, sizes="(min-width: 60rem) 60rem, 100vw", loading="lazy", css_class=""):
    """<picture> with AVIF/WebP srcsets, width and height, for an image field with renditions."""
    data = picture_data(instance, field_name)
    if data is None:
        return ""
    sources = format_html_join(
        "", '<source type="{}" srcset="{}" sizes="{}">', ((mime, srcset, sizes) for mime, srcset in data.sources)
    )
    return format_html(
        '<picture class="{}">{}<img src="{}" alt="{}" width="{}" height="{}" loading="{}" decoding="async"></picture>',
        css_class,
        sources,
        data.src,
        alt,
        data.width,
        data.height,
        loading,
    )


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


_BODY_IMAGE = re.compile(r'<img\b[^>]*\bdata-file="(\d+)"[^>]*>')
_ANY_IMAGE = re.compile(r"<img\b[^>]*>")
_EMPTY_FIGURE = re.compile(r"<figure\b[^>]*>\s*</figure>")


@register.simple_tag
def article_body(article, photos):
    """The sanitised body; its images of the article's photos as responsive pictures.

    Any other image (an empty photo slot, a photo of another article) is left out, and so is a
    figure left with nothing in it; a figure with a caption keeps its caption.
    """
    by_id = {str(photo.pk): photo for photo in photos}

    def replace(match):
        photo_id = _BODY_IMAGE.match(match.group(0))
        photo = by_id.get(photo_id.group(1)) if photo_id else None
        if photo is None:
            return ""
        return str(picture(photo, "image", photo.alt_text, sizes="(min-width: 48rem) 46rem, 100vw"))

    # Bodies are sanitised on every save; cleaning again here also covers rows written without
    # save(), such as restored backups.
    body = type(article)._meta.get_field("body").sanitize(article.body or "")
    return mark_safe(_EMPTY_FIGURE.sub("", _ANY_IMAGE.sub(replace, body)))


@register.simple_tag
def photos_outside_body(article, photos):
    """The article's photos that the body does not show."""
    shown = set(_BODY_IMAGE.findall(article.body or ""))
    return [photo for photo in photos if str(photo.pk) not in shown]
