"""Web renditions of uploaded images: made once, when the image is saved, served with srcset.

`add_renditions(Model, "cover")` gives a model WebP (and AVIF, where Pillow can write it)
renditions of an ImageField at a few widths. The optimistic imagekit strategy writes them when
the source is saved, so a page view never resizes an image. `picture()` lists them for the
`{% picture %}` template tag with width and height computed from the stored source size,
without opening a file. Imports no app of the project.

Every rendition (`rendition_spec`) starts from `web_image()`: the photo turned as its EXIF
orientation says, in 8-bit RGB, or RGBA where it has transparency and the rendition's format can
keep it (WebP, AVIF, PNG); JPEG renditions are laid on white. Image fields are
`UprightImageField`s, whose stored width and height are those of the turned image.
"""

from dataclasses import dataclass

from django.core.files.images import get_image_dimensions
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from imagekit.models import ImageSpecField
from PIL import Image, ImageMath, ImageOps, features
from pilkit.processors import ResizeToFit

RENDITION_WIDTHS = (480, 960, 1600)
RENDITION_FORMATS = ("avif", "webp") if features.check("avif") else ("webp",)
# AVIF at encoder speed 8 is about six times faster to make than at the default (6), and still
# about half the size of the WebP rendition.
_SAVE_OPTIONS = {"avif": {"quality": 60, "speed": 8}, "webp": {"quality": 80}}
FORMATS_WITH_ALPHA = {"AVIF", "PNG", "WEBP"}
BACKGROUND = (255, 255, 255)

# EXIF Orientation (tag 0x0112) values that turn the image a quarter, so width and height swap.
# Source: CIPA DC-008-2019 (Exif 2.32), tag Orientation.
_EXIF_ORIENTATION = 0x0112
_QUARTER_TURNS = {5, 6, 7, 8}
# Grey on the 16-bit scale (0-65535): what Pillow reads from a 16-bit greyscale PNG ("I;16", "I"
# in older versions) and what it writes to one from "I".
_SIXTEEN_BIT_MODES = {"I", "I;16", "I;16L", "I;16B", "I;16N"}
_ALPHA_MODES = {"RGBA", "RGBa", "LA", "La", "PA"}


def upright(image):
    """`image` turned and mirrored as its EXIF Orientation says (any of the eight values).

    Returns a new image without the tag; an image without a tag comes back as it is stored.
    """
    return ImageOps.exif_transpose(image)


def has_transparency(image):
    """Whether `image` has an alpha band or a transparent colour (a PNG tRNS chunk, a GIF's)."""
    return image.mode in _ALPHA_MODES or "transparency" in image.info


def eight_bit(image):
    """`image` as 8-bit "RGB", or "RGBA" when it has transparency.

    Depth is scaled, never clipped: 16-bit grey is divided by 257 (50 % grey stays 50 % grey,
    where Pillow's own conversion clips it to white); "F" is on Pillow's 0-255 scale. Every other
    mode ("1", "L", "LA", "P", "CMYK", ...) goes through Pillow's conversion, which applies a
    palette's or a tRNS colour's transparency.
    """
    if image.mode in _SIXTEEN_BIT_MODES:
        wide = image.convert("I")
        grey = wide.point(lambda value: value / 257).convert("L")
        transparent = image.info.get("transparency")
        if isinstance(transparent, int):
            alpha = ImageMath.lambda_eval(lambda bands: (bands["grey"] != transparent) * 255, grey=wide).convert("L")
            return Image.merge("RGBA", (grey, grey, grey, alpha))
        return grey.convert("RGB")
    if image.mode == "F":
        return image.convert("L").convert("RGB")
    return image.convert("RGBA" if has_transparency(image) else "RGB")


def flatten(image, background=BACKGROUND):
    """An "RGBA" image laid on `background` (white): "RGB"."""
    base = Image.new("RGBA", image.size, (*background, 255))
    return Image.alpha_composite(base, image).convert("RGB")


def web_image(image, keep_alpha):
    """`image` ready to encode for the web: upright, 8-bit, alpha kept only if `keep_alpha`.

    Args:
        image: a Pillow image of any mode, as decoded from an upload.
        keep_alpha: whether the target format stores transparency (see FORMATS_WITH_ALPHA).
    Returns:
        an "RGB" image, or "RGBA" when `keep_alpha` and some pixel is not fully opaque.
    """
    image = eight_bit(upright(image))
    if image.mode == "RGBA" and (not keep_alpha or image.getextrema()[3][0] == 255):
        image = flatten(image)
    return image


class WebImage:
    """pilkit processor: `web_image()` for a rendition in `image_format`."""

    def __init__(self, image_format):
        self.keep_alpha = image_format.upper() in FORMATS_WITH_ALPHA

    def process(self, image):
        return web_image(image, self.keep_alpha)


