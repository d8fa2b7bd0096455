"""Admin for the privacy policy's versions, the site settings and contact messages."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from compliance.models import ContactMessage, PrivacyPolicy, SiteSettings
from core.admin import HistoryTranslationAdmin

LANGUAGE_SUFFIXES = ("zh_hans", "en", "zh_hant")


@admin.register(PrivacyPolicy)
class PrivacyPolicyAdmin(HistoryTranslationAdmin):
    """Versions in force are kept as they were: people agreed to those words. A change is a new version."""

    list_display = ["version", "title", "published_at", "in_force"]
    search_fields = ["title_zh_hans", "title_en"]
    fields = ["version", "title", "body", "published_at", "updated_at"]
    readonly_fields = ["updated_at"]

    @admin.display(description=_("published"), boolean=True)
    def in_force(self, policy):
        return policy.is_published()

    def get_changeform_initial_data(self, request):
        return {"version": PrivacyPolicy.next_version_number(), **super().get_changeform_initial_data(request)}

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_published():
            translated = [f"{name}_{suffix}" for name in ("title", "body") for suffix in LANGUAGE_SUFFIXES]
            readonly += ["version", *translated, "published_at"]
        return readonly

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(SiteSettings)
class SiteSettingsAdmin(HistoryTranslationAdmin):
    """The one row of site settings: the list goes straight to it (created on first visit)."""

    fieldsets = [
        (_("Record numbers"), {"fields": ["icp_number", "public_security_number"]}),
        (_("Contact"), {"fields": ["organiser", "address", "phone", "email", "wechat_name", "wechat_qr"]}),
        (_("About page"), {"fields": ["introduction", "charter"]}),
        (_("Mourning"), {"fields": ["mourning_starts_at", "mourning_ends_at"]}),
    ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if not SiteSettings.objects.filter(pk=1).exists():
            if not self.has_add_permission(request):
                raise PermissionDenied
            return redirect(reverse("admin:compliance_sitesettings_add"))
        return redirect(reverse("admin:compliance_sitesettings_change", args=[1]))

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.filter(pk=1).exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def response_add(self, request, obj, post_url_continue=None):
        return redirect(reverse("admin:compliance_sitesettings_change", args=[obj.pk]))

    def response_change(self, request, obj):
        self.message_user(request, _("The site settings were saved."))
        return redirect(reverse("admin:compliance_sitesettings_change", args=[obj.pk]))


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    """Messages from the contact form: read, marked answered; never written by staff."""

    list_display = ["name", "organisation", "contact", "received_at", "answered"]
    list_filter = ["answered", "received_at"]
    search_fields = ["name", "organisation", "contact", "message"]
    date_hierarchy = "received_at"
    fields = ["name", "organisation", "contact", "message", "language", "received_at", "consent", "answered"]
    readonly_fields = ["name", "organisation", "contact", "message", "language", "received_at", "consent"]
    list_select_related = ["consent_policy"]

    @admin.display(description=_("consent"))
    def consent(self, message):
        if message.consent_policy_id is None:
            return "-"
        return _("Privacy policy version %(version)s, agreed at %(time)s") % {
            "version": message.consent_policy.version,
            "time": date_format(timezone.localtime(message.consent_given_at), "DATETIME_FORMAT"),
        }

    def has_add_permission(self, request):
        return False
