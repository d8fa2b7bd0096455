"""Web renditions of uploaded images: made once, when the image is saved, served with srcset.

`add_renditions(Model, "cover")` gives a model WebP (and AVIF, where Pillow can write it)
renditions of an ImageField at a few widths. The optimistic imagekit strategy writes them when
the source is saved, so a page view never resizes an image. `picture()` lists them for the
`{% picture %}` template tag with width and height computed from the stored source size,
without opening a file. Imports no app of the project.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from imagekit.models import ImageSpecField
from PIL import features
from pilkit.processors import ResizeToFit

RENDITION_WIDTHS = (480, 960, 1600)
RENDITION_FORMATS = ("avif", "webp") if features.check("avif") else ("webp",)
# AVIF at encoder speed 8 is about six times faster to make than at the default (6), and still
# about half the size of the WebP rendition.
_SAVE_OPTIONS = {"avif": {"quality": 60, "speed": 8}, "webp": {"quality": 80}}


def rendition_name(field_name, image_format, width):
    return f"{field_name}_{image_format}_{width}"


def add_renditions(model, field_name):
    for image_format in RENDITION_FORMATS:
        for width in RENDITION_WIDTHS:
            spec = ImageSpecField(
                source=field_name,
                processors=[ResizeToFit(width=width, upscale=False)],
                format=image_format.upper(),
                options=_SAVE_OPTIONS[image_format],
            )
            model.add_to_class(rendition_name(field_name, image_format, width), spec)


# Rendition URLs by (model, field, source file, format, width). imagekit derives a rendition's
# name from a hash of its spec, which costs more than the rest of a page's pictures together; the
# name of a given source's rendition never changes (a new upload is a new file name).
_rendition_urls = {}
_RENDITION_URLS_KEPT = 20_000


def rendition_url(instance, field_name, image_format, width):
    key = (type(instance), field_name, getattr(instance, field_name).name, image_format, width)
    url = _rendition_urls.get(key)
    if url is None:
        if len(_rendition_urls) >= _RENDITION_URLS_KEPT:
            _rendition_urls.clear()
        url = _rendition_urls[key] = getattr(instance, rendition_name(field_name, image_format, width)).url
    return url


@dataclass
class Picture:
    sources: list  # [(mime type, srcset)], best format first
    src: str
    width: int
    height: int


def picture(instance, field_name, largest=960):
    """What a <picture> element needs for `instance.<field_name>`, or None without an image."""
    image = getattr(instance, field_name)
    if not image:
        return None
    source_width = getattr(instance, f"{field_name}_width", None) or largest
    source_height = getattr(instance, f"{field_name}_height", None) or round(largest * 9 / 16)

    def size_at(width):
        width = min(width, source_width)
        return width, round(source_height * width / source_width)

    sources = []
    for image_format in RENDITION_FORMATS:
        candidates = []
        for width in RENDITION_WIDTHS:
            candidates.append(f"{rendition_url(instance, field_name, image_format, width)} {size_at(width)[0]}w")
            if width >= source_width:
                break  # larger renditions are the same size as this one
        sources.append((f"image/{image_format}", ", ".join(candidates)))
    fallback_width = min(largest, max(w for w in RENDITION_WIDTHS if w <= largest))
    width, height = size_at(fallback_width)
    return Picture(
        sources=sources, src=rendition_url(instance, field_name, "webp", fallback_width), width=width, height=height
    )


def picture_html(instance, field_name, alt, sizes="(min-width: 60rem) 60rem, 100vw", loading="lazy", css_class=""):
    """A <picture> element with AVIF/WebP srcsets, width and height for an image field with renditions.

    Returns:
        SafeString: the element, or "" when the field holds no image.
    """
    data = picture(instance, field_name)
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
