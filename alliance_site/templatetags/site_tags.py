import json
import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from alliance_site.images import picture as picture_data
from alliance_site.text import bcp47, shown_language, xml_safe_data

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


@register.simple_tag
def lang_attr(instance, field_name):
    """` lang="zh-Hans"` for the element holding a translated field shown in a fallback language.

    Put it on the element that holds exactly the field's text: `<h1{% lang_attr article "title" %}>`.

    Args:
        instance: a model instance registered with modeltranslation.
        field_name: the translated field shown, e.g. "title".

    Returns:
        The attribute with a leading space when the text is in another language than the page's
        (see alliance_site.text.shown_language), else "". Source: HTML, "The lang and xml:lang
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
