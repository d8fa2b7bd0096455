from django.contrib import admin
from django.db.models import Prefetch
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from core.admin import CheckedAutocompleteAdminMixin, HistoryAdmin, HistoryTranslationAdmin, RosterImportExportMixin
from members.admin import OrganisationAdmin, RoleHeldFilter, end_terms_today
from members.models import AlliancePosition, Organisation, Role
from offices.forms import LoadedAutocompleteSelect, RowForm, SeatForm, SeatsFormSet
from offices.models import Committee, CommitteeSeat, CouncilSeat, Office, OfficeMembership, role_holders
from offices.resources import CouncilSeatResource, OfficeMembershipResource


class RowsInline(admin.TabularInline):
    """An inline whose autocomplete fields show each row's choice without a query per row."""

    form = RowForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", LoadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SeatInline(RowsInline):
    """Every seat of a council or committee, current and past, checked together on save."""

    parent_field = None  # the office or committee the seats belong to

    form = SeatForm
    formset = SeatsFormSet
    fields = ["role", "organisation", "representative", "started_on", "ended_on", "sort_order"]
    autocomplete_fields = ["organisation", "representative"]
    extra = 1

    class Media:
        css = {"all": ["offices/admin.css"]}

    def get_queryset(self, request):
        # The parent too: each row is shown with its __str__, which names it.
        return super().get_queryset(request).select_related(self.parent_field, "organisation", "representative")


class CouncilSeatInline(SeatInline):
    model = CouncilSeat
    parent_field = "office"
    verbose_name_plural = _("council (current and past seats; end a term to keep it in the history)")


class CommitteeSeatInline(SeatInline):
    model = CommitteeSeat
    parent_field = "committee"
    verbose_name_plural = _("seats (current and past; end a term to keep it in the history)")


class CommitteeInline(TranslationTabularInline):
    model = Committee
    fields = ["name", "founded_on"]
    extra = 0
    show_change_link = True
    verbose_name_plural = _("special committees (open one to edit its seats)")


class OfficeMembershipInline(RowsInline):
    model = OfficeMembership
    # One current membership per organisation, checked across the rows saved together.
    form = SeatForm
    formset = SeatsFormSet
    fields = ["organisation", "joined_on", "batch", "left_on"]
    autocomplete_fields = ["organisation"]
    extra = 1
    verbose_name_plural = _("member units (set “left on” when a unit leaves; the roster keeps it)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("office", "organisation")


@admin.register(Office)
class OfficeAdmin(HistoryTranslationAdmin):
    list_display = ["__str__", "district", "ordinal", "founded_on", "member_count", "founding_member_count"]
    search_fields = ["name_zh_hans", "name_en", "short_name_zh_hans", "district_zh_hans"]
    inlines = [CouncilSeatInline, CommitteeInline, OfficeMembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "district", "ordinal", "founded_on", "venue", "cover"]}),
        (
            _("Founding figures"),
            {
                "fields": ["founding_member_count", "founding_council_size"],
                "description": _("As announced at the founding; the roster below is kept separately."),
            },
        ),
        (_("Charter and description"), {"fields": ["uses_alliance_charter", "charter_text", "description"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_member_count()

    @admin.display(description=_("member units listed"), ordering="member_count")
    def member_count(self, office):
        return office.member_count


@admin.register(Committee)
class CommitteeAdmin(HistoryTranslationAdmin):
    list_display = ["name", "office", "founded_on"]
    list_select_related = ["office"]
    list_filter = ["office"]
    search_fields = ["name_zh_hans", "name_en"]
    autocomplete_fields = ["office"]
    inlines = [CommitteeSeatInline]
    fields = ["office", "name", "short_name", "slug", "focus", "founded_on"]


@admin.register(CouncilSeat)
class CouncilSeatAdmin(CheckedAutocompleteAdminMixin, RosterImportExportMixin, HistoryAdmin):
    resource_classes = [CouncilSeatResource]
    list_display = ["office", "role", "organisation", "representative", "started_on", "ended_on"]
    list_select_related = ["office", "organisation", "representative"]
    list_filter = ["office", "role", ("ended_on", admin.EmptyFieldListFilter)]
    search_fields = ["organisation__name_zh_hans", "organisation__name_en", "organisation__name_sort_key"]
    autocomplete_fields = ["office", "organisation", "representative"]
    fields = ["office", "role", "organisation", "representative", "started_on", "ended_on", "sort_order"]
    actions = [end_terms_today]


@admin.register(OfficeMembership)
class OfficeMembershipAdmin(CheckedAutocompleteAdminMixin, RosterImportExportMixin, HistoryAdmin):
    resource_classes = [OfficeMembershipResource]
    list_display = ["organisation", "office", "batch", "joined_on", "left_on"]
    list_select_related = ["office", "organisation"]
    list_filter = ["office", "batch", ("left_on", admin.EmptyFieldListFilter)]
    search_fields = ["organisation__name_zh_hans", "organisation__name_en", "organisation__name_sort_key"]
    autocomplete_fields = ["office", "organisation"]


class OfficeRoleHeldFilter(RoleHeldFilter):
    """Roles held now in the alliance, on a council or on a committee."""

    role_holders = staticmethod(role_holders)


@admin.register(Organisation)
class OrganisationWithOfficesAdmin(OrganisationAdmin):
    """The organisation admin with the offices each organisation is in and the roles it holds now."""

    list_display = [*OrganisationAdmin.list_display[:4], "offices", "roles_held", *OrganisationAdmin.list_display[4:]]
    list_filter = [
        *(OfficeRoleHeldFilter if f is RoleHeldFilter else f for f in OrganisationAdmin.list_filter),
        ("office_memberships__office", admin.RelatedOnlyFieldListFilter),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "office_memberships",
                    queryset=OfficeMembership.objects.current().select_related("office"),
                    to_attr="current_memberships",
                ),
                Prefetch(
                    "council_seats",
                    queryset=CouncilSeat.objects.current().by_rank().select_related("office"),
                    to_attr="current_council_seats",
                ),
                Prefetch(
                    "committee_seats",
                    queryset=CommitteeSeat.objects.current().by_rank().select_related("committee"),
                    to_attr="current_committee_seats",
                ),
                Prefetch(
                    "alliance_positions",
                    queryset=AlliancePosition.objects.current().by_rank(),
                    to_attr="current_alliance_positions",
                ),
            )
        )

    @admin.display(description=_("offices"))
    def offices(self, organisation):
        names = {str(membership.office) for membership in organisation.current_memberships}
        names |= {str(seat.office) for seat in organisation.current_council_seats}
        return one_per_line(sorted(names))

    @admin.display(description=_("roles held now"))
    def roles_held(self, organisation):
        roles = [
            _("Alliance %(role)s") % {"role": Role(position.role).label}
            for position in organisation.current_alliance_positions
        ]
        roles += [f"{seat.office} {Role(seat.role).label}" for seat in organisation.current_council_seats]
        roles += [f"{seat.committee} {Role(seat.role).label}" for seat in organisation.current_committee_seats]
        return one_per_line(roles)


def one_per_line(items):
    return format_html_join(mark_safe("<br>"), "{}", ((item,) for item in items)) or "—"
