"""Hostile and broken uploads are refused with a form error in the admin; nothing reaches storage or the database."""

import io
import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from members.models import Organisation, Person
from news.models import ArticlePhoto, Attachment
from offices.models import Office
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    AttachmentFactory,
    OfficeFactory,
    OrganisationFactory,
    PersonFactory,
    image_file,
)
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


def xlsx_bytes():
    import openpyxl

    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


PDF = b"%PDF-1.7\n%%EOF\n"
TOKEN_DIRECTORY = r"[0-9a-f]{32}"


def attach(client, article, *files):
    """Upload (name, content) pairs as new attachments of `article` in its admin form."""

    def build(data):
        for name, content in files:
            data = with_new_inline_row(
                data, "attachments", {"file": upload(name, content), "title_zh_hans": name, "order": "0"}
            )
        return data

    response = post_change_form(client, article, build)
    assert response.status_code == 302, admin_errors(response)
    return list(Attachment.objects.filter(article=article).order_by("pk"))


def test_names_of_only_emoji_or_chinese_keep_their_extension_and_a_readable_stem(superuser_client, client, media_root):
    article = ArticleFactory()
    emoji, emoji_again, chinese, mixed, extension_only = attach(
        superuser_client,
        article,
        ("😀.pdf", PDF),
        ("😀.pdf", PDF),
        ("考评指标体系.PDF", PDF),
        ("2026年 工作计划 😀.pdf", PDF),
        (".pdf", PDF),
    )
    names = [a.file.name.rsplit("/", 1)[-1] for a in (emoji, emoji_again, chinese, mixed, extension_only)]
    assert names == [
        "attachment.pdf",
        "attachment.pdf",
        "kao-ping-zhi-biao-ti-xi.pdf",
        "2026-nian-gong-zuo-ji-hua.pdf",
        "attachment.pdf",
    ]
    assert emoji.file.name != emoji_again.file.name
    assert extension_only.content_type == "application/pdf"
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.count("PDF ·") == 5 and "PDF_" not in page
    response = client.get(emoji_again.get_absolute_url())
    assert response["Content-Disposition"] == (
        "attachment; filename=\"attachment.pdf\"; filename*=UTF-8''%F0%9F%98%80.pdf"
    )
    assert b"".join(response.streaming_content) == PDF
    response = client.get(chinese.get_absolute_url())
    assert response["Content-Disposition"].endswith(
        "filename*=UTF-8''%E8%80%83%E8%AF%84%E6%8C%87%E6%A0%87%E4%BD%93%E7%B3%BB.PDF"
    )


def test_the_listed_type_is_read_from_the_content(superuser_client):
    """A spreadsheet named .docx passes the ZIP check; readers are told what it is."""
    client = Client()
    article = ArticleFactory()
    spreadsheet, misnamed = attach(superuser_client, article, ("数据.xlsx", xlsx_bytes()), ("数据.docx", xlsx_bytes()))
    assert spreadsheet.type_label == misnamed.type_label == "XLSX"
    assert misnamed.file.name.endswith("/shu-ju.docx")
    response = client.get(misnamed.get_absolute_url())
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert b"".join(response.streaming_content).startswith(b"PK\x03\x04")
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.count("XLSX ·") == 2


def test_every_upload_is_stored_under_an_unguessable_directory(superuser_client, media_root):
    # A draft: a published article's edits wait as a pending revision under review, cover included.
    article = ArticleFactory(status="draft", published_at=None)
    organisation, person, office = OrganisationFactory(), PersonFactory(), OfficeFactory()
    (attachment,) = attach(superuser_client, article, ("secret-plan.pdf", PDF))
    for instance, build in [
        (article, lambda data: {**data, "cover": image_file("cover.jpg"), "cover_alt_zh_hans": "封面"}),
        (
            article,
            lambda data: with_new_inline_row(
                data, "photos", {"image": image_file("会场.jpg"), "alt_text_zh_hans": "会场", "order": "0"}
            ),
        ),
        (organisation, lambda data: {**data, "logo": image_file("logo.png", image_format="PNG")}),
        (person, lambda data: {**data, "photo": image_file("张三.jpg")}),
        (office, lambda data: {**data, "cover": image_file("office.jpg")}),
    ]:
        response = post_change_form(superuser_client, instance, build)
        assert response.status_code == 302, admin_errors(response)
    article.refresh_from_db()
    stored = [
        attachment.file.name,
        article.cover.name,
        article.photos.get().image.name,
        Organisation.objects.get(pk=organisation.pk).logo.name,
        Person.objects.get(pk=person.pk).photo.name,
        Office.objects.get(pk=office.pk).cover.name,
    ]
    year_month = r"20\d\d/\d\d"
    patterns = [
        rf"attachments/{year_month}/{TOKEN_DIRECTORY}/secret-plan\.pdf",
        rf"covers/{year_month}/{TOKEN_DIRECTORY}/cover\.jpg",
        rf"photos/{year_month}/{TOKEN_DIRECTORY}/hui-chang\.jpg",
        rf"logos/20\d\d/{TOKEN_DIRECTORY}/logo\.png",
        rf"people/20\d\d/{TOKEN_DIRECTORY}/zhang-san\.jpg",
        rf"offices/20\d\d/{TOKEN_DIRECTORY}/office\.jpg",
    ]
    for name, pattern in zip(stored, patterns, strict=True):
        assert re.fullmatch(pattern, name), name
    assert all((media_root / name).is_file() for name in stored)


