from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("Site and compliance")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from compliance.models import SiteSettings

        post_save.connect(SiteSettings.forget_cached, sender=SiteSettings, dispatch_uid="site-settings-cache-save")
        post_delete.connect(SiteSettings.forget_cached, sender=SiteSettings, dispatch_uid="site-settings-cache-delete")
