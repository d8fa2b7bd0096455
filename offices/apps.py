from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficesConfig(AppConfig):
    name = "offices"
    verbose_name = _("District offices")

    def ready(self):
        from members import views as member_pages
        from offices import views

        member_pages.directory_filters.append(views.OfficeDirectoryFilter())
        member_pages.role_holder_sources.extend([views.council_role_holders, views.committee_role_holders])
        member_pages.organisation_sections.append(views.OfficePositionsSection())
