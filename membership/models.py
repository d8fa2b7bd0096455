"""Applications to join, liaisons, profile edits awaiting review, membership periods and dues,
member-only documents and the renewal reminders sent.

Membership standing is decided in one place: `MembershipPeriodQuerySet` and `current_members()`
(see `Standing`). Apps above membership (events, the site's pages) ask `current_members()` or
`is_current_member(organisation)`.
"""

import datetime
from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.models import ConsentRecord
from core.uploads import UploadPath, validate_attachment_upload
from members.models import Organisation, OrganisationKind, Person

# Days after a membership period ends during which the organisation is still counted as a
# member (宽限期), so that dues paid a little late do not take it off the site.
GRACE_PERIOD = datetime.timedelta(days=90)


class Stage(models.TextChoices):
    """Where an application stands. The allowed moves between stages are `TRANSITIONS`."""

    SUBMITTED = "submitted", _("Submitted, awaiting secretariat review")
    RETURNED = "returned", _("Returned to the applicant for more information")
    COUNCIL = "council", _("Accepted by the secretariat, awaiting the council's decision")
    APPROVED = "approved", _("Approved: member")
    REJECTED = "rejected", _("Rejected")

    @classmethod
    def open_stages(cls):
        """Stages of an application still under way: one per credit code at a time."""
        return [cls.SUBMITTED, cls.RETURNED, cls.COUNCIL]


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    ACCEPT = "accept", _("Accept for the council")
    RETURN = "return", _("Return for more information")
    SECRETARIAT_REJECT = "secretariat_reject", _("Reject (secretariat)")
    AMEND = "amend", _("Amended by the applicant")
    APPROVE = "approve", _("Approve (council)")
    COUNCIL_REJECT = "council_reject", _("Reject (council)")


class Transition(NamedTuple):
    source: str
    target: str
    permission: str | None  # None: the applicant, through the private status link
    needs_comment: bool


# The whole state machine: each action, from the one stage it may be taken in, to the stage it
# leads to, with the permission it takes. Anything not listed is impossible
# (membership.services.transition raises).
TRANSITIONS = {
    Action.ACCEPT: Transition(Stage.SUBMITTED, Stage.COUNCIL, "membership.review_application", False),
    Action.RETURN: Transition(Stage.SUBMITTED, Stage.RETURNED, "membership.review_application", True),
    Action.SECRETARIAT_REJECT: Transition(Stage.SUBMITTED, Stage.REJECTED, "membership.review_application", True),
    Action.AMEND: Transition(Stage.RETURNED, Stage.SUBMITTED, None, False),
    Action.APPROVE: Transition(Stage.COUNCIL, Stage.APPROVED, "membership.decide_application", False),
    Action.COUNCIL_REJECT: Transition(Stage.COUNCIL, Stage.REJECTED, "membership.decide_application", True),
}


class MembershipApplication(ConsentRecord):
    """An organisation's application to join (入会申请), with its contact person and licence."""

    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage, default=Stage.SUBMITTED, editable=False, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, editable=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    language = models.CharField(_("language"), max_length=10, default="zh-hans", editable=False)
    name = models.CharField(_("name in Chinese"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind, default=OrganisationKind.ENTERPRISE)
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    address = models.CharField(_("registered address"), max_length=300)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("short description"), max_length=2000)
    offices = models.ManyToManyField(
        "offices.Office", verbose_name=_("district offices to join"), blank=True, related_name="+"
    )
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_title = models.CharField(_("job title"), max_length=100)
    contact_mobile = models.CharField(_("mobile"), max_length=20)
    contact_email = models.EmailField(_("e-mail"))
    licence = models.FileField(
        _("business licence"),
        upload_to=UploadPath("licences/%Y/", fallback="licence"),
        max_length=255,
        blank=True,
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership_applications",
        help_text=_("The organisation with this credit code: known at submission, or created on approval."),
    )
    from_existing_member = models.BooleanField(
        _("from an existing member"),
        default=False,
        editable=False,
        help_text=_("An organisation with this credit code was already a member when the application came in."),
    )
    personal_data_erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True, editable=False)

    class Meta(ConsentRecord.Meta):
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-submitted_at", "-pk"]
        permissions = [
            ("review_application", _("Can review applications for the secretariat")),
            ("decide_application", _("Can decide applications for the council")),
            ("handle_personal_data", _("Can export and erase a contact person's personal data")),
        ]
        constraints = [
            *ConsentRecord.Meta.constraints,
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=Q(stage__in=Stage.open_stages()),
                name="one_open_application_per_credit_code",
                violation_error_message=_("An application for this credit code is already under review."),
            ),
        ]
        indexes = [models.Index(fields=["stage", "submitted_at"], name="application_queue_idx")]

    def __str__(self):
        return self.name

    def allowed_actions(self, user=None):
        """The actions that can be taken now (by `user`, when given: those their permissions allow)."""
        return [
            action
            for action, rule in TRANSITIONS.items()
            if rule.source == self.stage
            and rule.permission is not None
            and (user is None or user.has_perm(rule.permission))
        ]


