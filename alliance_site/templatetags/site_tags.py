import json

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.images import picture_html, preload_html
from core.text import bcp47, shown_language, xml_safe_data

register = template.Library()

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


register.simple_tag(picture_html, name="picture")
register.simple_tag(preload_html, name="preload_picture")


@register.simple_tag
def thumbnail(article, sizes, loading="lazy", css_class=""):
    """An article's cover, else its first photo, as `{% picture %}` shows it; "" without either."""
    if shown := article.thumbnail():
        return picture_html(*shown, sizes=sizes, loading=loading, css_class=css_class)
    return ""


@register.simple_tag
def preload_thumbnail(article, sizes):
    """The `<link rel="preload">` for the image `{% thumbnail article sizes loading="eager" %}` shows."""
    if shown := article.thumbnail():
        return preload_html(shown[0], shown[1], sizes)
    return ""


@register.simple_tag
def logo(organisation, alt=None, sizes="10rem", loading="lazy"):
    """An organisation's logo as a <picture>, or its monogram in a box of the same place when it has none.

    `alt`: the logo's text alternative, the organisation's name by default; "" where the name is
    written beside it (a logo repeating it adds nothing for a screen reader).
    """
    if organisation.logo:
        alt = organisation.name if alt is None else alt
        return picture_html(organisation, "logo", alt, sizes=sizes, loading=loading, css_class="org-logo")
    return format_html('<span class="org-monogram" aria-hidden="true">{}</span>', organisation.monogram)


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


@register.simple_tag
def lang_attr(instance, field_name):
    """` lang="zh-Hans"` for the element holding a translated field shown in a fallback language.

    Put it on the element that holds exactly the field's text: `<h1{% lang_attr article "title" %}>`.

    Args:
        instance: a model instance registered with modeltranslation.
        field_name: the translated field shown, e.g. "title".

    Returns:
        The attribute with a leading space when the text is in another language than the page's
        (see core.text.shown_language), else "". Source: HTML, "The lang and xml:lang
        attributes" (WCAG 2 success criterion 3.1.2, language of parts).
    """
    language = shown_language(instance, field_name)
    if language == get_language():
        return ""
    return format_html(' lang="{}"', bcp47(language))


@register.simple_tag
def in_language(instance, field_name):
    """A translated field's text for running text, in `<span lang="...">` when shown in a fallback.

    For a field inside a translated sentence: `{% in_language office "name" as name %}` then
    `{% blocktranslate with office=name %}News of {{ office }}{% endblocktranslate %}`.

    Returns:
        The escaped text, wrapped as `lang_attr` decides.
    """
    text = getattr(instance, field_name)
    if attribute := lang_attr(instance, field_name):
        return format_html("<span{}>{}</span>", attribute, text)
    return format_html("{}", text)


@register.filter
def json_ld(data):
    """A JSON-LD block, safe to embed in HTML; text without the control characters no page should carry."""
    text = json.dumps(xml_safe_data(data), ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag
def photos_outside_body(article, photos):
    """The article's photos that the body does not show."""
    shown = article.photo_ids_in_body()
    return [photo for photo in photos if photo.pk not in shown]
