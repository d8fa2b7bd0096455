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
