"""The admin site: Django's, with the apps only superusers should see left out of everyone else's index."""

from django.contrib import admin
from django.utils.translation import gettext_noop

# Labels of Django itself that its Chinese catalogues lack (new in Django 6.1): listed here so that
# makemessages keeps them in the site's catalogues, which translate them.
DJANGO_LABELS = [gettext_noop("- Select an option -"), gettext_noop("Filter by %(field_name)s")]

# Login throttling (django-axes) is the superusers' concern, and ships no Chinese translation.
SUPERUSER_ONLY_APPS = frozenset({"axes"})


class AllianceAdminSite(admin.AdminSite):
    def _build_app_dict(self, request, label=None):
        if label in SUPERUSER_ONLY_APPS and not request.user.is_superuser:
            return {}
        app_dict = super()._build_app_dict(request, label)
        if label is None and not request.user.is_superuser:
            app_dict = {name: app for name, app in app_dict.items() if name not in SUPERUSER_ONLY_APPS}
        return app_dict
