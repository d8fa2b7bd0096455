"""Admin: the application queue with its decisions, profile edits to review, membership periods,
liaisons, member-only documents and the reminders sent. Every decision goes through
membership.services."""

import csv
import io

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.uploads import download_disposition
from membership import services
from membership.models import (
    TRANSITIONS,
    Action,
    ApplicationEvent,
    Liaison,
    MemberDocument,
    MembershipApplication,
    MembershipPeriod,
    ProfileChange,
    RenewalReminder,
)

PERSONAL_DATA_PERMISSION = "membership.handle_personal_data"


class ApplicationEventInline(admin.TabularInline):
    """The application's history: every transition with who, when and the comment."""

    model = ApplicationEvent
    fields = ["at", "action", "source", "target", "actor", "comment"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = _("history of decisions")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.action(description=_("Export everything held about the contact person (JSON)"))
def export_personal_data_json(modeladmin, request, queryset):
    return modeladmin.export_personal_data(request, queryset, "json")


@admin.action(description=_("Export everything held about the contact person (CSV)"))
def export_personal_data_csv(modeladmin, request, queryset):
    return modeladmin.export_personal_data(request, queryset, "csv")


@admin.action(description=_("Erase everything held about the contact person"))
def erase_personal_data(modeladmin, request, queryset):
    if not request.user.has_perm(PERSONAL_DATA_PERMISSION):
        raise PermissionDenied
    emails = sorted({a.contact_email for a in queryset if a.personal_data_erased_at is None})
    if request.POST.get("confirmed") != "yes":
        return TemplateResponse(
            request,
            "membership/admin/confirm_erase.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": gettext("Erase personal data"),
                "emails": emails,
                "queryset": queryset,
                "opts": modeladmin.opts,
                "action": "erase_personal_data",
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
    for email in emails:
        erased = services.erase_personal_data(email)
        modeladmin.message_user(
            request,
            gettext("Erased: %(applications)d application(s) and %(liaisons)d liaison account(s) of %(email)s.")
            % {"applications": erased["applications"], "liaisons": erased["liaison_accounts"], "email": email},
        )
    return None


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(admin.ModelAdmin):
    """The queue of applications (入会申请) by stage; decisions are buttons on each application."""

    list_display = ["name", "credit_code", "stage", "submitted_at", "from_existing_member", "organisation"]
    list_filter = ["stage", "from_existing_member"]
    list_select_related = ["organisation"]
    search_fields = ["name", "name_en", "credit_code", "contact_name", "contact_email"]
    date_hierarchy = "submitted_at"
    inlines = [ApplicationEventInline]
    actions = [export_personal_data_json, export_personal_data_csv, erase_personal_data]
    list_per_page = 50
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["stage", "submitted_at", "decided_at", "from_existing_member", "organisation"]}),
        (
            _("Organisation"),
            {"fields": ["name", "name_en", "kind", "credit_code", "address", "website", "description", "offices"]},
        ),
        (
            _("Contact person"),
            {"fields": ["contact_name", "contact_title", "contact_mobile", "contact_email", "licence_link"]},
        ),
        (
            _("Consent"),
            {"fields": ["consent_given_at", "consent_policy", "language", "personal_data_erased_at"]},
        ),
    ]
    change_form_template = "membership/admin/application_change_form.html"
    autocomplete_fields = ["organisation"]  # read-only here; for the project's rule on organisation choosers

    def get_readonly_fields(self, request, obj=None):
        return [name for fieldset in self.fieldsets for name in fieldset[1]["fields"]]

    def has_add_permission(self, request):
        return False  # applications come from the public form

    def has_change_permission(self, request, obj=None):
        return False  # what the applicant wrote is not edited; decisions are transitions

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or any(
            request.user.has_perm(rule.permission) for rule in TRANSITIONS.values() if rule.permission
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(PERSONAL_DATA_PERMISSION):
            for name in ("export_personal_data_json", "export_personal_data_csv", "erase_personal_data"):
                actions.pop(name, None)
        return actions

    @admin.display(description=_("business licence"))
    def licence_link(self, application):
        if not application.licence:
            return "—"
        url = reverse("admin:membership_membershipapplication_licence", args=[application.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Download"))

    def get_urls(self):
        own = [
            path(
                "<path:object_id>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="membership_membershipapplication_decide",
            ),
            path(
                "<path:object_id>/licence/",
                self.admin_site.admin_view(self.licence_view),
                name="membership_membershipapplication_licence",
            ),
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_object(request, unquote(object_id))
        actions = []
        if application is not None:
            actions = [(action, Action(action).label) for action in application.allowed_actions(request.user)]
        return super().change_view(
            request,
            object_id,
            form_url,
            {**(extra_context or {}), "decision_actions": actions},
        )

    def decide_view(self, request, object_id):
        """POST action=<Action>, comment=...: one transition through services.transition."""
        if request.method != "POST":
            raise Http404
        application = get_object_or_404(MembershipApplication, pk=unquote(object_id))
        action = request.POST.get("action", "")
        change_url = reverse("admin:membership_membershipapplication_change", args=[application.pk])
        if action not in TRANSITIONS or TRANSITIONS[action].permission is None:
            raise PermissionDenied
        try:
            event = services.transition(application, action, request.user, request.POST.get("comment", ""), request)
        except services.TransitionNotAllowed:
            self.message_user(
                request,
                gettext("This decision is no longer possible: the application is now “%(stage)s”.")
                % {"stage": MembershipApplication.objects.get(pk=application.pk).get_stage_display()},
                messages.ERROR,
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.log_change(request, application, f"{event.get_action_display()}: {event.comment}".rstrip(": "))
            self.message_user(
                request,
                gettext("%(action)s: the application is now “%(stage)s”.")
                % {"action": event.get_action_display(), "stage": application.get_stage_display()},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(change_url)

    def licence_view(self, request, object_id):
        application = get_object_or_404(MembershipApplication, pk=unquote(object_id))
        if not self.has_view_permission(request, application) or not application.licence:
            raise PermissionDenied
        name = application.licence.name.rsplit("/", 1)[-1]
        response = FileResponse(application.licence.open("rb"), content_type="application/octet-stream")
        response["Content-Disposition"] = download_disposition(name, name)
        return response

    def export_personal_data(self, request, queryset, kind):
        if not request.user.has_perm(PERSONAL_DATA_PERMISSION):
            raise PermissionDenied
        emails = sorted({application.contact_email for application in queryset})
        data = [services.personal_data_of(email) for email in emails]
        if kind == "json":
            import json

            response = HttpResponse(
                json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
            )
            response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
            return response
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["email", "record", "field", "value"])
        for person in data:
            for record_kind in ("applications", "liaison_accounts"):
                for number, record in enumerate(person[record_kind], start=1):
                    for field, value in record.items():
                        text = "" if value is None else str(value)
                        if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
                            text = "'" + text  # never a formula in a spreadsheet
                        writer.writerow([person["email"], f"{record_kind}[{number}]", field, text])
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="personal-data.csv"'
        return response


@admin.register(ProfileChange)
class ProfileChangeAdmin(admin.ModelAdmin):
    """Liaisons' profile edits: old and new values side by side; approve publishes, reject says why."""

    list_display = ["organisation", "submitted_by", "submitted_at", "status"]
    list_filter = ["status"]
    list_select_related = ["organisation", "submitted_by"]
    readonly_fields = [
        "organisation",
        "submitted_by",
        "submitted_at",
        "status",
        "comparison",
        "reviewed_by",
        "reviewed_at",
        "reason",
    ]
    fields = readonly_fields
    change_form_template = "membership/admin/profilechange_change_form.html"
    autocomplete_fields = ["organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("changes"))
    def comparison(self, change):
        rows = change.differences()
        if not rows:
            return gettext("No differences.")
        body = format_html_join(
            "",
            '<tr><th scope="row">{}</th><td class="old">{}</td><td class="new">{}</td></tr>',
            ((label, old or "—", new or "—") for label, old, new in rows),
        )
        return format_html(
            '<table class="profile-diff"><thead><tr><th></th><th scope="col">{}</th><th scope="col">{}</th></tr>'
            "</thead><tbody>{}</tbody></table>",
            gettext("Now"),
            gettext("Proposed"),
            body,
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(require_POST(self.review_view)),
                name="membership_profilechange_review",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        may_review = request.user.has_perm("membership.review_profilechange")
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "may_review": may_review})

    def review_view(self, request, object_id):
        if not request.user.has_perm("membership.review_profilechange"):
            raise PermissionDenied
        change = get_object_or_404(ProfileChange, pk=unquote(object_id))
        try:
            if request.POST.get("decision") == "approve":
                services.approve_profile_change(change, request.user)
                self.message_user(request, gettext("The edit is published."), messages.SUCCESS)
            else:
                services.reject_profile_change(change, request.user, request.POST.get("reason", ""))
                self.message_user(request, gettext("The edit is rejected; the liaison is told why."), messages.SUCCESS)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:membership_profilechange_change", args=[change.pk]))


@admin.register(MembershipPeriod)
class MembershipPeriodAdmin(admin.ModelAdmin):
    list_display = ["organisation", "year", "starts_on", "ends_on", "amount", "paid_on", "receipt_number"]
    list_filter = ["year"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name_zh_hans", "organisation__name_en", "receipt_number"]
    autocomplete_fields = ["organisation"]


@admin.action(description=_("Send the invitation to set a password again"))
def reinvite(modeladmin, request, queryset):
    for liaison in queryset.select_related("user", "organisation"):
        services.invite_liaison(liaison, request)
    modeladmin.message_user(request, gettext("Invitations sent."))


@admin.register(Liaison)
class LiaisonAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "mobile", "created_at"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name_zh_hans"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["user", "person"]
    actions = [reinvite]


@admin.register(MemberDocument)
class MemberDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "published_on", "original_name"]

    def save_model(self, request, obj, form, change):
        if "file" in form.changed_data and obj.file:
            obj.original_name = obj.file.name.rsplit("/", 1)[-1]
        super().save_model(request, obj, form, change)


@admin.register(RenewalReminder)
class RenewalReminderAdmin(admin.ModelAdmin):
    list_display = ["period", "kind", "sent_at", "recipients"]
    list_filter = ["kind"]
    list_select_related = ["period__organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
