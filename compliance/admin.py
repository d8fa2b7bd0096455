"""Admin for the privacy policy's versions."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from compliance.models import PrivacyPolicy
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
