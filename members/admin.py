"""Admin for organisations, people and alliance positions.

offices/admin.py extends OrganisationAdmin with the offices and seats an organisation holds.
"""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.admin import VersionAdmin

from members.models import AlliancePosition, Organisation, Person
from members.resources import OrganisationResource


class HistoryTranslationAdmin(VersionAdmin, TabbedTranslationAdmin):
    """Tabbed zh-hans / en / zh-hant fields, with every change kept in a revertible history."""


class AllOrNothingImportMixin(ImportExportMixin):
    """Admin imports are all or nothing, also when a row fails only on confirmation (the roster
    changed after the preview): then no row is saved and the editor is told so."""

    def get_import_data_kwargs(self, **kwargs):
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        failed = sorted({row.number for row in result.invalid_rows} | {number for number, _ in result.row_errors()})
        messages.error(
            request,
            _(
                "Nothing was imported: row %(rows)s no longer fits the data, which changed after the preview. "
                "Import the file again to see why."
            )
            % {"rows": ", ".join(map(str, failed))},
        )
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))


@admin.register(Organisation)
class OrganisationAdmin(AllOrNothingImportMixin, HistoryTranslationAdmin):
    resource_classes = [OrganisationResource]
    list_display = ["name", "short_name", "kind", "is_member", "joined_on", "logo_thumbnail"]
    list_filter = ["kind", "is_member"]
    search_fields = ["name_zh_hans", "name_en", "short_name_zh_hans", "short_name_en", "name_sort_key", "slug"]
    prepopulated_fields = {}
    readonly_fields = ["name_sort_key", "logo_thumbnail"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "is_member", "joined_on"]}),
        (_("Profile"), {"fields": ["logo", "logo_thumbnail", "website", "address", "description"]}),
        (_("Internal"), {"fields": ["staff_notes", "name_sort_key"], "classes": ["collapse"]}),
    ]
    list_per_page = 50
    show_full_result_count = False

    @admin.display(description=_("logo"))
    def logo_thumbnail(self, organisation):
        if not organisation.logo:
            return "—"
        return format_html('<img src="{}" alt="" style="max-height:40px">', organisation.logo_web.url)


@admin.register(Person)
class PersonAdmin(HistoryTranslationAdmin):
    list_display = ["name", "job_title", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name_zh_hans", "name_en", "name_sort_key", "job_title_zh_hans"]
    autocomplete_fields = ["organisation"]
    fields = ["name", "slug", "organisation", "job_title", "photo"]


@admin.register(AlliancePosition)
class AlliancePositionAdmin(VersionAdmin):
    list_display = ["role", "organisation", "representative", "started_on", "ended_on", "is_current"]
    list_select_related = ["organisation", "representative"]
    list_filter = ["role", ("ended_on", admin.EmptyFieldListFilter)]
    autocomplete_fields = ["organisation", "representative"]
    search_fields = ["organisation__name_zh_hans", "representative__name_zh_hans"]

    @admin.display(boolean=True, description=_("current"))
    def is_current(self, position):
        return position.is_current
