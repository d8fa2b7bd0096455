"""Backup and restore of all content and media: `export_site DIR` and `import_site DIR`.

A backup is a directory:

    manifest.json            format, time, row counts per model, every media file with its SHA-256
    data/<app>.<model>.json  the rows of one model (Django's JSON serialisation, primary keys kept)
    media/<name>             every file of the media storage, under its stored name

It holds every row of every model of compliance, members, offices, membership, events and news;
the users (with their groups and permissions) and groups; and the edit history (django-reversion
revisions and versions). A backup is the whole site, so it carries the personal data the site
holds too (contact messages and consent records, membership applications and their licences,
liaisons, member documents, event registrations): a restore must give all of it back, and the
backup is to be kept as safely as the database itself.
Sessions, sign-in records and the page cache are not content and are left out. View counts
still pending in Redis are flushed into the database first, so the backup has them.

A restore goes into an empty database (migrated, no content, no users) and is one transaction:
it either reproduces the backup exactly, primary keys included, or changes nothing.
"""

import datetime
import hashlib
import json
import shutil
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.utils import timezone

from core.models import DerivedFieldsModel, derive_rows

FORMAT = "alliance-site-backup/1"
# In the layer order (pyproject.toml), so rows come after the rows of lower apps they point to.
CONTENT_APPS = ("compliance", "members", "offices", "membership", "events", "news")
# Rows a migration makes in every new database (version 1 of the privacy policy): a restore
# replaces them with the backup's.
REPLACED_MODELS = {"compliance.privacypolicy"}
HISTORY_MODELS = ("reversion.Revision", "reversion.Version")
# Groups are matched by name: migrations create the staff groups with their own primary keys.
NATURAL_KEY_MODELS = {"auth.group"}


class LosslessJSONEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder keeps milliseconds, and a restore must be exact."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def backed_up_models():
    """Every model a backup holds, in an order where rows come after those they point to."""
    models = [apps.get_model("auth.Group"), apps.get_model("auth.User")]
    for label in CONTENT_APPS:
        models.extend(apps.get_app_config(label).get_models())
    models.extend(apps.get_model(label) for label in HISTORY_MODELS)
    return models


def _sha256(file):
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _image_dimension_fields(model):
    return [
        name
        for field in model._meta.concrete_fields
        if isinstance(field, models.ImageField)
        for name in (field.width_field, field.height_field)
        if name
    ]


def _serialised_rows(model):
    """The rows of `model` in Django's serialisation format, exactly as the database holds them."""
    label = model._meta.label_lower
    rows = serializers.serialize(
        "python",
        model._default_manager.order_by("pk").iterator(chunk_size=500),
        use_natural_foreign_keys=True,
        use_natural_primary_keys=label in NATURAL_KEY_MODELS,
    )
    # Loading a model fills empty image width/height fields from the file; keep what is stored.
    if dimensions := _image_dimension_fields(model):
        stored = {row[0]: row[1:] for row in model._default_manager.values_list("pk", *dimensions)}
        for row in rows:
            row["fields"].update(zip(dimensions, stored[row["pk"]], strict=True))
    return rows


