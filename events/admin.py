from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.middleware.csp import get_nonce
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export import fields
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from js_asset import Media

from core.admin import HistoryTranslationAdmin, ReviewAdminMixin, ReviewStateFilter
from core.resources import FormulaSafeResource
from core.review import may_review, review_required, revision_many_to_many
from events import services
from events.models import Event, EventReviewStep, Registration

PUBLISHING_FIELDS = ["status", "published_at", "unpublish_at"]
RELATION_FIELDS = ["offices", "committees", "organisations"]


class RegistrationResource(FormulaSafeResource):
    """The registrant list as CSV or XLSX; text a spreadsheet would run as a formula is escaped."""

    event = fields.Field(attribute="event__title", column_name=_("event"))
    status = fields.Field(attribute="get_status_display", column_name=_("status"))

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "status",
            "name",
            "organisation_name",
            "job_title",
            "mobile",
            "email",
            "code",
            "created_at",
            "checked_in_at",
            "consent_given_at",
        ]
        export_order = fields

    def get_export_headers(self, selected_fields=None):
        return [str(self.fields[name].column_name or self.fields[name].attribute) for name in self.get_export_order()]


@admin.register(Registration)
class RegistrationAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [RegistrationResource]
    formats = [CSV, XLSX]
    to_encoding = "utf-8-sig"
    list_display = ["name", "organisation_name", "event", "status", "code", "created_at", "checked_in_at"]
    list_filter = ["status", "event"]
    list_select_related = ["event"]
    search_fields = ["name", "organisation_name", "mobile", "email", "code"]
    readonly_fields = [
        "event",
        "status",
        "code",
        "created_at",
        "status_changed_at",
        "checked_in_at",
        "consent_given_at",
    ]
    fields = [
        "event",
        "status",
        "name",
        "organisation_name",
        "job_title",
        "mobile",
        "email",
        "organisation",
        "code",
        "created_at",
        "status_changed_at",
        "checked_in_at",
        "consent_given_at",
    ]
    autocomplete_fields = ["organisation"]
    actions = ["approve", "reject", "cancel"]
    list_per_page = 100

    def has_add_permission(self, request):
        return False  # registrations come from the form, through services.register

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).select_related("event")

    @admin.action(description=_("Approve the selected registrations"), permissions=["change"])
    def approve(self, request, queryset):
        done = [services.approve(registration) for registration in queryset]
        self.message_user(
            request, ngettext("%(count)d approved.", "%(count)d approved.", len(done)) % {"count": len(done)}
        )

    @admin.action(description=_("Decline the selected registrations"), permissions=["change"])
    def reject(self, request, queryset):
        done = [services.reject(registration) for registration in queryset]
        self.message_user(
            request, ngettext("%(count)d declined.", "%(count)d declined.", len(done)) % {"count": len(done)}
        )

    @admin.action(description=_("Cancel the selected registrations"), permissions=["change"])
    def cancel(self, request, queryset):
        promoted = [p for registration in queryset for p in services.cancel_registration(registration)]
        message = ngettext(
            "Cancelled; %(count)d confirmed from the waitlist.",
            "Cancelled; %(count)d confirmed from the waitlist.",
            len(promoted),
        )
        self.message_user(request, message % {"count": len(promoted)})


