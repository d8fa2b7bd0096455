"""Every rendition looks like the photo: turned upright, colours and depth kept, transparency kept
where the format has it (WebP, AVIF) and laid on white where it has none (the JPEG share image)."""

import io

import pytest
from django.core.files.base import File
from PIL import Image

from core.images import RENDITION_FORMATS, RENDITION_WIDTHS, rendition_name
from members.models import Organisation
from news.models import ArticlePhoto
from tests.factories import ArticlePhotoFactory, OrganisationFactory
from tests.security.test_uploads import post_change_form

RED, GREEN, BLUE, YELLOW, WHITE = (230, 20, 20), (20, 200, 40), (20, 40, 230), (240, 220, 20), (255, 255, 255)
TRANSPARENT = None
# Lossy encoders (JPEG, WebP at quality 80, AVIF at 60) move a flat colour by a few levels.
TOLERANCE = 24
# Pillow's transpose methods that undo what each EXIF orientation asks for (CIPA DC-008, tag
# 0x0112): storing the shown image through them gives the pixels a camera writes with that tag.
STORED_AS = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def quadrants(size=(400, 600)):
    """A portrait image as shown: red, green / blue, yellow quadrants."""
    image = Image.new("RGB", size)
    width, height = size
    for box, colour in (
        ((0, 0, width // 2, height // 2), RED),
        ((width // 2, 0, width, height // 2), GREEN),
        ((0, height // 2, width // 2, height), BLUE),
        ((width // 2, height // 2, width, height), YELLOW),
    ):
        image.paste(colour, box)
    return image


QUADRANT_POINTS = {(0.25, 0.25): RED, (0.75, 0.25): GREEN, (0.25, 0.75): BLUE, (0.75, 0.75): YELLOW}


def phone_jpeg(orientation):
    """What a phone writes for the quadrant image held at `orientation`: turned pixels and the tag."""
    shown = quadrants()
    stored = shown.transpose(STORED_AS[orientation]) if STORED_AS[orientation] is not None else shown
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", quality=95, exif=exif)
    return buffer.getvalue()


def encoded(image, image_format, **options):
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def rendition_images(instance, field_name, share=False):
    """{format: decoded image} of the renditions of `instance.<field_name>` at the smallest width."""
    images = {}
    for image_format in RENDITION_FORMATS:
        rendition = getattr(instance, rendition_name(field_name, image_format, RENDITION_WIDTHS[0]))
        with rendition.storage.open(rendition.name, "rb") as file:
            images[image_format] = Image.open(io.BytesIO(file.read()))
    if share:
        rendition = getattr(instance, f"{field_name}_share")
        with rendition.storage.open(rendition.name, "rb") as file:
            images["jpeg"] = Image.open(io.BytesIO(file.read()))
    return images


def assert_colour(image, point, expected, label):
    """The pixel at `point` (fractions of width and height) is `expected` (RGB, or None: transparent)."""
    x, y = round(point[0] * (image.width - 1)), round(point[1] * (image.height - 1))
    pixel = image.convert("RGBA").getpixel((x, y))
    if expected is TRANSPARENT:
        assert pixel[3] < 16, f"{label}: {pixel} at {point} should be transparent"
        return
    assert pixel[3] > 240, f"{label}: {pixel} at {point} should be opaque"
    assert all(abs(a - b) <= TOLERANCE for a, b in zip(pixel[:3], expected, strict=True)), (
        f"{label}: {pixel[:3]} at {point}, expected {expected}"
    )


def photo_of(data, name="photo.png"):
    return ArticlePhotoFactory(image=File(io.BytesIO(data), name=name))


@pytest.mark.django_db
@pytest.mark.parametrize("orientation", range(1, 9))
def test_a_phone_photo_is_upright_in_every_rendition_with_its_shown_size(orientation):
    photo = photo_of(phone_jpeg(orientation), "IMG_0001.jpg")
    photo = ArticlePhoto.objects.get(pk=photo.pk)
    assert (photo.image_width, photo.image_height) == (400, 600)
    for image_format, image in rendition_images(photo, "image", share=True).items():
        assert image.size == (400, 600), image_format
        for point, colour in QUADRANT_POINTS.items():
            assert_colour(image, point, colour, f"orientation {orientation}, {image_format}")


def half_and_half(mode, left, right, size=(200, 100), **info):
    drawn_in = "I" if mode.startswith("I;16") else mode  # Pillow pastes no colour into "I;16"
    image = Image.new(drawn_in, size, right)
    image.paste(left, (0, 0, size[0] // 2, size[1]))
    image = image.convert(mode) if drawn_in != mode else image
    image.info.update(info)
    return image


def palette_with_transparent_black():
    """A logo as drawing programs export it: index 0 is black and transparent, the mark is red."""
    image = Image.new("P", (200, 100), 0)
    image.putpalette([0, 0, 0, *RED] + [0, 0, 0] * 254)
    image.paste(1, (0, 0, 100, 100))
    image.info["transparency"] = 0
    return image


# Each case: the source image, the format it is uploaded in, and what the left and right halves
# show: an RGB colour, or TRANSPARENT (laid on white where the format has no transparency).
MODES = {
    "1": (lambda: half_and_half("1", 1, 0), "PNG", WHITE, (0, 0, 0)),
    "L": (lambda: half_and_half("L", 128, 30), "PNG", (128, 128, 128), (30, 30, 30)),
    "LA": (lambda: half_and_half("LA", (100, 255), (0, 0)), "PNG", (100, 100, 100), TRANSPARENT),
    "P": (lambda: half_and_half("RGB", RED, BLUE).convert("P"), "PNG", RED, BLUE),
    "P with transparency": (palette_with_transparent_black, "PNG", RED, TRANSPARENT),
    "P with transparency, GIF": (palette_with_transparent_black, "GIF", RED, TRANSPARENT),
    "RGB": (lambda: half_and_half("RGB", RED, GREEN), "PNG", RED, GREEN),
    "RGBA": (lambda: half_and_half("RGBA", (*BLUE, 255), (0, 0, 0, 0)), "PNG", BLUE, TRANSPARENT),
    "RGBA, WebP": (lambda: half_and_half("RGBA", (*BLUE, 255), (0, 0, 0, 0)), "WEBP", BLUE, TRANSPARENT),
    "CMYK": (lambda: half_and_half("CMYK", (0, 255, 255, 0), (0, 0, 0, 0)), "JPEG", (255, 0, 0), WHITE),
    "I;16": (lambda: half_and_half("I;16", 32768, 8192), "PNG", (128, 128, 128), (32, 32, 32)),
    "I;16 with transparency": (
        lambda: half_and_half("I;16", 32768, 0, transparency=0),
        "PNG",
        (128, 128, 128),
        TRANSPARENT,
    ),
}
SUFFIXES = {"PNG": "png", "GIF": "gif", "JPEG": "jpg", "WEBP": "webp"}


def expected_in(image_format, colour):
    if colour is TRANSPARENT and image_format == "jpeg":
        return WHITE
    return colour


@pytest.mark.django_db
@pytest.mark.parametrize("case", MODES, ids=str)
def test_every_image_mode_keeps_its_colours_and_transparency(case):
    make, upload_format, left, right = MODES[case]
    source = make()
    options = {"lossless": True} if upload_format == "WEBP" else {}
    if upload_format == "JPEG":
        options = {"quality": 95}
    photo = photo_of(encoded(source, upload_format, **options), f"image.{SUFFIXES[upload_format]}")
    for image_format, image in rendition_images(photo, "image", share=True).items():
        assert image.size == (200, 100)
        assert_colour(image, (0.25, 0.5), expected_in(image_format, left), f"{case}, {image_format}")
        assert_colour(image, (0.75, 0.5), expected_in(image_format, right), f"{case}, {image_format}")


@pytest.mark.parametrize(
    ("mode", "value", "expected"),
    [("F", 128.0, (128, 128, 128)), ("I", 32768, (128, 128, 128)), ("I;16B", 16384, (64, 64, 64))],
)
def test_modes_no_accepted_upload_format_holds_are_made_web_ready_too(mode, value, expected):
    """Floating point and 32-bit grey come from no JPEG, PNG, WebP or GIF, but a rendition of one
    (a TIFF source, say) has the same grey."""
    source = File(io.BytesIO(encoded(Image.new(mode, (200, 100), value), "TIFF")), name="scan.tiff")
    spec_field = ArticlePhoto.__dict__[rendition_name("image", "webp", 480)].field
    generated = spec_field.get_spec(source=source).generate()
    assert_colour(Image.open(generated), (0.5, 0.5), expected, mode)


@pytest.mark.django_db
def test_a_transparent_logo_keeps_its_transparency(superuser_client):
    """A member's logo, uploaded as a grey+alpha PNG in the admin: no black box around it."""
    organisation = OrganisationFactory()
    logo = half_and_half("LA", (60, 255), (0, 0))
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = post_change_form(
        superuser_client,
        organisation,
        lambda data: {**data, "logo": SimpleUploadedFile("logo.png", encoded(logo, "PNG"))},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=organisation.pk)
    with organisation.logo_web.storage.open(organisation.logo_web.name, "rb") as file:
        web = Image.open(io.BytesIO(file.read()))
    assert_colour(web, (0.25, 0.5), (60, 60, 60), "logo")
    assert_colour(web, (0.75, 0.5), TRANSPARENT, "logo")


@pytest.mark.django_db
def test_images_stored_before_get_their_shown_size_and_renditions_by_the_deploy_steps(media_root):
    """The migration stores the turned size of photos uploaded before; `generateimages` remakes
    their renditions, whose names change with the processing."""
    import importlib

    from django.apps import apps
    from django.core.cache import cache
    from django.core.management import call_command

    migration = importlib.import_module("news.migrations.0009_attachment_original_name_and_type_unguessable_paths")
    photo = photo_of(phone_jpeg(6), "IMG_0002.jpg")
    ArticlePhoto.objects.filter(pk=photo.pk).update(image_width=600, image_height=400)  # as stored before
    for image_format in RENDITION_FORMATS:
        rendition = getattr(photo, rendition_name("image", image_format, RENDITION_WIDTHS[0]))
        rendition.storage.delete(rendition.name)
    cache.clear()  # imagekit's note that they exist: renditions of a new processing were never made
    migration.store_upright_dimensions(apps, None)
    call_command("generateimages", "news:articlephoto:image_webp_480", "news:articlephoto:image_avif_480")
    photo = ArticlePhoto.objects.get(pk=photo.pk)
    assert (photo.image_width, photo.image_height) == (400, 600)
    for image_format, image in rendition_images(photo, "image").items():
        for point, colour in QUADRANT_POINTS.items():
            assert_colour(image, point, colour, image_format)
