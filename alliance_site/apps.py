from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceSiteConfig(AppConfig):
    name = "alliance_site"
    verbose_name = _("Site")

    def ready(self):
        from alliance_site import signals  # noqa: F401
