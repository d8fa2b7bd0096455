from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AllianceSiteConfig(AppConfig):
    default = True
    name = "alliance_site"
    verbose_name = _("Site")

    def ready(self):
        from alliance_site import signals  # noqa: F401


class AllianceAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the site's admin site (alliance_site.admin_site)."""

    default = False
    default_site = "alliance_site.admin_site.AllianceAdminSite"
