"""Admin for organisations, people and alliance positions, and what every roster admin shares.

OrganisationAdmin is registered by offices/admin.py, which adds the offices and seats an
organisation holds.
"""

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import Value
from django.db.models.functions import Replace
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from reversion.admin import VersionAdmin

from core.text import to_simplified
from members import services
from members.models import AlliancePosition, Person, Role
from members.resources import OrganisationResource, decode_table_text, describe_errors


class ValidKeysOnlyMixin:
    """An autocomplete widget that shows again only submitted values of the key's type.

    Django's widget looks up every submitted value to show it again with the form's errors, and a
    value such as "abc" for a numeric key made that lookup fail with a server error; now the form
    just says the choice is not valid.
    """

    def optgroups(self, name, value, attr=None):
        key_field = self.field.remote_field.model._meta.get_field(
            getattr(self.field.remote_field, "field_name", None) or self.field.remote_field.model._meta.pk.name
        )
        return super().optgroups(name, [item for item in value if is_valid_key(key_field, item)], attr)


def is_valid_key(field, value):
    """Whether `value` is of the key's type and in its range (a larger number fails the query too)."""
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


class CheckedAutocompleteSelect(ValidKeysOnlyMixin, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(ValidKeysOnlyMixin, AutocompleteSelectMultiple):
    pass


class CheckedAutocompleteAdminMixin:
    """Autocomplete fields (`autocomplete_fields`) with widgets that withstand values of the wrong type."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", CheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget", CheckedAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class HistoryTranslationAdmin(CheckedAutocompleteAdminMixin, VersionAdmin, TabbedTranslationAdmin):
    """Tabbed zh-hans / en / zh-hant fields, with every change kept in a revertible history."""


class RosterImportExportMixin(ImportExportMixin):
    """CSV and XLSX import and export, all or nothing, recorded in the history.

    The preview (a dry run) lists every invalid row by number and offers no confirmation while
    any row is invalid. Only staff who may add and change the rows may import.
    """

    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]
    import_template_name = "admin/members/roster_import.html"

    class Media:
        css = {"all": ["members/admin.css"]}

    # A byte order mark, so that spreadsheet programs open exported CSV files as UTF-8.
    to_encoding = "utf-8-sig"

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def write_to_tmp_storage(self, import_file, input_format):
        if not input_format.is_binary():
            # CSV files saved by spreadsheet programs in a Chinese locale are GB 18030, not UTF-8.
            text = decode_table_text(b"".join(import_file.chunks()))
            import_file = ContentFile(text.encode(self.from_encoding), name=import_file.name)
        return super().write_to_tmp_storage(import_file, input_format)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The rows changed since the preview; the import was rolled back.
            for line in describe_errors(result):
                messages.error(request, line)
            messages.error(request, _("Nothing was imported. Correct the file and import it again."))
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        return super().process_result(result, request)


@admin.action(description=_("End the selected terms today"), permissions=["change"])
def end_terms_today(modeladmin, request, queryset):
    """Ends the current terms among those selected; they stay in the history."""
    today, ended = timezone.localdate(), 0
    for term in queryset.current():
        try:
            services.end_term(term, today, user=request.user)
        except ValidationError as error:
            modeladmin.message_user(request, f"{term}: {' '.join(error.messages)}", messages.ERROR)
        else:
            ended += 1
    modeladmin.message_user(
        request, ngettext("%(count)d term ended.", "%(count)d terms ended.", ended) % {"count": ended}
    )


class RoleHeldFilter(admin.SimpleListFilter):
    title = _("role held now")
    parameter_name = "role"
    # Callable role -> querysets of ids of organisations holding the role outside the alliance.
    role_holders = staticmethod(lambda role: ())

    def lookups(self, request, model_admin):
        return [(role.value, role.label) for role in Role if role != Role.MEMBER]

    def queryset(self, request, queryset):
        if self.value() in Role.values:
            return queryset.holding(self.value(), *self.role_holders(self.value()))
        return queryset


class PersonInline(TranslationTabularInline):
    model = Person
    fields = ["name", "job_title"]
    extra = 0
    show_change_link = True
    verbose_name_plural = _("representatives")


class OrganisationAdmin(RosterImportExportMixin, HistoryTranslationAdmin):
    resource_classes = [OrganisationResource]
    list_display = ["name", "short_name", "kind", "is_member", "joined_on", "logo_thumbnail"]
    list_filter = ["kind", "is_member", RoleHeldFilter]
    search_fields = ["name_zh_hans", "name_en", "short_name_zh_hans", "short_name_en", "name_sort_key", "slug"]
    search_help_text = _("Name or short name, in Chinese or English, or its pinyin (e.g. langchao).")
    readonly_fields = ["name_sort_key", "logo_thumbnail"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "is_member", "joined_on"]}),
        (_("Profile"), {"fields": ["logo", "logo_thumbnail", "website", "address", "description"]}),
        (_("Internal"), {"fields": ["staff_notes", "name_sort_key"], "classes": ["collapse"]}),
    ]
    inlines = [PersonInline]
    list_per_page = 50
    show_full_result_count = False

    @admin.display(description=_("logo"))
    def logo_thumbnail(self, organisation):
        if not organisation.logo:
            return "—"
        return format_html('<img src="{}" alt="" style="max-height:40px">', organisation.logo_web.url)

    def get_search_results(self, request, queryset, search_term):
        """Also match Traditional Chinese, and pinyin typed without spaces ('langchao')."""
        simplified = to_simplified(search_term)
        results, may_have_duplicates = super().get_search_results(request, queryset, simplified)
        compact = "".join(simplified.lower().split())
        if compact.isascii() and compact.isalnum():
            by_pinyin = queryset.alias(compact_pinyin=Replace("name_sort_key", Value(" "), Value(""))).filter(
                compact_pinyin__contains=compact
            )
            results = results | queryset.filter(pk__in=by_pinyin.values("pk"))
        return results, may_have_duplicates


@admin.register(Person)
class PersonAdmin(HistoryTranslationAdmin):
    list_display = ["name", "job_title", "organisation"]
    list_select_related = ["organisation"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name_zh_hans", "name_en", "name_sort_key", "job_title_zh_hans", "organisation__name_zh_hans"]
    autocomplete_fields = ["organisation"]
    fields = ["name", "slug", "organisation", "job_title", "photo"]


@admin.register(AlliancePosition)
class AlliancePositionAdmin(CheckedAutocompleteAdminMixin, VersionAdmin):
    list_display = ["role", "organisation", "representative", "started_on", "ended_on", "is_current"]
    list_select_related = ["organisation", "representative"]
    list_filter = ["role", ("ended_on", admin.EmptyFieldListFilter)]
    autocomplete_fields = ["organisation", "representative"]
    search_fields = ["organisation__name_zh_hans", "organisation__name_en", "representative__name_zh_hans"]
    actions = [end_terms_today]

    @admin.display(boolean=True, description=_("current"))
    def is_current(self, position):
        return position.is_current
