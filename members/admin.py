"""Admin for organisations, people and alliance positions.

OrganisationAdmin is registered by offices/admin.py, which adds the offices and seats an
organisation holds.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationTabularInline

from core.admin import CheckedAutocompleteAdminMixin, HistoryAdmin, HistoryTranslationAdmin, RosterImportExportMixin
from core.text import to_simplified
from members import services
from members.models import AlliancePosition, Person, Role
from members.resources import OrganisationResource


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
        (None, {"fields": ["name", "short_name", "slug", "kind", "credit_code", "is_member", "joined_on"]}),
        (
            _("Profile"),
            {"fields": ["logo", "logo_thumbnail", "website", "address", "public_contact", "description"]},
        ),
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
class AlliancePositionAdmin(CheckedAutocompleteAdminMixin, HistoryAdmin):
    list_display = ["role", "organisation", "representative", "started_on", "ended_on", "is_current"]
    list_select_related = ["organisation", "representative"]
    list_filter = ["role", ("ended_on", admin.EmptyFieldListFilter)]
    autocomplete_fields = ["organisation", "representative"]
    search_fields = ["organisation__name_zh_hans", "organisation__name_en", "representative__name_zh_hans"]
    actions = [end_terms_today]

    @admin.display(boolean=True, description=_("current"))
    def is_current(self, position):
        return position.is_current