@admin.register(Event)
class EventAdmin(ReviewAdminMixin, HistoryTranslationAdmin):
    submit_for_review = staticmethod(services.submit_for_review)
    approve_publication = staticmethod(services.approve_publication)
    send_back = staticmethod(services.send_back)
    review_step_model = EventReviewStep
    change_form_template = "admin/events/event/change_form.html"
    object_history_template = "admin/review/object_history.html"
    list_display = ["title", "kind", "starts_at", "status_label", "review_label", "confirmed", "waitlisted", "attended"]
    list_filter = [ReviewStateFilter, "status", "kind", "offices", "starts_at"]
    search_fields = ["title_zh_hans", "title_en"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["offices", "committees", "organisations"]
    readonly_fields = [
        "counts",
        "cancelled_at",
        "created_by",
        "last_edited_by",
        "created_at",
        "updated_at",
        "staff_links",
    ]
    actions = ["publish", "unpublish", "cancel"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "summary", "body"]}),
        (_("When and where"), {"fields": ["starts_at", "ends_at", "venue", "address", "online_url"]}),
        (
            _("Registration"),
            {
                "fields": [
                    "registration_enabled",
                    "capacity",
                    "waitlist",
                    "registration_deadline",
                    "members_only",
                    "requires_approval",
                    "counts",
                    "staff_links",
                ]
            },
        ),
        (_("Publishing"), {"fields": ["status", "published_at", "unpublish_at", "cancelled_at"]}),
        (_("Cover"), {"fields": ["cover", "cover_alt"]}),
        (_("Organisers"), {"fields": ["offices", "committees", "organisations"]}),
        (
            _("Record"),
            {"fields": ["created_by", "last_edited_by", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts().defer("search_document")

    def reversion_register(self, model, **kwargs):
        # The review's own fields change by review steps, which a revert must not undo.
        if model is Event:
            kwargs["exclude"] = list(Event.review_fields)
        super().reversion_register(model, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if review_required():
            return [*readonly, "status"]  # the status changes by review; the times asked for are reviewed
        if not self.has_publish_permission(request):
            return [*readonly, *PUBLISHING_FIELDS]
        return readonly

    def get_actions(self, request, *args, **kwargs):
        actions = super().get_actions(request, *args, **kwargs)
        if review_required():
            actions.pop("publish", None)  # under review, approval publishes
        return actions

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/check-in/", view(self.check_in_view), name="events_event_check_in"),
            path("<path:object_id>/sign-in-sheet/", view(self.sign_in_sheet_view), name="events_event_sign_in_sheet"),
            self.review_url(),
            *super().get_urls(),
        ]

    def get_object(self, request, object_id, from_field=None):
        event = super().get_object(request, object_id, from_field)
        if event is not None and request.resolver_match.url_name == "events_event_change":
            # The form edits the pending revision of a published event, not its public text.
            services.with_pending_revision(event)
        return event

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if request.method != "GET" or obj is None or obj.pending_revision is None:
            return form
        relations = revision_many_to_many(obj.pending_revision)

        class WithRevisionRelations(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.initial.update({name: pks for name, pks in relations.items() if name in self.fields})

        WithRevisionRelations.__name__ = form.__name__
        return WithRevisionRelations

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "review_required": review_required()}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = Media.from_media(context["media"], nonce=get_nonce(request))
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if change and services.edits_need_review(Event.objects.get(pk=obj.pk)):
            relations = {name: [item.pk for item in form.cleaned_data[name]] for name in RELATION_FIELDS}
            _, promoted = services.save_pending_revision(obj, user=request.user, many_to_many=relations)
            request.saved_as_revision = True
            self.message_user(
                request,
                gettext(
                    "Your changes are kept as a revision awaiting review: the published text stays public until a "
                    "reviewer approves them. Submit them for review when ready."
                ),
                messages.INFO,
            )
        else:
            obj.last_edited_by = request.user
            capacity_raised = change and "capacity" in form.changed_data
            super().save_model(request, obj, form, change)
            promoted = services.set_capacity(obj, obj.capacity) if capacity_raised else []
        if promoted:
            message = ngettext(
                "%(count)d registrant confirmed from the waitlist.",
                "%(count)d registrants confirmed from the waitlist.",
                len(promoted),
            )
            self.message_user(request, message % {"count": len(promoted)})

    def save_related(self, request, form, formsets, change):
        if getattr(request, "saved_as_revision", False):
            return  # the organisers wait in the revision
        super().save_related(request, form, formsets, change)

    @admin.display(description=_("review"), ordering="review_state")
    def review_label(self, event):
        label = event.get_review_state_display()
        if event.pending_revision is not None:
            return format_html("{} · {}", label, _("edited after publication"))
        return label

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, event):
        if event.is_cancelled:
            return gettext("Cancelled")
        if event.status == Event.Status.PUBLISHED and event.published_at and event.published_at > timezone.now():
            return format_html(
                '<span title="{}">{}</span>', localize(timezone.localtime(event.published_at)), _("Scheduled")
            )
        return event.get_status_display()

    @admin.display(description=_("registered"), ordering="confirmed_count")
    def confirmed(self, event):
        return event.confirmed_count

    @admin.display(description=_("waitlisted"), ordering="waitlisted_count")
    def waitlisted(self, event):
        return event.waitlisted_count

    @admin.display(description=_("attended"), ordering="attended_count")
    def attended(self, event):
        return event.attended_count

    @admin.display(description=_("registrations"))
    def counts(self, event):
        if not event.pk:
            return "—"
        return format_html(
            '<span class="event-counts">{}: <b data-count="confirmed">{}</b> · {}: <b data-count="waitlisted">{}</b> · '
            '{}: <b data-count="pending">{}</b> · {}: <b data-count="attended">{}</b></span>',
            _("registered"),
            event.confirmed_count,
            _("waitlisted"),
            event.waitlisted_count,
            _("awaiting approval"),
            event.pending_count,
            _("attended"),
            event.attended_count,
        )

    @admin.display(description=_("registrants"))
    def staff_links(self, event):
        if not event.pk:
            return "—"
        registrations = reverse("admin:events_registration_changelist") + f"?event__id__exact={event.pk}"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            registrations,
            _("List"),
            reverse("admin:events_registration_export") + f"?event__id__exact={event.pk}",
            _("Export (CSV, XLSX)"),
            reverse("admin:events_event_sign_in_sheet", args=[event.pk]),
            _("Sign-in sheet"),
            reverse("admin:events_event_check_in", args=[event.pk]),
            _("Check-in"),
        )

    def _event_or_404(self, request, object_id):
        event = self.get_object(request, object_id)
        if event is None:
            raise Http404
        return event

    def check_in_view(self, request, object_id):
        """Staff at the door type or scan a registrant's code; the registrant is marked as attending."""
        if not request.user.has_perm("events.check_in_registration"):
            raise PermissionDenied
        event = self._event_or_404(request, object_id)
        if request.method == "POST":
            try:
                registration, now = services.check_in(event, request.POST.get("code", ""))
            except services.CheckInError as error:
                messages.error(request, error.message)
            else:
                if now:
                    messages.success(request, gettext("%(name)s is checked in.") % {"name": registration.name})
                else:
                    messages.warning(
                        request,
                        gettext("%(name)s was already checked in at %(time)s.")
                        % {"name": registration.name, "time": localize(timezone.localtime(registration.checked_in_at))},
                    )
            return redirect(request.path)
        event = self._event_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Check-in: %(event)s") % {"event": event},
            "opts": self.opts,
            "event": event,
            "original": event,
        }
        return TemplateResponse(request, "admin/events/event/check_in.html", context)

    def sign_in_sheet_view(self, request, object_id):
        """The confirmed registrants, by organisation, to print and sign at the door."""
        if not request.user.has_perm("events.view_registration"):
            raise PermissionDenied
        event = self._event_or_404(request, object_id)
        registrations = event.registrations.filter(status=Registration.Status.CONFIRMED).order_by(
            "organisation_name", "name"
        )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Sign-in sheet: %(event)s") % {"event": event},
            "opts": self.opts,
            "event": event,
            "registrations": registrations,
        }
        return TemplateResponse(request, "admin/events/event/sign_in_sheet.html", context)

    def has_publish_permission(self, request):
        """Publishing and unpublishing: under review, for reviewers; without, for Event staff too."""
        if review_required():
            return may_review(request.user, Event)
        return request.user.has_perm("events.publish_event")

    def has_cancel_permission(self, request):
        """Cancelling is the organisers' decision, with or without review."""
        return request.user.has_perm("events.publish_event")

    @admin.action(description=_("Publish the selected events"), permissions=["publish"])
    def publish(self, request, queryset):
        done = [services.publish(event, user=request.user) for event in queryset]
        self.message_user(
            request,
            ngettext("%(count)d event published.", "%(count)d events published.", len(done)) % {"count": len(done)},
        )

    @admin.action(description=_("Unpublish the selected events (back to draft)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        done = [services.unpublish(event, user=request.user) for event in queryset]
        self.message_user(
            request,
            ngettext("%(count)d event returned to draft.", "%(count)d events returned to draft.", len(done))
            % {"count": len(done)},
        )

    @admin.action(description=_("Cancel the selected events and e-mail their registrants"), permissions=["cancel"])
    def cancel(self, request, queryset):
        mailed = sum(services.cancel(event) for event in queryset)
        message = ngettext(
            "Cancelled; %(count)d registrant e-mailed.", "Cancelled; %(count)d registrants e-mailed.", mailed
        )
        self.message_user(request, message % {"count": mailed})