class ApplicationEvent(models.Model):
    """One step in an application's history: who moved it from which stage to which, when, and why."""

    application = models.ForeignKey(
        MembershipApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=30, choices=Action)
    source = models.CharField(_("from"), max_length=20, choices=Stage, blank=True)
    target = models.CharField(_("to"), max_length=20, choices=Stage)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the applicant."),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("application history entry")
        verbose_name_plural = _("application history")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


class Liaison(models.Model):
    """A member unit's liaison (联络员): the user who keeps its profile and dues current."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="liaison"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="liaisons"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    language = models.CharField(_("language of e-mails"), max_length=10, choices=settings.LANGUAGES, default="zh-hans")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("liaison")
        verbose_name_plural = _("liaisons")

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.get_username()} · {self.organisation}"


class ProfileChange(models.Model):
    """A liaison's edit of the organisation's public profile, published when staff approve it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    # The organisation's fields a liaison may change.
    FIELDS = ("description_zh_hans", "description_en", "website", "address_zh_hans", "public_contact")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="profile_changes"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING, db_index=True)
    description_zh_hans = models.TextField(_("description (Chinese)"), blank=True, max_length=5000)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=5000)
    website = models.URLField(_("website"), blank=True)
    address_zh_hans = models.CharField(_("address"), max_length=300, blank=True)
    public_contact = models.CharField(_("public contact"), max_length=200, blank=True)
    logo = models.ImageField(
        _("new logo"), upload_to=UploadPath("logos/pending/%Y/", fallback="logo"), max_length=255, blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, help_text=_("Told to the liaison when the edit is rejected."))

    class Meta:
        verbose_name = _("profile edit")
        verbose_name_plural = _("profile edits")
        ordering = ["-submitted_at", "-pk"]
        permissions = [("review_profilechange", _("Can approve or reject liaisons' profile edits"))]

    def __str__(self):
        return f"{self.organisation} · {self.submitted_at:%Y-%m-%d}"

    def differences(self):
        """[(label, old value, new value)] for each field this edit changes, the logo included."""
        rows = []
        for name in self.FIELDS:
            old, new = getattr(self.organisation, name), getattr(self, name)
            if (old or "") != (new or ""):
                rows.append((self._meta.get_field(name).verbose_name, old, new))
        if self.logo:
            rows.append((self._meta.get_field("logo").verbose_name, self.organisation.logo.name, self.logo.name))
        return rows


class Standing(models.TextChoices):
    ACTIVE = "active", _("Active")
    GRACE = "grace", _("In grace period")
    LAPSED = "lapsed", _("Lapsed")
    UNTRACKED = "untracked", _("No periods recorded")


class MembershipPeriodQuerySet(models.QuerySet):
    def covering(self, day):
        """Periods running on `day` (a date)."""
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def in_good_standing(self, day):
        """Periods that keep an organisation a member on `day`: running, in their grace period,
        or paid ahead (starting later)."""
        return self.filter(ends_on__gte=day - GRACE_PERIOD)


