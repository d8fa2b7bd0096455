"""The privacy policy in numbered versions, and the consent every stored submission records.

Imports only core.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import TraditionalFilledModel


class PrivacyPolicyQuerySet(models.QuerySet):
    def published(self, now=None):
        """Versions whose publication time has come (`now`, default the current time)."""
        return self.filter(published_at__lte=now or timezone.now())

    def current(self, now=None):
        """The version in force: the highest-numbered published one, or None when none is."""
        return self.published(now).order_by("-version").first()

    def next_publication(self, now=None):
        """When a version scheduled for later comes into force next (an aware datetime), or None."""
        return self.filter(published_at__gt=now or timezone.now()).aggregate(when=models.Min("published_at"))["when"]


class PrivacyPolicy(TraditionalFilledModel):
    """One numbered version of the privacy policy (隐私政策).

    What a person agreed to is the version in force when they submitted a form; its text stays as
    it was (a change is a new version), so every stored consent points at the words the person saw.
    Source: Personal Information Protection Law of the PRC (PIPL), arts. 14 and 17.
    """

    version = models.PositiveIntegerField(
        _("version"), unique=True, help_text=_("1, 2, 3 ... The highest published version is in force.")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Plain text; a blank line starts a new paragraph. Say who processes personal information, "
            "what, why, for how long, and how people exercise their rights (PIPL arts. 14 and 17)."
        ),
    )
    published_at = models.DateTimeField(
        _("in force from"),
        null=True,
        blank=True,
        help_text=_("Empty: a draft. Forms ask for consent to this version from this time on."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PrivacyPolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("privacy policy version")
        verbose_name_plural = _("privacy policy versions")
        ordering = ["-version"]

    def __str__(self):
        return _("Privacy policy, version %(version)s") % {"version": self.version}

    def get_absolute_url(self):
        return reverse("privacy")

    def is_published(self, now=None):
        """Whether the version's publication time has come: its text is then what people agreed to."""
        return self.published_at is not None and self.published_at <= (now or timezone.now())

    @staticmethod
    def next_version_number():
        """The number a new version gets: one more than the highest so far (1 for the first)."""
        highest = PrivacyPolicy.objects.aggregate(highest=models.Max("version"))["highest"]
        return (highest or 0) + 1


class ConsentRecord(models.Model):
    """What a submission keeps of the consent given with it: when, and to which policy version.

    Every model storing personal data that a visitor submits inherits it; the form that takes
    the submission (compliance.forms.ConsentFormMixin) fills both fields. Rows entered by staff
    have neither. A policy version that any record names cannot be deleted. A subclass that
    declares a Meta of its own derives it from `ConsentRecord.Meta` to keep the constraint.
    """

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
        """Note that the person agreed to `policy` (a published PrivacyPolicy) at `when` (default now).

        Raises:
            ValidationError: when `policy` is None or not published yet.
        """
        when = when or timezone.now()
        if policy is None or not policy.is_published(when):
            raise ValidationError(_("No privacy policy is in force, so no personal information can be taken."))
        self.consent_given_at = when
        self.consent_policy = policy


class ContactMessage(ConsentRecord):
    """A message sent through the contact form, kept for the secretariat (see the admin)."""

    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    contact = models.CharField(
        _("e-mail or mobile"),
        max_length=254,
        help_text=_("Where the secretariat answers: an e-mail address or a mobile number."),
    )
    message = models.TextField(_("message"), max_length=5000)
    language = models.CharField(_("language"), max_length=10, editable=False, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    answered = models.BooleanField(_("answered"), default=False)

    class Meta(ConsentRecord.Meta):
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.name} · {self.received_at:%Y-%m-%d %H:%M}" if self.received_at else self.name
