from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from members.admin import AllOrNothingImportMixin, HistoryTranslationAdmin, OrganisationAdmin
from members.models import Organisation, Role
from offices.models import Committee, CommitteeSeat, CouncilSeat, Office, OfficeMembership
from offices.resources import CouncilSeatResource, OfficeMembershipResource


class OneCurrentRowPerOrganisationFormSet(BaseInlineFormSet):
    """One current row per organisation among the rows being saved, as the database constraint allows.

    The constraint is conditional (current rows only), so Django's formset checks do not see two
    new rows for one organisation; without this the second one fails in the database.
    """

    end_field = "ended_on"
    duplicate_message = _("This organisation already holds a current seat on this council.")

    def clean(self):
        super().clean()
        current = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get(self.end_field) or not data.get("organisation"):
                continue
            current.setdefault(data["organisation"], []).append(form)
        duplicates = [forms for forms in current.values() if len(forms) > 1]
        for forms in duplicates:
            for form in forms:
                form.add_error("organisation", self.duplicate_message)
        if duplicates:
            raise ValidationError(self.duplicate_message)


class OfficeMembershipFormSet(OneCurrentRowPerOrganisationFormSet):
    end_field = "left_on"
    duplicate_message = _("This organisation is already a member unit of this office.")


class SingleHolderFormSet(OneCurrentRowPerOrganisationFormSet):
    """Checks the whole set of seats being saved: one current holder per single-holder role.

    Each seat is also checked against the database by its model constraints; this catches two
    new seats for the same role entered in one save.
    """

    single_holder_roles = ()

    def clean(self):
        super().clean()
        holders = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("ended_on"):
                continue
            role = data.get("role")
            if role in self.single_holder_roles:
                holders.setdefault(role, []).append(form)
        for role, forms in holders.items():
            if len(forms) > 1:
                message = _("Only one current %(role)s is allowed. End the other term first.") % {
                    "role": Role(role).label
                }
                for form in forms:
                    form.add_error("role", message)
                raise ValidationError(message)


class CouncilSeatFormSet(SingleHolderFormSet):
    single_holder_roles = (Role.PRESIDENT, Role.SECRETARY_GENERAL)


class CommitteeSeatFormSet(SingleHolderFormSet):
    single_holder_roles = (Role.CHAIR,)
    duplicate_message = _("This organisation already holds a current seat on this committee.")


class CouncilSeatInline(admin.TabularInline):
    model = CouncilSeat
    formset = CouncilSeatFormSet
    fields = ["role", "organisation", "representative", "started_on", "ended_on", "sort_order"]
    autocomplete_fields = ["organisation", "representative"]
    extra = 1
    verbose_name_plural = _("council (current and past seats)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "representative")


class OfficeMembershipInline(admin.TabularInline):
    model = OfficeMembership
    formset = OfficeMembershipFormSet
    fields = ["organisation", "joined_on", "batch", "left_on"]
    autocomplete_fields = ["organisation"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


@admin.register(Office)
class OfficeAdmin(HistoryTranslationAdmin):
    list_display = ["__str__", "district", "ordinal", "founded_on", "member_count"]
    search_fields = ["name_zh_hans", "name_en", "short_name_zh_hans", "district_zh_hans"]
    inlines = [CouncilSeatInline, OfficeMembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "district", "ordinal", "founded_on", "venue", "cover"]}),
        (_("Founding figures"), {"fields": ["founding_member_count", "founding_council_size"]}),
        (_("Charter and description"), {"fields": ["uses_alliance_charter", "charter_text", "description"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_member_count()

    @admin.display(description=_("member units"), ordering="member_count")
    def member_count(self, office):
        return office.member_count


class CommitteeSeatInline(admin.TabularInline):
    model = CommitteeSeat
    formset = CommitteeSeatFormSet
    fields = ["role", "organisation", "representative", "started_on", "ended_on", "sort_order"]
    autocomplete_fields = ["organisation", "representative"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "representative")


@admin.register(Committee)
class CommitteeAdmin(HistoryTranslationAdmin):
    list_display = ["name", "office", "founded_on"]
    list_select_related = ["office"]
    list_filter = ["office"]
    search_fields = ["name_zh_hans", "name_en"]
    inlines = [CommitteeSeatInline]
    fields = ["office", "name", "short_name", "slug", "focus", "founded_on"]


@admin.register(CouncilSeat)
class CouncilSeatAdmin(AllOrNothingImportMixin, VersionAdmin):
    resource_classes = [CouncilSeatResource]
    list_display = ["office", "role", "organisation", "representative", "started_on", "ended_on"]
    list_select_related = ["office", "organisation", "representative"]
    list_filter = ["office", "role", ("ended_on", admin.EmptyFieldListFilter)]
    search_fields = ["organisation__name_zh_hans", "organisation__name_en"]
    autocomplete_fields = ["office", "organisation", "representative"]
    actions = ["end_terms_today"]

    @admin.action(description=_("End the selected terms today"), permissions=["change"])
    def end_terms_today(self, request, queryset):
        ended = 0
        for seat in queryset.current():
            seat.end_term()
            ended += 1
        self.message_user(request, _("%(count)d terms ended.") % {"count": ended})


@admin.register(OfficeMembership)
class OfficeMembershipAdmin(AllOrNothingImportMixin, VersionAdmin):
    resource_classes = [OfficeMembershipResource]
    list_display = ["organisation", "office", "batch", "joined_on", "left_on"]
    list_select_related = ["office", "organisation"]
    list_filter = ["office", "batch", ("left_on", admin.EmptyFieldListFilter)]
    search_fields = ["organisation__name_zh_hans", "organisation__name_en"]
    autocomplete_fields = ["office", "organisation"]


class OrganisationWithOfficesAdmin(OrganisationAdmin):
    """The organisation admin with the offices and seats each organisation holds."""

    list_display = [*OrganisationAdmin.list_display[:4], "offices", "roles_held", *OrganisationAdmin.list_display[4:]]
    list_filter = [*OrganisationAdmin.list_filter, ("office_memberships__office", admin.RelatedOnlyFieldListFilter)]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("office_memberships", queryset=OfficeMembership.objects.current().select_related("office")),
                Prefetch("council_seats", queryset=CouncilSeat.objects.current().select_related("office")),
            )
        )

    @admin.display(description=_("offices"))
    def offices(self, organisation):
        names = {str(m.office) for m in organisation.office_memberships.all()}
        names |= {str(s.office) for s in organisation.council_seats.all()}
        return "、".join(sorted(names)) or "—"

    @admin.display(description=_("roles held"))
    def roles_held(self, organisation):
        return "、".join(f"{s.office} {Role(s.role).label}" for s in organisation.council_seats.all()) or "—"


admin.site.unregister(Organisation)
admin.site.register(Organisation, OrganisationWithOfficesAdmin)