def rendition_spec(source, resize, image_format, options):
    """An imagekit spec field: `source` made web-ready, then `resize`d, saved as `image_format`.

    Pillow's own conversion before saving is off: `WebImage` has already chosen the mode.
    """
    return ImageSpecField(
        source=source,
        processors=[WebImage(image_format), resize],
        format=image_format.upper(),
        options=options,
        autoconvert=False,
    )


def upright_dimensions(file, close=False):
    """(width, height) of the image in `file` as shown, i.e. after its EXIF orientation.

    Returns (None, None) for a file that is not an image, like Django's get_image_dimensions.
    The file is left at its position, or closed when `close`.
    """
    width, height = get_image_dimensions(file)
    orientation = None
    if width is not None:
        position = file.tell()
        try:
            file.seek(0)
            with Image.open(file) as image:
                orientation = image.getexif().get(_EXIF_ORIENTATION)
        except (OSError, SyntaxError, ValueError):
            orientation = None  # no readable EXIF: the image is shown as stored
        finally:
            file.seek(position)
    if close:
        file.close()
    return (height, width) if orientation in _QUARTER_TURNS else (width, height)


class UprightImageFieldFile(ImageFieldFile):
    def _get_image_dimensions(self):
        if not hasattr(self, "_dimensions_cache"):
            close = self.closed
            self.open()
            self._dimensions_cache = upright_dimensions(self, close=close)
        return self._dimensions_cache


class UprightImageField(models.ImageField):
    """An ImageField whose width and height fields hold the size of the image as shown."""

    attr_class = UprightImageFieldFile


def rendition_name(field_name, image_format, width):
    return f"{field_name}_{image_format}_{width}"


def add_renditions(model, field_name, widths=RENDITION_WIDTHS):
    """Give `model` WebP (and AVIF) renditions of its image field `field_name`, at each of `widths` (px).

    `picture()` lists them; a field with no width and height fields of its own is taken as 16:9.
    """
    model.rendition_widths = {**getattr(model, "rendition_widths", {}), field_name: tuple(widths)}
    for image_format in RENDITION_FORMATS:
        for width in widths:
            spec = rendition_spec(
                field_name, ResizeToFit(width=width, upscale=False), image_format, _SAVE_OPTIONS[image_format]
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
    widths = getattr(type(instance), "rendition_widths", {}).get(field_name, RENDITION_WIDTHS)
    source_width = getattr(instance, f"{field_name}_width", None) or largest
    source_height = getattr(instance, f"{field_name}_height", None) or round(largest * 9 / 16)

    def size_at(width):
        width = min(width, source_width)
        return width, round(source_height * width / source_width)

    sources = []
    for image_format in RENDITION_FORMATS:
        candidates = []
        for width in widths:
            candidates.append(f"{rendition_url(instance, field_name, image_format, width)} {size_at(width)[0]}w")
            if width >= source_width:
                break  # larger renditions are the same size as this one
        sources.append((f"image/{image_format}", ", ".join(candidates)))
    fallback_width = max((w for w in widths if w <= largest), default=widths[0])
    width, height = size_at(fallback_width)
    return Picture(
        sources=sources, src=rendition_url(instance, field_name, "webp", fallback_width), width=width, height=height
    )


def picture_html(instance, field_name, alt, sizes="(min-width: 60rem) 60rem, 100vw", loading="lazy", css_class=""):
    """A <picture> element with AVIF/WebP srcsets, width and height for an image field with renditions.

    `loading="eager"` is for the page's lead image (the largest content painted first): it is
    also fetched with high priority; `preload_html` names it in the head.

    Returns:
        SafeString: the element, or "" when the field holds no image.
    """
    data = picture(instance, field_name)
    if data is None:
        return ""
    sources = format_html_join(
        "", '<source type="{}" srcset="{}" sizes="{}">', ((mime, srcset, sizes) for mime, srcset in data.sources)
    )
    priority = mark_safe(' fetchpriority="high"') if loading == "eager" else ""
    return format_html(
        '<picture class="{}">{}<img src="{}" alt="{}" width="{}" height="{}" loading="{}"{} decoding="async">'
        "</picture>",
        css_class,
        sources,
        data.src,
        alt,
        data.width,
        data.height,
        loading,
        priority,
    )


def preload_html(instance, field_name, sizes):
    """A `<link rel="preload">` for the picture `picture_html` shows with these `sizes`, or "".

    It names the best format's srcset with its type, so a browser that cannot show that format
    skips the preload and fetches from the <picture> as usual. Source: HTML, "Link type preload"
    (imagesrcset, imagesizes).
    """
    data = picture(instance, field_name)
    if data is None:
        return ""
    mime, srcset = data.sources[0]
    return format_html(
        '<link rel="preload" as="image" type="{}" imagesrcset="{}" imagesizes="{}" fetchpriority="high">',
        mime,
        srcset,
        sizes,
    )
