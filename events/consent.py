"""Stand-in for the shared consent component (compliance.models.PrivacyPolicy, ConsentRecord and
compliance.forms.ConsentFormMixin), with the same names, until that lands; then these imports
switch to compliance and this module goes.
"""

from django import forms
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class PrivacyPolicy(models.Model):
    """A version of the privacy policy; the latest published one is in force."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("in force from"), default=timezone.now)

    class Meta:
        verbose_name = _("privacy policy")
        verbose_name_plural = _("privacy policies")
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.version

    @classmethod
    def current(cls):
        """The policy in force now, or None before any is published."""
        return cls.objects.filter(published_at__lte=timezone.now()).first()


class ConsentRecord(models.Model):
    """When someone consented, and to which version of the privacy policy (PIPL art. 14, 17)."""

    consented_at = models.DateTimeField(_("consented at"), null=True, blank=True)
    privacy_policy = models.ForeignKey(
        PrivacyPolicy,
        verbose_name=_("privacy policy version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    def record_consent(self, policy):
        self.consented_at = timezone.now()
        self.privacy_policy = policy


class ConsentFormMixin(forms.Form):
    """An unticked consent box linked to the privacy policy; `record_consent(instance)` stores it."""

    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Please read the privacy policy and agree to it.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = format_html(
            '{} <a href="{}">{}</a>', _("I agree to the"), reverse("events:privacy"), _("privacy policy")
        )

    def record_consent(self, instance):
        instance.record_consent(PrivacyPolicy.current())
