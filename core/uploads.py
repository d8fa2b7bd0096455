"""Upload checks for images and attachments, with messages editors can act on.

A file is judged by its content, never by its name alone. Imports no app of the project.
"""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"}, "GIF": {".gif"}}

# Magic numbers of the attachment types editors publish, by extension.
_PDF = (b"%PDF-",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # .doc .xls .ppt
_ZIP = (b"PK\x03\x04",)  # .docx .xlsx .pptx .odt .ods .odp .zip
ATTACHMENT_SIGNATURES = {
    ".pdf": _PDF,
    ".doc": _OLE,
    ".xls": _OLE,
    ".ppt": _OLE,
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".pptx": _ZIP,
    ".odt": _ZIP,
    ".ods": _ZIP,
    ".odp": _ZIP,
    ".zip": _ZIP,
}


def _extension(name):
    name = (name or "").lower()
    return name[name.rfind(".") :] if "." in name else ""


def _check_size(upload, limit):
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )


def validate_image_upload(upload):
    """A real JPEG, PNG, WebP or GIF image within the size and pixel limits."""
    if getattr(upload, "_committed", False):
        return  # a file already stored, not a new upload
    _check_size(upload, settings.UPLOAD_IMAGE_MAX_BYTES)
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                width, height = image.size
                if width * height > settings.UPLOAD_IMAGE_MAX_PIXELS:
                    raise ValidationError(
                        _("The image is %(width)s×%(height)s pixels; the limit is %(limit)s million pixels."),
                        code="image_too_large",
                        params={
                            "width": width,
                            "height": height,
                            "limit": settings.UPLOAD_IMAGE_MAX_PIXELS // 1_000_000,
                        },
                    )
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()  # verify() does not decode; a truncated file fails here
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("The image is too large to process safely."), code="image_bomb") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("The file is not a valid image, or it is damaged. Upload a JPEG, PNG, WebP or GIF."),
            code="invalid_image",
        ) from None
    finally:
        upload.seek(position)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(
            _("%(format)s images are not accepted. Upload a JPEG, PNG, WebP or GIF."),
            code="image_format",
            params={"format": image_format},
        )
    if _extension(upload.name) not in IMAGE_FORMATS[image_format]:
        raise ValidationError(
            _("The file name ends in “%(extension)s” but the file is a %(format)s image."),
            code="image_extension",
            params={"extension": _extension(upload.name), "format": image_format},
        )


def validate_attachment_upload(upload):
    """A PDF or office document whose content matches its extension, within the size limit."""
    if getattr(upload, "_committed", False):
        return
    _check_size(upload, settings.UPLOAD_ATTACHMENT_MAX_BYTES)
    extension = _extension(upload.name)
    signatures = ATTACHMENT_SIGNATURES.get(extension)
    if signatures is None:
        raise ValidationError(
            _("“%(extension)s” files are not accepted. Attach a PDF or an office document."),
            code="attachment_type",
            params={"extension": extension or "?"},
        )
    position = upload.tell()
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    if not head.startswith(signatures):
        raise ValidationError(
            _("The file’s content is not a %(extension)s document."),
            code="attachment_content",
            params={"extension": extension},
        )
