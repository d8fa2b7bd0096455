from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app uses and that knows no app: text, search, page cache, uploads, images."""

    name = "core"