UPLOAD_DIRECTORIES = {
    "compliance.SiteSettings.wechat_qr": "site/",
    "compliance.SiteSettings.charter": "site/",
    "members.Organisation.logo": r"logos/20\d\d/",
    "members.Person.photo": r"people/20\d\d/",
    "offices.Office.cover": r"offices/20\d\d/",
    "membership.MembershipApplication.licence": r"licences/20\d\d/",
    "membership.ProfileChange.logo": r"logos/pending/20\d\d/",
    "membership.MemberDocument.file": r"member-documents/20\d\d/",
    "events.Event.cover": r"events/20\d\d/\d\d/",
    "news.Article.cover": r"covers/20\d\d/\d\d/",
    "news.ArticlePhoto.image": r"photos/20\d\d/\d\d/",
    "news.Attachment.file": r"attachments/20\d\d/\d\d/",
}


def test_every_file_field_of_every_model_names_its_files_under_a_random_directory():
    from django.apps import apps

    from core.uploads import UploadPath, file_fields

    fields = {
        f"{model._meta.label}.{field.name}": field
        for model in apps.get_models()
        for field in file_fields(model)
        if not model._meta.app_label.startswith(("django", "auth", "reversion"))
    }
    assert set(fields) == set(UPLOAD_DIRECTORIES), "a new file field: add it here and to the admin cases above"
    for label, field in fields.items():
        assert isinstance(field.upload_to, UploadPath), label
        name = field.generate_filename(field.model(), "营业执照 (扫描).pdf")
        assert re.fullmatch(rf"{UPLOAD_DIRECTORIES[label]}{TOKEN_DIRECTORY}/[a-z0-9-]+\.pdf", name), (label, name)


def test_a_drafts_attachment_is_downloaded_only_by_staff_until_published(superuser_client, editor):
    article = ArticleFactory(status="draft", published_at=None)
    (attachment,) = attach(superuser_client, article, ("secret-plan.pdf", PDF))
    client, editor_client = Client(), Client()
    editor_client.force_login(editor)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    response = editor_client.get(attachment.get_absolute_url())
    assert response.status_code == 200 and "no-cache" in response["Cache-Control"]
    article.status = "published"
    article.save()
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{attachment.get_absolute_url()}"' in page and attachment.file.url not in page


def test_an_attachment_whose_file_is_missing_is_not_found(superuser_client):
    article = ArticleFactory(status="published")
    (attachment,) = attach(superuser_client, article, ("minutes.pdf", PDF))
    attachment.file.storage.delete(attachment.file.name)
    assert Client().get(attachment.get_absolute_url()).status_code == 404


def token(name):
    """The random directory of a stored upload, which its renditions' paths contain too."""
    return re.search(TOKEN_DIRECTORY, name).group(0)


@pytest.mark.django_db(transaction=True)
def test_files_of_deleted_rows_go_with_their_renditions(superuser_client, media_root):
    article = ArticleFactory(cover=image_file("cover.jpg", size=(1200, 800)), cover_alt_zh_hans="封面")
    photo, second_photo = ArticlePhotoFactory(article=article), ArticlePhotoFactory(article=article)
    (attachment,) = attach(superuser_client, article, ("secret-plan.pdf", PDF))
    other = ArticlePhotoFactory()

    def files_of(name):
        return [stored for stored in stored_files(media_root) if token(name) in stored]

    assert len(files_of(photo.image.name)) > 1 and len(files_of(article.cover.name)) > 1, "renditions were made"
    attachment.delete()
    photo.delete()
    assert files_of(attachment.file.name) == files_of(photo.image.name) == []
    assert files_of(second_photo.image.name) and files_of(article.cover.name)
    article.delete()
    assert set(stored_files(media_root)) == set(files_of(other.image.name))
    assert len(files_of(other.image.name)) > 1, "another row's photo and renditions stay"


@pytest.mark.django_db(transaction=True)
def test_a_replaced_or_cleared_file_goes_and_a_rolled_back_change_keeps_it(superuser_client, media_root):
    from django.db import transaction

    organisation = OrganisationFactory(logo=image_file("logo.png", image_format="PNG"))
    first_logo, first_web = organisation.logo.name, organisation.logo_web.name
    assert {first_logo, first_web} <= set(stored_files(media_root))
    response = post_change_form(
        superuser_client, organisation, lambda data: {**data, "logo": image_file("new.png", image_format="PNG")}
    )
    assert response.status_code == 302, admin_errors(response)
    organisation.refresh_from_db()
    files = set(stored_files(media_root))
    assert organisation.logo.name in files and organisation.logo_web.name in files
    assert first_logo not in files and first_web not in files
    with pytest.raises(RuntimeError), transaction.atomic():
        Organisation.objects.get(pk=organisation.pk).delete()
        raise RuntimeError("the change is rolled back")
    assert organisation.logo.name in stored_files(media_root)
    response = post_change_form(superuser_client, organisation, lambda data: {**data, "logo-clear": "on"})
    assert response.status_code == 302, admin_errors(response)
    assert [name for name in stored_files(media_root) if name.startswith(("logos/", "renditions/logos/"))] == []


def test_attachments_stored_before_are_described_by_the_migration(client, db):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("news.migrations.0009_attachment_original_name_and_type_unguessable_paths")
    attachment = AttachmentFactory(file=upload("考评指标体系.pdf", PDF))
    Attachment.objects.filter(pk=attachment.pk).update(original_name="", content_type="")
    migration.describe_stored_attachments(apps, None)
    attachment.refresh_from_db()
    assert attachment.type_label == "PDF"
    assert attachment.original_name == attachment.file.name.rsplit("/", 1)[-1]
    response = client.get(attachment.get_absolute_url())
    assert response["Content-Disposition"].endswith(f"filename*=UTF-8''{attachment.original_name}")
