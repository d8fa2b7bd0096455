"""Hostile and broken uploads are refused with a form error in the admin; nothing reaches storage or the database."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from members.models import Organisation, Person
from news.models import ArticlePhoto, Attachment
from offices.models import Office
from tests.factories import ArticleFactory, OfficeFactory, OrganisationFactory, PersonFactory, image_file
from tests.security.admin_forms import admin_errors, admin_form_data, with_new_inline_row

MB = 1024 * 1024


def jpeg_bytes(size=(640, 480)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def decompression_bomb(side=30000):
    """A valid side×side 1-bit PNG: about 100 KB on disk, 900 million pixels once decoded."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + side // 8)
    data = b"".join(compressor.compress(row * 1000) for _ in range(side // 1000)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", data) + png_chunk(b"IEND", b"")


SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
WINDOWS_EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 512 + b"PE\x00\x00"
LINUX_EXECUTABLE = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 512

HOSTILE_IMAGES = {
    "text renamed .jpg": ("photo.jpg", lambda: b"This is a letter, not a photo.\n" * 200, "Upload a valid image"),
    "truncated JPEG": ("photo.jpg", lambda: jpeg_bytes()[:4000], "Upload a valid image"),
    "30000x30000 PNG bomb": ("bomb.png", decompression_bomb, "Upload a valid image"),
    "50 MB image": ("huge.jpg", lambda: jpeg_bytes() + b"\x00" * (50 * MB), "the limit is 10.0"),
    "SVG with script": ("logo.svg", lambda: SVG_WITH_SCRIPT, "Upload a valid image"),
    "SVG with script renamed .png": ("logo.png", lambda: SVG_WITH_SCRIPT, "Upload a valid image"),
    "PNG renamed .jpg": (
        "photo.jpg",
        lambda: image_file("x.png", image_format="PNG").read(),
        "but the file is a PNG image",
    ),
}
HOSTILE_ATTACHMENTS = {
    "Windows executable renamed .pdf": ("evaluation.pdf", lambda: WINDOWS_EXECUTABLE, "content is not a .pdf document"),
    "Linux executable renamed .pdf": ("evaluation.pdf", lambda: LINUX_EXECUTABLE, "content is not a .pdf document"),
    "executable as .exe": ("setup.exe", lambda: WINDOWS_EXECUTABLE, "“.exe” files are not accepted"),
    "HTML page renamed .docx": ("notice.docx", lambda: b"<html><script>1</script></html>", "not a .docx document"),
    "50 MB PDF": ("big.pdf", lambda: b"%PDF-1.4\n" + b"\x00" * (50 * MB), "the limit is 30.0"),
}


def stored_files(media_root):
    return sorted(str(path.relative_to(media_root)) for path in media_root.rglob("*") if path.is_file())


def post_change_form(client, instance, build):
    opts = instance._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk])
    data = build(admin_form_data(client.get(url)))
    return client.post(url, data)


def all_errors_text(response):
    with translation.override("en"):
        return str(admin_errors(response))


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize("case", HOSTILE_IMAGES, ids=str)
def test_hostile_images_are_refused_everywhere_an_editor_uploads_one(case, superuser_client, media_root):
    name, make_content, message = HOSTILE_IMAGES[case]
    content = make_content()
    article = ArticleFactory()
    organisation, person, office = OrganisationFactory(), PersonFactory(), OfficeFactory()
    version = article.version
    before = stored_files(media_root)
    targets = [
        (article, lambda data: {**data, "cover": upload(name, content), "cover_alt_zh_hans": "封面"}),
        (
            article,
            lambda data: with_new_inline_row(
                data, "photos", {"image": upload(name, content), "alt_text_zh_hans": "会场", "order": "0"}
            ),
        ),
        (organisation, lambda data: {**data, "logo": upload(name, content)}),
        (person, lambda data: {**data, "photo": upload(name, content)}),
        (office, lambda data: {**data, "cover": upload(name, content)}),
    ]
    for instance, build in targets:
        response = post_change_form(superuser_client, instance, build)
        assert response.status_code == 200, f"{case} accepted on {instance._meta.model_name}"
        assert message in all_errors_text(response), all_errors_text(response)
        assert b"errornote" in response.content
    article.refresh_from_db()
    assert article.version == version and not article.cover
    assert not ArticlePhoto.objects.exists()
    assert not Organisation.objects.get(pk=organisation.pk).logo
    assert not Person.objects.get(pk=person.pk).photo
    assert not Office.objects.get(pk=office.pk).cover
    assert stored_files(media_root) == before == []


@pytest.mark.parametrize("case", HOSTILE_ATTACHMENTS, ids=str)
def test_hostile_attachments_are_refused(case, superuser_client, media_root):
    name, make_content, message = HOSTILE_ATTACHMENTS[case]
    content = make_content()
    article = ArticleFactory()
    response = post_change_form(
        superuser_client,
        article,
        lambda data: with_new_inline_row(
            data, "attachments", {"file": upload(name, content), "title_zh_hans": "考评指标体系", "order": "0"}
        ),
    )
    assert response.status_code == 200
    assert message in all_errors_text(response), all_errors_text(response)
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_a_real_photo_and_pdf_are_accepted(superuser_client, media_root):
    """The same forms take good files, so the refusals above are about the files."""
    article = ArticleFactory()

    def build(data):
        data = with_new_inline_row(
            data, "photos", {"image": image_file("meeting.jpg"), "alt_text_zh_hans": "会场", "order": "0"}
        )
        return with_new_inline_row(
            data,
            "attachments",
            {"file": upload("index.pdf", b"%PDF-1.7\n%%EOF\n"), "title_zh_hans": "考评指标体系", "order": "0"},
        )

    response = post_change_form(superuser_client, article, build)
    assert response.status_code == 302, admin_errors(response)
    assert ArticlePhoto.objects.count() == 1 and Attachment.objects.count() == 1
    assert any(name.startswith("photos/") for name in stored_files(media_root))


def test_upload_limits_are_settings(superuser_client, settings):
    settings.UPLOAD_IMAGE_MAX_BYTES = 1024
    settings.UPLOAD_IMAGE_MAX_PIXELS = 1_000_000
    article = ArticleFactory()
    response = post_change_form(
        superuser_client,
        article,
        lambda data: {**data, "cover": image_file("cover.jpg", size=(2000, 1000)), "cover_alt_zh_hans": "封面"},
    )
    errors = all_errors_text(response)
    assert "the limit is 1.0" in errors and "KB" in errors
    settings.UPLOAD_IMAGE_MAX_BYTES = 10 * 1024 * 1024
    response = post_change_form(
        superuser_client,
        article,
        lambda data: {**data, "cover": image_file("cover.jpg", size=(2000, 1000)), "cover_alt_zh_hans": "封面"},
    )
    assert "2000×1000 pixels; the limit is 1 million pixels" in all_errors_text(response)