def media_files(storage=default_storage, directory=""):
    """Every stored file's name, walking the storage's directories."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return []
    names = [f"{directory}/{name}" if directory else name for name in files]
    for sub in directories:
        names.extend(media_files(storage, f"{directory}/{sub}" if directory else sub))
    return sorted(names)


def export_site(directory, log=lambda message: None):
    from news.counting import flush_view_counts

    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise CommandError(f"{directory} exists and is not an empty directory; choose a new one.")
    flush_view_counts()
    try:
        (directory / "data").mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CommandError(f"Cannot create {directory}: {error.strerror}.") from None
    counts = {}
    with transaction.atomic():  # one consistent snapshot
        for model in backed_up_models():
            label = model._meta.label_lower
            rows = _serialised_rows(model)
            with (directory / "data" / f"{label}.json").open("w", encoding="utf-8") as out:
                json.dump(rows, out, cls=LosslessJSONEncoder, indent=1, ensure_ascii=False)
            counts[label] = len(rows)
    media = {}
    for name in media_files():
        target = directory / "media" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
        with target.open("rb") as copied:
            media[name] = _sha256(copied)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "models": [model._meta.label_lower for model in backed_up_models()],
        "rows": counts,
        "media": media,
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    log(f"Exported {sum(counts.values())} rows of {len(counts)} models and {len(media)} media files to {directory}.")
    return manifest


def read_manifest(directory):
    directory = Path(directory)
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError(f"{directory} is not a backup: it has no manifest.json.") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise CommandError(f"{directory}/manifest.json is damaged: {error}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise CommandError(f"{directory} is not a backup this version can read (expected format {FORMAT}).")
    return manifest


def _check_media(directory, manifest):
    for name, expected in manifest["media"].items():
        path = directory / "media" / name
        if not path.is_file():
            raise CommandError(f"The backup is incomplete: media file {name} is missing.")
        with path.open("rb") as file:
            if _sha256(file) != expected:
                raise CommandError(f"The backup is damaged: media file {name} does not match its checksum.")


def _existing_content():
    found = []
    for model in backed_up_models():
        if model._meta.label_lower in NATURAL_KEY_MODELS | REPLACED_MODELS:
            continue
        count = model._default_manager.count()
        if count:
            found.append(f"{count} {model._meta.verbose_name_plural}")
    return found


def import_site(directory, log=lambda message: None):
    directory = Path(directory)
    manifest = read_manifest(directory)
    unknown = set(manifest["models"]) - {model._meta.label_lower for model in backed_up_models()}
    if unknown:
        raise CommandError(f"The backup holds models this site does not have: {', '.join(sorted(unknown))}.")
    _check_media(directory, manifest)
    if existing := _existing_content():
        raise CommandError(
            "The database is not empty (it has " + ", ".join(existing) + "). import_site restores into an "
            "empty database: create a new one, run migrate, then import."
        )
    written = []
    try:
        with transaction.atomic():
            # Files first: rows of models with images look at their files when loaded.
            for name in manifest["media"]:
                with (directory / "media" / name).open("rb") as source:
                    if default_storage.exists(name):
                        default_storage.delete(name)
                    stored = default_storage.save(name, File(source, name=name))
                written.append(stored)
                if stored != name:
                    raise CommandError(f"The media storage renamed {name} to {stored}; it must be empty.")
            for label in REPLACED_MODELS & set(manifest["models"]):
                apps.get_model(label)._base_manager.all().delete()
            loaded = _load_rows(directory, manifest)
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise
    log(f"Imported {loaded} rows and {len(written)} media files from {directory}.")
    return loaded


def _load_rows(directory, manifest):
    loaded = 0
    models = []
    with connection.constraint_checks_disabled():
        for label in manifest["models"]:
            path = directory / "data" / f"{label}.json"
            try:
                with path.open(encoding="utf-8") as file:
                    rows = json.load(file)
                model = apps.get_model(label)
                dimensions = _image_dimension_fields(model)
                for row, item in zip(rows, serializers.deserialize("python", rows), strict=True):
                    item.save()
                    if dimensions:  # as stored, not as loading the model recomputes them
                        values = {name: row["fields"][name] for name in dimensions}
                        model._base_manager.filter(pk=item.object.pk).update(**values)
                    loaded += 1
            except FileNotFoundError:
                raise CommandError(f"The backup is incomplete: {path.name} is missing.") from None
            except (serializers.base.DeserializationError, DatabaseError, ValueError, KeyError, TypeError) as error:
                raise CommandError(f"{path.name} cannot be restored: {error}") from None
            models.append(model)
    try:
        connection.check_constraints(table_names=[model._meta.db_table for model in models])
    except IntegrityError as error:
        raise CommandError(f"The backup's rows do not fit together: {error}") from None
    for label, expected in manifest["rows"].items():
        if (count := apps.get_model(label)._default_manager.count()) < expected:
            raise CommandError(f"The backup is incomplete: {label} has {count} rows of {expected}.")
    # Derived fields as this version of the site derives them (a backup from an older one may
    # lack some).
    for model in models:
        if issubclass(model, DerivedFieldsModel):
            derive_rows(model._base_manager.all())
    # PostgreSQL hands out new primary keys from sequences, which rows restored with their keys
    # did not advance.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    return loaded
