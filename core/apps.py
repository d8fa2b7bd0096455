from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app uses and that knows no app: text, search, page cache, uploads, images."""

    name = "core"
    verbose_name = _("Core")
