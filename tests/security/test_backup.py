"""Backup and restore: export_site then import_site into an empty database reproduces every row and file."""

import hashlib
import importlib
import json

import pytest
import reversion
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection

from alliance_site.backup import backed_up_models, media_files
from core.review import Action, ReviewState
from events.models import EventReviewStep
from membership.models import RenewalReminder
from news.counting import flush_view_counts
from news.models import Article, ArticleAutosave, ArticleReviewStep, DailyViews, PendingView, Redirect
from offices.models import Office
from tests.factories import (
    ApplicationFactory,
    ArticleFactory,
    AttachmentFactory,
    ContactMessageFactory,
    EventFactory,
    LiaisonFactory,
    MemberDocumentFactory,
    MembershipPeriodFactory,
    PrivacyPolicyFactory,
    ProfileChangeFactory,
    RegistrationFactory,
    UserFactory,
    give_views,
    image_file,
)


def snapshot():
    """Every row of every backed-up model and of their many-to-many tables, and every media file's hash."""
    from django.core.files.storage import default_storage

    rows = {}
    for model in backed_up_models():
        if model is Group:
            rows["auth.group"] = sorted(
                (group.name, sorted(group.permissions.values_list("codename", flat=True)))
                for group in Group.objects.all()
            )
            continue
        rows[model._meta.label] = list(model._base_manager.order_by("pk").values())
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            columns = [f.attname for f in through._meta.concrete_fields if not f.primary_key]
            rows[through._meta.label] = sorted(through.objects.values_list(*columns))
    media = {}
    for name in media_files():
        with default_storage.open(name, "rb") as file:
            media[name] = hashlib.sha256(file.read()).hexdigest()
    return rows, media


def wipe(media_root):
    """An empty database (as after migrate) and an empty media storage."""
    import shutil

    for model in reversed(backed_up_models()):
        if model is not Group:
            model._base_manager.all().delete()
    # A new database's sequences start at 1 (PostgreSQL; SQLite has none to reset).
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_by_name_sql(
            no_style(), connection.introspection.sequence_list()
        ):
            cursor.execute(statement)
    shutil.rmtree(media_root, ignore_errors=True)
    # What migrate makes in every new database: version 1 of the privacy policy.
    from django.apps import apps

    importlib.import_module("compliance.migrations.0002_privacy_policy_version_1").create_version_1(apps, None)


@pytest.fixture
def full_site(demo):
    editor = UserFactory(username="editor", groups=["Editors"])
    UserFactory(username="roster", groups=["Roster staff"])
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.set_comment("Cover added")
        article = ArticleFactory(title_zh_hans="备份测试文章", cover=image_file("cover.jpg"), cover_alt_zh_hans="封面")
        article.created_by = editor
        article.save()
    AttachmentFactory(article=article)
    PendingView.objects.create(article=article)
    PrivacyPolicyFactory(title_en="Privacy policy, revised")
    ContactMessageFactory()  # agreed to version 2
    # Membership, events and the editorial rows, personal data included: a backup is the whole site.
    event = EventFactory(cover=image_file("event.jpg"))
    event.offices.set(Office.objects.all()[:1])
    RegistrationFactory(event=event)
    article.event = event
    article.save()
    ApplicationFactory()  # with its licence and first history entry
    period = MembershipPeriodFactory()
    RenewalReminder.objects.create(period=period, kind=RenewalReminder.Kind.BEFORE_END, recipients="a@example.org")
    LiaisonFactory(organisation=period.organisation)
    MemberDocumentFactory()
    ProfileChangeFactory(organisation=period.organisation, logo=image_file("new-logo.png", image_format="PNG"))
    ArticleReviewStep.objects.create(item=article, action=Action.SUBMITTED, state=ReviewState.SUBMITTED, user=editor)
    EventReviewStep.objects.create(item=event, action=Action.SUBMITTED, state=ReviewState.SUBMITTED, user=editor)
    ArticleAutosave.objects.create(user=editor, article=article, data={"title_zh_hans": "草稿"})
    Redirect.objects.create(old_path="/news/show-9.html", article=article)
    return article


