"""Stand-in for the shared consent component (compliance.models.PrivacyPolicy, ConsentRecord,
compliance.forms.ConsentFormMixin) until it is on main; same names and behaviour."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class PrivacyPolicyQuerySet(models.QuerySet):
    def current(self, now=None):
        return self.filter(published_at__lte=now or timezone.now()).order_by("-version").first()


class PrivacyPolicy(models.Model):
    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    published_at = models.DateTimeField(_("in force from"), null=True, blank=True)

    objects = PrivacyPolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("privacy policy version")

    def __str__(self):
        return f"{self.title} ({self.version})"


class ConsentRecord(models.Model):
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True, editable=False)
    consent_policy = models.ForeignKey(
        PrivacyPolicy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="%(app_label)s_%(class)s_consents",
        verbose_name=_("privacy policy agreed to"),
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_given_at__isnull=True, consent_policy__isnull=True)
                | Q(consent_given_at__isnull=False, consent_policy__isnull=False),
                name="%(app_label)s_%(class)s_consent_time_and_policy",
            )
        ]

    def record_consent(self, policy, when=None):
        if policy is None:
            raise ValidationError(_("No privacy policy is in force, so no personal information can be taken."))
        self.consent_given_at = when or timezone.now()
        self.consent_policy = policy


class ConsentFormMixin:
    consent_purpose = _("to answer you")
    consent_retention = _("for as long as that takes, and at most two years")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"] = forms.BooleanField(
            required=True,
            label=format_html(
                str(
                    _("I have read the {policy} and agree to the processing of my personal information described here.")
                ),
                policy=format_html('<a href="/privacy/">{}</a>', _("privacy policy")),
            ),
            error_messages={
                "required": _(
                    "Please tick the box to agree to the privacy policy. Without your consent we cannot take this form."
                )
            },
        )
        self.fields["consent_version"] = forms.IntegerField(required=False, widget=forms.HiddenInput)

    @cached_property
    def consent_policy(self):
        return PrivacyPolicy.objects.current()

    def clean(self):
        cleaned_data = super().clean()
        if self.consent_policy is None:
            raise forms.ValidationError(
                _("No privacy policy is in force, so no personal information can be taken."), code="no_policy"
            )
        return cleaned_data

    def record_consent(self, obj):
        obj.record_consent(self.consent_policy)
        return obj

    def save(self, commit=True):
        self.record_consent(self.instance)
        return super().save(commit=commit)
