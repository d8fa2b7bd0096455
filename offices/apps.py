from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficesConfig(AppConfig):
    name = "offices"
    verbose_name = _("District offices")

    def ready(self):
        from members import models as member_models
        from members import views as member_pages
        from offices import models, views

        member_models.role_holder_sources.extend([models.council_role_holders, models.committee_role_holders])
        member_pages.directory_filters.append(views.OfficeDirectoryFilter())
        member_pages.organisation_sections.append(views.OfficePositionsSection())