class MembershipPeriod(models.Model):
    """A dues year (会费年度) of a member: amount, payment and receipt, recorded by staff."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="membership_periods"
    )
    year = models.PositiveSmallIntegerField(_("dues year"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    amount = models.DecimalField(_("dues (yuan)"), max_digits=10, decimal_places=2, default=0)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=50, blank=True)

    objects = MembershipPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership period")
        verbose_name_plural = _("membership periods")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="one_period_per_organisation_and_year",
                violation_error_message=_("This organisation already has a period for this dues year."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="membershipperiod_ends_after_start",
                violation_error_message=_("A period cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.year}"


def current_members(day=None):
    """The organisations that are members in good standing on `day` (default: today, China's date).

    The one definition behind the directory's members, the home page's member count, the liaison
    portal and member-only documents; events asks it too.

    A member (`Organisation.is_member`) counts unless it has recorded membership periods and none
    of them keeps it in good standing (running, within `GRACE_PERIOD` after its end, or paid
    ahead): a lapsed organisation leaves the lists but keeps its rows and history. Organisations
    with no period recorded at all (the roster as staff kept it before dues were tracked) count as
    members while `is_member` is ticked, so the existing roster stays on the site.

    Returns:
        a queryset of `members.models.Organisation`.
    """
    day = day or timezone.localdate()
    periods = MembershipPeriod.objects.filter(organisation=OuterRef("pk"))
    return Organisation.objects.members().filter(~Exists(periods) | Exists(periods.in_good_standing(day)))


def is_current_member(organisation, day=None):
    """Whether `organisation` (an Organisation or its pk) is a member in good standing on `day`."""
    pk = getattr(organisation, "pk", organisation)
    return current_members(day).filter(pk=pk).exists()


def standing_of(organisation, day=None):
    """The `Standing` of `organisation` on `day`, and the period it rests on (or None).

    Returns:
        (Standing, MembershipPeriod | None)
    """
    day = day or timezone.localdate()
    periods = list(organisation.membership_periods.order_by("-ends_on"))
    if not periods:
        return Standing.UNTRACKED, None
    for period in periods:
        if period.starts_on <= day <= period.ends_on:
            return Standing.ACTIVE, period
    latest = periods[0]
    if latest.ends_on > day:
        return Standing.ACTIVE, latest  # paid ahead
    if latest.ends_on >= day - GRACE_PERIOD:
        return Standing.GRACE, latest
    return Standing.LAPSED, latest


def next_standing_change(now=None):
    """When a membership next lapses by itself (the end of a grace period), as an aware datetime,
    or None: the page cache's `next_scheduled_change` (member counts and directory)."""
    today = timezone.localdate(now)
    last_grace_day = MembershipPeriod.objects.filter(ends_on__gte=today - GRACE_PERIOD).order_by("ends_on")
    period = last_grace_day.only("ends_on").first()
    if period is None:
        return None
    day_after = period.ends_on + GRACE_PERIOD + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min))


class MemberDocument(models.Model):
    """A document for members only (年度工作报告, 会费收支 ...): its title is public, the file is not."""

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    file = models.FileField(
        _("file"),
        upload_to=UploadPath("member-documents/%Y/", fallback="document"),
        max_length=255,
        validators=[validate_attachment_upload],
    )
    original_name = models.CharField(_("original file name"), max_length=255, blank=True, editable=False)
    published_on = models.DateField(_("published on"), default=datetime.date.today)

    class Meta:
        verbose_name = _("member-only document")
        verbose_name_plural = _("member-only documents")
        ordering = ["-published_on", "-pk"]

    def __str__(self):
        return self.title

    def shown_title(self, language):
        return self.title_en if language == "en" and self.title_en else self.title


class RenewalReminder(models.Model):
    """A renewal reminder e-mailed for a period: recorded so that none is sent twice."""

    class Kind(models.TextChoices):
        BEFORE_END = "before_end", _("Before the period ends")
        LAPSED = "lapsed", _("After the membership lapsed")

    period = models.ForeignKey(
        MembershipPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipients = models.TextField(_("sent to"), blank=True)

    class Meta:
        verbose_name = _("renewal reminder")
        verbose_name_plural = _("renewal reminders")
        constraints = [models.UniqueConstraint(fields=["period", "kind"], name="one_reminder_per_period_and_kind")]

    def __str__(self):
        return f"{self.period} · {self.get_kind_display()}"