@pytest.mark.django_db
def test_export_then_import_into_an_empty_database_reproduces_every_row_and_file(full_site, tmp_path, media_root):
    backup = tmp_path / "backup"
    call_command("export_site", str(backup))
    before = snapshot()
    # The view counter's working rows (pending views were flushed just now); groups are keyed by name.
    left_out = {"news.PendingView", "news.CountedVisitor", "news.ViewCountFlush", "auth.Group"}
    models = {model._meta.label for model in backed_up_models()} - left_out
    assert [label for label in sorted(models) if not before[0][label]] == [], "every model has rows to restore"
    assert any(name.startswith("covers/") for name in before[1]), "media include the uploaded cover"
    assert any(name.startswith("site/") for name in before[1]), "media include the WeChat QR code"
    for prefix in ("licences/", "member-documents/", "logos/pending/", "events/"):
        assert any(name.startswith(prefix) for name in before[1]), prefix
    assert [row["version"] for row in before[0]["compliance.PrivacyPolicy"]] == [1, 2]
    assert Article.objects.get(pk=full_site.pk).view_count >= 1, "pending views were flushed into the backup"
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["rows"]["news.article"] == len(before[0]["news.Article"])

    wipe(media_root)
    assert snapshot()[0]["news.Article"] == [] and snapshot()[1] == {}
    call_command("import_site", str(backup))
    after = snapshot()
    for key in before[0]:
        assert after[0][key] == before[0][key], key
    assert after[1] == before[1]

    # Sequences follow the restored keys: new rows get new keys, on PostgreSQL too.
    largest = max(row["id"] for row in before[0]["news.Article"])
    assert ArticleFactory().pk > largest


# Not content: made by migrate (permissions, content types), sign-in records and sessions, and the
# admin's log, which the edit history (reversion) supersedes.
NOT_BACKED_UP = {
    "admin.LogEntry",
    "auth.Permission",
    "contenttypes.ContentType",
    "sessions.Session",
    "axes.AccessAttempt",
    "axes.AccessAttemptExpiration",
    "axes.AccessFailureLog",
    "axes.AccessLog",
}


def test_every_model_is_backed_up_or_deliberately_left_out():
    from django.apps import apps

    backed_up = [model._meta.label for model in backed_up_models()]
    assert len(backed_up) == len(set(backed_up))
    missing = {model._meta.label for model in apps.get_models()} - set(backed_up) - NOT_BACKED_UP
    assert missing == set(), "a new model: add its app to alliance_site.backup.CONTENT_APPS"


@pytest.mark.django_db
def test_a_restore_brings_the_view_counts_back_as_they_were(full_site, tmp_path, media_root):
    flush_view_counts()
    give_views(full_site, 4060)
    DailyViews.objects.update(count=7)
    days = list(DailyViews.objects.values_list("article_id", "day", "count"))
    assert days, "the flush counted the day's views"
    call_command("export_site", str(tmp_path / "backup"))

    wipe(media_root)
    call_command("import_site", str(tmp_path / "backup"))
    assert Article.objects.select_related("views").get(pk=full_site.pk).view_count == 4060
    assert list(DailyViews.objects.values_list("article_id", "day", "count")) == days


@pytest.mark.django_db
def test_import_refuses_a_database_that_has_content(full_site, tmp_path):
    call_command("export_site", str(tmp_path / "backup"))
    before = snapshot()
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("import_site", str(tmp_path / "backup"))
    assert snapshot() == before


@pytest.mark.django_db
def test_a_damaged_backup_restores_nothing(full_site, tmp_path, media_root):
    backup = tmp_path / "backup"
    call_command("export_site", str(backup))
    wipe(media_root)
    empty = snapshot()
    data = backup / "data" / "news.attachment.json"
    data.write_text(data.read_text()[:-40])  # cut short, after the articles are restored
    with pytest.raises(CommandError, match=r"news\.attachment\.json cannot be restored"):
        call_command("import_site", str(backup))
    assert snapshot() == empty, "the rows restored before the damaged file were rolled back"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "the following arguments are required: DIR"),
        (["/proc/no-such/backup"], "Cannot create /proc/no-such/backup"),
    ],
)
def test_export_site_answers_bad_arguments_with_a_message(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_site", *arguments)


@pytest.mark.django_db
def test_export_site_will_not_write_into_a_directory_with_files(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(CommandError, match="is not an empty directory"):
        call_command("export_site", str(tmp_path))
    assert (tmp_path / "notes.txt").read_text() == "keep me"


@pytest.mark.django_db
def test_import_site_answers_bad_backups_with_a_message(tmp_path):
    with pytest.raises(CommandError, match=r"has no manifest\.json"):
        call_command("import_site", str(tmp_path))
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(CommandError, match=r"manifest\.json is damaged"):
        call_command("import_site", str(tmp_path))
    (tmp_path / "manifest.json").write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(CommandError, match="not a backup this version can read"):
        call_command("import_site", str(tmp_path))


@pytest.mark.django_db
def test_the_backups_privacy_policies_replace_the_ones_migrate_made(full_site, tmp_path, media_root):
    from compliance.models import ContactMessage, PrivacyPolicy

    backup = tmp_path / "backup"
    call_command("export_site", str(backup))
    wipe(media_root)
    PrivacyPolicy.objects.update(id=99)  # made by migrate under another key than the backup's version 1

    call_command("import_site", str(backup))

    assert list(PrivacyPolicy.objects.order_by("version").values_list("version", "title_en")) == [
        (1, "Privacy policy"),
        (2, "Privacy policy, revised"),
    ]
    assert ContactMessage.objects.get().consent_policy.version == 2
