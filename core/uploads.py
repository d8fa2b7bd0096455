"""Uploaded files: checks with messages editors can act on, where they are stored, when they go.

A file is judged by its content, never by its name alone. Each is stored under a random 128-bit
directory (`UploadPath`), so no one reaches a file by guessing its name, with an ASCII name that
keeps its extension (`stored_file_name`). A file whose row is deleted, or that a new upload
replaced, is removed with its renditions once the transaction commits (`remove_replaced_files`,
`remove_deleted_files`). Imports no app of the project.
"""

import os
import secrets
import tempfile
import urllib.parse
import warnings

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from imagekit.models.fields.utils import ImageSpecFileDescriptor
from PIL import Image, UnidentifiedImageError

from core.text import pinyin_slug

IMAGE_FORMATS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"}, "GIF": {".gif"}}

# Magic numbers of the attachment types editors publish, by extension.
_PDF = (b"%PDF-",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # .doc .xls .ppt
_ZIP = (b"PK\x03\x04",)  # .docx .xlsx .pptx .odt .ods .odp .zip
# The content type each accepted extension is served as, when the content says nothing closer.
ATTACHMENT_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".zip": "application/zip",
}
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
    name = os.path.basename(name or "").lower()
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


def _deep_scan(file):
    """puremagic's matches for `file`, best first; it looks inside ZIP and OLE containers only
    when it can open the file by path, so an upload held in memory is copied to a temporary file."""
    path = getattr(file, "temporary_file_path", None)
    if path is not None:
        return puremagic.magic_file(path())
    position = file.tell()
    file.seek(0)
    with tempfile.NamedTemporaryFile(suffix=".upload") as copy:
        for chunk in iter(lambda: file.read(1024 * 1024), b""):
            copy.write(chunk)
        copy.flush()
        file.seek(position)
        return puremagic.magic_file(copy.name)


def detect_attachment_type(file, extension):
    """The content type of an accepted attachment, read from its content.

    Args:
        file: the upload or stored file (any file object; its position is kept).
        extension: the extension validate_attachment_upload accepted, e.g. ".pdf".
    Returns:
        a MIME type of ATTACHMENT_CONTENT_TYPES: the one the content is detected as (so a
        spreadsheet named .docx is listed as XLSX), else the one of `extension`, else
        "application/octet-stream" (a file of no accepted type).
    """
    accepted = set(ATTACHMENT_CONTENT_TYPES.values())
    try:
        matches = _deep_scan(file)
    except (puremagic.PureError, OSError, ValueError):
        matches = []
    for match in sorted(matches, key=lambda match: -match.confidence):
        if match.mime_type in accepted and match.confidence >= 0.8:
            return match.mime_type
    return ATTACHMENT_CONTENT_TYPES.get(extension, "application/octet-stream")


def type_label(content_type):
    """ "application/pdf" -> "PDF": how a type is listed to readers; "" for a type not accepted."""
    for extension, accepted in ATTACHMENT_CONTENT_TYPES.items():
        if accepted == content_type:
            return extension.lstrip(".").upper()
    return ""


def split_extension(name):
    """A file name's (stem, extension) as uploads read it: ".pdf" alone is an extension, not a stem.

    os.path.splitext takes a leading dot for a hidden file's name, so "😀.pdf" reduced to ".pdf"
    or an upload named just ".pdf" would keep no extension.

    Returns:
        (str, str): the stem and the extension with its dot ("" when there is none).
    """
    base = os.path.basename(name or "")
    stem, extension = os.path.splitext(base)
    if not extension and base.startswith(".") and base.count(".") == 1:
        return "", base
    return stem, extension


def stored_file_name(original, fallback="file"):
    """An ASCII file name for an upload named `original`, keeping its extension.

    "考评指标体系.PDF" -> "kao-ping-zhi-biao-ti-xi.pdf" (the pinyin of Chinese), "😀.pdf" ->
    "file.pdf" (`fallback` where nothing readable is left). An extension that is not plain
    letters and digits is dropped.
    """
    stem, extension = split_extension(original)
    extension = extension.lower() if extension[1:].isascii() and extension[1:].isalnum() else ""
    return f"{pinyin_slug(stem, max_length=60) or fallback}{extension}"


@deconstructible
class UploadPath:
    """`upload_to` of every file field: "<prefix with strftime codes>/<128-bit random hex>/<name>".

    The random directory makes a stored file's address unguessable: a draft's attachment is not
    reachable by trying names. `fallback` names a file whose name has nothing readable.
    """

    def __init__(self, prefix, fallback="file"):
        self.prefix = prefix
        self.fallback = fallback

    def __call__(self, instance, filename):
        directory = timezone.now().strftime(self.prefix)
        return f"{directory}{secrets.token_hex(16)}/{stored_file_name(filename, self.fallback)}"


def file_fields(model):
    """The file and image fields stored in `model`'s table."""
    return [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


def rendition_names(instance, field, name):
    """The stored names of the imagekit renditions of the file `name` of `instance.<field>`."""
    source = field.attr_class(instance, field, name)
    return [
        attribute.field.get_spec(source=source).cachefile_name
        for attribute in vars(type(instance)).values()
        if isinstance(attribute, ImageSpecFileDescriptor) and attribute.source_field_name == field.name
    ]


def _remove_after_commit(instance, field, name):
    model = type(instance)
    names = [name, *rendition_names(instance, field, name)]

    def remove():
        # Another row may hold the same file (one saved as new from it): the file stays then.
        if model._base_manager.filter(**{field.name: name}).exists():
            return
        for stored in names:
            field.storage.delete(stored)

    transaction.on_commit(remove, using=instance._state.db)


def note_replaced_files(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save: which stored files this save replaces or clears (`instance._replaced_files`).

    A restore (`raw`) and a new row replace nothing.
    """
    instance._replaced_files = []
    fields = [f for f in file_fields(sender) if update_fields is None or f.name in update_fields]
    if raw or instance._state.adding or not fields:
        return
    stored = sender._base_manager.using(instance._state.db).filter(pk=instance.pk).values(*(f.attname for f in fields))
    for old in stored[:1]:
        for field in fields:
            file = getattr(instance, field.attname)
            if old[field.attname] and (not file or not file._committed or file.name != old[field.attname]):
                instance._replaced_files.append((field, old[field.attname]))


def remove_replaced_files(sender, instance, **kwargs):
    """post_save: the files (and renditions) the save replaced go once it commits."""
    for field, name in getattr(instance, "_replaced_files", ()):
        _remove_after_commit(instance, field, name)
    instance._replaced_files = []


def remove_deleted_files(sender, instance, **kwargs):
    """post_delete: the row's files and their renditions go once the deletion commits."""
    for field in file_fields(sender):
        file = getattr(instance, field.attname)
        if file:
            _remove_after_commit(instance, field, file.name)


def download_disposition(original_name, ascii_name):
    """A Content-Disposition header value that makes browsers save the file as `original_name`.

    `filename*` carries the name in UTF-8 (RFC 6266 section 4.3, RFC 8187); `filename` gives
    older clients `ascii_name` (the stored name, already ASCII). Quotes and backslashes are
    dropped from it rather than escaped, which some clients do not undo.
    """
    fallback = "".join(c for c in ascii_name if c.isascii() and c.isprintable() and c not in '"\\')
    encoded = urllib.parse.quote(original_name, safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
