"""The privacy policy in numbered versions, and the consent every stored submission records.

Imports only core.
"""

import re

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import TraditionalFilledModel
from core.uploads import UploadPath, validate_attachment_upload, validate_image_upload


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
        return f"{self.name} · {timezone.localtime(self.received_at):%Y-%m-%d %H:%M}" if self.received_at else self.name


SITE_SETTINGS_CACHE_KEY = "site-settings"
# The MIIT's ICP record system, and the public-security record page for a number (the 14-digit
# code of a 公安联网备案 number).
ICP_RECORD_SYSTEM = "https://beian.miit.gov.cn/"
PUBLIC_SECURITY_RECORD_PAGE = "https://beian.mps.gov.cn/#/query/webSearch?code={code}"


class SiteSettings(TraditionalFilledModel):
    """The one row of site-wide settings: record numbers, the organiser's contact, the about page's
    text and charter, and the mourning period. Load it with `SiteSettings.load()`.

    Saving it starts a new content version (every page shows the footer), and the cached copy
    is replaced after the transaction commits.
    """

    icp_number = models.CharField(
        _("ICP record number"), max_length=60, blank=True, help_text=_("e.g. 苏ICP备12345678号-1 (ICP备案号).")
    )
    public_security_number = models.CharField(
        _("public-security record number"),
        max_length=60,
        blank=True,
        help_text=_("e.g. 苏公网安备32050502000000号 (公安联网备案号); the badge links to its record page."),
    )
    organiser = models.CharField(
        _("organiser"), max_length=200, blank=True, help_text=_("Who runs the site (主办单位), as the footer names it.")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("Shown in the footer; messages from the contact form are sent here.")
    )
    wechat_name = models.CharField(_("WeChat official account"), max_length=100, blank=True)
    wechat_qr = models.ImageField(
        _("WeChat QR code"),
        upload_to=UploadPath("site/", fallback="wechat-qr"),
        max_length=255,
        blank=True,
        validators=[validate_image_upload],
    )
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("The about page's introduction. Plain text; a blank line starts a new paragraph."),
    )
    charter = models.FileField(
        _("charter (章程)"),
        upload_to=UploadPath("site/", fallback="charter"),
        max_length=255,
        blank=True,
        validators=[validate_attachment_upload],
        help_text=_("The alliance's charter as a document (PDF), linked from the about page."),
    )
    mourning_starts_at = models.DateTimeField(
        _("mourning starts at"),
        null=True,
        blank=True,
        help_text=_(
            "Every public page is shown in greyscale from this time until the end time (national days of mourning)."
        ),
    )
    mourning_ends_at = models.DateTimeField(_("mourning ends at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="compliance_sitesettings_single_row"),
            models.CheckConstraint(
                condition=Q(mourning_starts_at__isnull=True)
                | Q(mourning_ends_at__isnull=True)
                | Q(mourning_ends_at__gt=models.F("mourning_starts_at")),
                name="compliance_sitesettings_mourning_ends_after_start",
                violation_error_message=_("The mourning period must end after it starts."),
            ),
        ]

    def __str__(self):
        return str(_("Site settings"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if bool(self.mourning_starts_at) != bool(self.mourning_ends_at):
            raise ValidationError(_("Give both the start and the end of the mourning period, or neither."))
        if self.public_security_number and not self.public_security_code:
            raise ValidationError(
                {"public_security_number": _("The public-security record number has no digits; copy it as issued.")}
            )

    @classmethod
    def load(cls):
        """The settings row, from the shared cache (one query when it is not there); unsaved defaults
        when none was ever saved."""
        settings = cache.get(SITE_SETTINGS_CACHE_KEY)
        if settings is None:
            settings = cls.objects.filter(pk=1).first() or cls(pk=1)
            cache.set(SITE_SETTINGS_CACHE_KEY, settings, timeout=None)
        return settings

    @staticmethod
    def forget_cached(**_signal_kwargs):
        """Drop the cached copy now and again once the transaction commits (a request in between
        may have cached the row as it was); the next `load()` reads the row."""
        cache.delete(SITE_SETTINGS_CACHE_KEY)
        transaction.on_commit(lambda: cache.delete(SITE_SETTINGS_CACHE_KEY))

    def is_mourning(self, now=None):
        """Whether `now` (default the current time) falls in the mourning period [start, end)."""
        if not (self.mourning_starts_at and self.mourning_ends_at):
            return False
        return self.mourning_starts_at <= (now or timezone.now()) < self.mourning_ends_at

    def next_change(self, now=None):
        """When the mourning period next starts or ends after `now` (an aware datetime), or None."""
        now = now or timezone.now()
        upcoming = [when for when in (self.mourning_starts_at, self.mourning_ends_at) if when and when > now]
        return min(upcoming) if upcoming else None

    @property
    def public_security_code(self):
        """The digits of the public-security record number (苏公网安备32050502000000号 -> "32050502000000")."""
        return "".join(re.findall(r"\d", self.public_security_number))

    @property
    def icp_record_url(self):
        return ICP_RECORD_SYSTEM

    @property
    def public_security_record_url(self):
        code = self.public_security_code
        return PUBLIC_SECURITY_RECORD_PAGE.format(code=code) if code else ""

    @property
    def phone_link(self):
        """A tel: address of the telephone's digits ("0512-6666 8888" -> "tel:051266668888"), or ""."""
        digits = re.sub(r"[^\d+]", "", self.phone)
        return f"tel:{digits}" if digits else ""

    @property
    def email_link(self):
        """A mailto: address when the e-mail is a valid address (rows may predate validation), or ""."""
        try:
            validate_email(self.email)
        except ValidationError:
            return ""
        return f"mailto:{self.email}"

    @property
    def has_contact(self):
        return bool(self.organiser or self.address or self.phone or self.email or self.wechat_name or self.wechat_qr)
