"""The demo content of `load_demo`, made once per test run and restored wherever a test needs it.

Loading the demo encodes the seed photos in every web size (AVIF and WebP at three widths), which
takes seconds. `DemoSnapshot.make` loads it once, in a transaction rolled back at once, and keeps
the rows it wrote (as a Django fixture) and the media files it wrote (photos and renditions).
`restore` puts both back: the rows through `loaddata`, the files by copying.
"""

import io
import shutil
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from alliance_site.demo import DemoLoader


def _models():
    return [model for model in apps.get_models() if model._meta.managed and not model._meta.proxy]


def _referenced_by_key(written, before):
    """The models outside `written` whose rows the written rows point to by primary key, and which
    already had rows before the demo was loaded: rows a migration made (the privacy policy in force,
    which membership applications record consent to). A transactional test empties the database,
    migration-made rows included, so the snapshot has to carry them for its own rows to load.

    Targets with a natural key (content types, permissions, groups, users) are left out: the fixture
    refers to them by that key, and they come from their own fixtures (e.g. `staff_groups`).
    """
    targets = []
    for model in written:
        for field in model._meta.concrete_fields:
            target = field.related_model if field.many_to_one or field.one_to_one else None
            if (
                target is None
                or target in written
                or target in targets
                or hasattr(target, "natural_key")
                or before.get(target, "[]") == "[]"
            ):
                continue
            targets.append(target)
    return targets


def _rows(models):
    return {model: serializers.serialize("json", model._default_manager.order_by("pk")) for model in models}


class DemoSnapshot:
    """The rows and media files the demo content consists of.

    fixture: a JSON fixture file of every row the loader wrote or changed.
    media: a folder with the files it wrote under MEDIA_ROOT.
    """

    def __init__(self, fixture, media):
        self.fixture = Path(fixture)
        self.media = Path(media)

    @classmethod
    def make(cls, folder):
        """Load the demo once into the database, keep what it wrote in `folder`, and roll it back.

        Needs database access. Returns the snapshot; raises whatever the loader raises.
        """
        folder = Path(folder)
        media = folder / "media"
        models = _models()
        with override_settings(MEDIA_ROOT=media), transaction.atomic():
            before = _rows(models)
            DemoLoader(log=lambda message: None).load()
            after = _rows(models)
            written = [model for model in models if after[model] != before[model]]
            written = _referenced_by_key(written, before) + written
            fixture = folder / "demo.json"
            with fixture.open("w", encoding="utf-8") as stream:
                serializers.serialize(
                    "json",
                    (row for model in written for row in model._default_manager.order_by("pk")),
                    stream=stream,
                    use_natural_foreign_keys=True,  # content types are renumbered when a test flushes the database
                )
            transaction.set_rollback(True)
        return cls(fixture, media)

    def restore(self, media_root):
        """The demo's rows into the database (needs access) and its files into `media_root`."""
        shutil.copytree(self.media, media_root, dirs_exist_ok=True)
        call_command("loaddata", str(self.fixture), stdout=io.StringIO())
