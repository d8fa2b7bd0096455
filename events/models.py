"""Events (conferences, forums, salons, trainings, visits) and their registrations.

What the public may see is one rule, `EventQuerySet.published()`, evaluated at query time: a
scheduled event appears and an event past its `unpublish_at` disappears with no job running (the
page cache learns the next such instant from `next_scheduled_change`). Status changes are the
services in events/services.py.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from compliance.models import ConsentRecord
from core.images import UprightImageField, add_renditions
from core.review import ReviewedModel, ReviewStep
from core.search import filter_by_search
from core.text import TraditionalFilledModel, html_to_text, pinyin_slug, search_document
from core.uploads import UploadPath, validate_image_upload
from members.models import Organisation
from offices.models import Committee, Office

BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
}
LANGUAGE_SUFFIXES = ("zh_hans", "en", "zh_hant")


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Conference")
    FORUM = "forum", _("Forum")
    SALON = "salon", _("Salon")
    TRAINING = "training", _("Training")
    VISIT = "visit", _("Site visit")


class EventQuerySet(models.QuerySet):
    def published(self):
        """The one definition of what the public may see: published, due, and not yet withdrawn.

        Cancelled events stay public (their page says so); drafts, scheduled events and those
        past their `unpublish_at` are not.
        """
        now = timezone.now()
        return self.filter(
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now),
            status=Event.Status.PUBLISHED,
            published_at__lte=now,
        )

    def visible_to(self, user):
        """All events for those who may preview (view or change events), else published()."""
        return self if may_preview_events(user) else self.published()

    def upcoming(self):
        """Not yet over, the soonest first."""
        return self.filter(ends_at__gt=timezone.now()).order_by("starts_at", "pk")

    def past(self):
        """Over, the latest first."""
        return self.filter(ends_at__lte=timezone.now()).order_by("-starts_at", "-pk")

    def for_listing(self):
        """What lists need: no bodies, no search document."""
        return self.defer(
            *(f"body_{lang}" for lang in LANGUAGE_SUFFIXES), "body", "search_document", "pending_revision"
        )

    def with_counts(self):
        """Each event annotated with `confirmed_count`, `waitlisted_count`, `pending_count`, `attended_count`."""
        status = Registration.Status
        return self.annotate(
            confirmed_count=Count("registrations", filter=Q(registrations__status=status.CONFIRMED)),
            waitlisted_count=Count("registrations", filter=Q(registrations__status=status.WAITLISTED)),
            pending_count=Count("registrations", filter=Q(registrations__status=status.PENDING)),
            attended_count=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
        )

    def search(self, query):
        return filter_by_search(self, query)


def may_preview_events(user):
    """Whether `user` may read draft and scheduled events on the site (view or change events)."""
    return user.has_perm("events.view_event") or user.has_perm("events.change_event")


class Event(TraditionalFilledModel, ReviewedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        blank=True,
        help_text=_("Part of the address after the number. Made from the pinyin of the title when left empty."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind, default=EventKind.FORUM)
    summary = models.TextField(_("summary"), blank=True, max_length=500)
    body = ProseEditorField(_("description"), extensions=BODY_EXTENSIONS, sanitize=True, blank=True)
    cover = UprightImageField(
        _("cover image"),
        upload_to=UploadPath("events/%Y/%m/", fallback="cover"),
        max_length=255,
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
        validators=[validate_image_upload],
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_alt = models.CharField(
        _("cover description"),
        max_length=200,
        blank=True,
        help_text=_("What the cover shows, for readers who cannot see it. Required with a cover."),
    )
    starts_at = models.DateTimeField(_("starts at"), help_text=_("China time."))
    ends_at = models.DateTimeField(_("ends at"), help_text=_("China time."))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True, help_text=_("For events held online too."))
    offices = models.ManyToManyField(Office, verbose_name=_("offices"), blank=True, related_name="events")
    committees = models.ManyToManyField(
        Committee, verbose_name=_("special committees"), blank=True, related_name="events"
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), blank=True, related_name="events"
    )
    registration_enabled = models.BooleanField(
        _("online registration"), default=True, help_text=_("Visitors register on the event's page.")
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty: no limit. Registrations beyond it join the waitlist.")
    )
    waitlist = models.BooleanField(
        _("waitlist"),
        default=True,
        help_text=_("When the places are taken, further registrations join a waitlist; otherwise they are refused."),
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"), null=True, blank=True, help_text=_("Empty: registration closes when it starts.")
    )
    members_only = models.BooleanField(
        _("members only"), default=False, help_text=_("Only organisations that are current members may register.")
    )
    requires_approval = models.BooleanField(
        _("requires approval"), default=False, help_text=_("Registrations wait for staff to confirm them.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("A time in the future schedules the event. Empty when publishing means now."),
    )
    unpublish_at = models.DateTimeField(
        _("unpublish at"), null=True, blank=True, help_text=_("The event leaves the site at this time.")
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    personal_data_erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_document = models.TextField(editable=False, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = EventQuerySet.as_manager()
    # How registration runs (places, deadline, who may register) is the organisers' to change at once,
    # e.g. places added at the door confirm the waitlist now; review is for what the event says.
    REGISTRATION_SETTINGS = (
        "registration_enabled",
        "capacity",
        "waitlist",
        "registration_deadline",
        "members_only",
        "requires_approval",
    )
    # Publishing is review's (core.review): a pending revision never carries the status, nor the
    # registration settings, which apply at once.
    not_in_revision = ("status", *REGISTRATION_SETTINGS)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "ends_at"], name="event_public_idx"),
            models.Index(fields=["starts_at", "id"], name="event_starts_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"),
        ]
        permissions = [
            ("publish_event", _("Can publish and cancel events")),
            ("check_in_registration", _("Can check registrants in")),
            ("review_event", _("Can approve events for publication or return them")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event-detail", kwargs={"pk": self.pk, "slug": self.slug or "-"})

    @property
    def is_published(self):
        """The instance form of EventQuerySet.published()."""
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    @property
    def online_link(self):
        """The online link when it is a web address (http or https), else "" (never a script URL)."""
        return self.online_url if self.online_url.lower().startswith(("https://", "http://")) else ""

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    @property
    def is_past(self):
        return self.ends_at <= timezone.now()

    @property
    def registration_closes_at(self):
        """The deadline, or the start when there is none or it is later."""
        if self.registration_deadline and self.registration_deadline < self.starts_at:
            return self.registration_deadline
        return self.starts_at

    @property
    def registration_is_open(self):
        """Registration is open while enabled, published, not cancelled, and before it closes."""
        return (
            self.registration_enabled
            and self.is_published
            and not self.is_cancelled
            and timezone.now() < self.registration_closes_at
        )

    def places_left(self, confirmed_count):
        """Places left given `confirmed_count` (int); None when there is no limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - confirmed_count, 0)

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.cover and not self.cover_alt_zh_hans:
            errors["cover_alt_zh_hans"] = _("Describe the cover image for readers who cannot see it.")
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The event cannot end before it starts.")
        if self.unpublish_at and self.published_at and self.unpublish_at <= self.published_at:
            errors["unpublish_at"] = _("Unpublish after publishing.")
        if errors:
            raise ValidationError(errors)

    def derive(self):
        """Sanitised bodies (the allow-list of BODY_EXTENSIONS, whatever wrote them), slug,
        publication time, Traditional text and search document."""
        sanitize = self._meta.get_field("body").sanitize
        for lang in LANGUAGE_SUFFIXES:
            if value := getattr(self, f"body_{lang}"):
                setattr(self, f"body_{lang}", sanitize(value))
        derived = super().derive() | {f"body_{lang}" for lang in LANGUAGE_SUFFIXES}
        if not self.slug:
            self.slug = pinyin_slug(self.title_zh_hans or self.title, max_length=60) or "event"
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.search_document = search_document(
            self.title_zh_hans,
            self.title_en,
            self.summary_zh_hans,
            self.summary_en,
            self.venue_zh_hans,
            html_to_text(self.body_zh_hans or ""),
            html_to_text(self.body_en or ""),
        )
        return derived | {"slug", "published_at", "search_document"}

    def structured_data(self, absolute_url):
        """schema.org Event (JSON-LD) in the current language; `absolute_url` makes a path a full URL."""
        url = absolute_url(self.get_absolute_url())
        place = {"@type": "Place", "name": self.venue, "address": self.address or self.venue}
        online = {"@type": "VirtualLocation", "url": self.online_link}
        if self.venue and self.online_link:
            mode, location = "MixedEventAttendanceMode", [place, online]
        elif self.online_link:
            mode, location = "OnlineEventAttendanceMode", online
        else:
            mode, location = "OfflineEventAttendanceMode", place
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.title,
            "url": url,
            "startDate": timezone.localtime(self.starts_at).isoformat(),
            "endDate": timezone.localtime(self.ends_at).isoformat(),
            "eventAttendanceMode": f"https://schema.org/{mode}",
            "eventStatus": "https://schema.org/" + ("EventCancelled" if self.is_cancelled else "EventScheduled"),
            "location": location,
            "organizer": {
                "@type": "Organization",
                "name": gettext("Suzhou Industrial Internet Industry Alliance"),
                "url": absolute_url(reverse("home")),
            },
        }
        if self.summary:
            data["description"] = self.summary
        if self.cover:
            data["image"] = [absolute_url(self.cover.url)]
        return data


add_renditions(Event, "cover")


def new_check_in_code():
    """Eight characters without look-alikes (no 0/O, 1/I/L), typed or scanned at the door."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        """Registrations that hold or wait for a place: not cancelled nor rejected."""
        return self.filter(status__in=Registration.ACTIVE)

    def waitlist(self):
        """The waitlist in order: first come, first confirmed."""
        return self.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk")


class EventReviewStep(ReviewStep):
    """One step of an event's review (core.review): submitted, returned, approved, published ..."""

    item = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="review_steps")

    class Meta(ReviewStep.Meta):
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")


class Registration(ConsentRecord):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        PENDING = "pending", _("Awaiting approval")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Declined")

    ACTIVE = (Status.CONFIRMED, Status.WAITLISTED, Status.PENDING)

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.CONFIRMED)
    name = models.CharField(_("name"), max_length=100)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20)
    email = models.EmailField(_("e-mail"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("member organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    code = models.CharField(_("check-in code"), max_length=12, unique=True, default=new_check_in_code)
    language = models.CharField(_("language"), max_length=10, default="zh-hans", editable=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True, db_index=True)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta(ConsentRecord.Meta):
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            *ConsentRecord.Meta.constraints,
            # One active registration per person and event, by mobile or by e-mail (erased rows
            # have neither).
            models.UniqueConstraint(
                fields=["event", "mobile"],
                condition=Q(status__in=["confirmed", "waitlisted", "pending"]) & ~Q(mobile=""),
                name="registration_one_per_mobile",
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=["confirmed", "waitlisted", "pending"]) & ~Q(email=""),
                name="registration_one_per_email",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status_idx")]

    def __str__(self):
        return f"{self.name or self.code} · {self.event_id}"

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    def token(self):
        """The signed token of the registrant's private link (see events.services.registration_from_token)."""
        from django.core import signing

        return signing.dumps([self.pk, self.code], salt=TOKEN_SALT, compress=True)

    def get_absolute_url(self):
        return reverse("events:registration", kwargs={"token": self.token()})


TOKEN_SALT = "events.registration"  # noqa: S105 (a signing namespace, not a secret)


def next_scheduled_change():
    """When the public events change by themselves next: publication, withdrawal, registration
    closing, an event starting or ending (which moves it from the upcoming to the archive)."""
    now = timezone.now()
    shown = Q(status=Event.Status.PUBLISHED)
    times = Event.objects.filter(shown).aggregate(
        **{
            field: models.Min(field, filter=Q(**{f"{field}__gt": now}))
            for field in ("published_at", "unpublish_at", "registration_deadline", "starts_at", "ends_at")
        }
    )
    upcoming = [when for when in times.values() if when is not None]
    return min(upcoming) if upcoming else None
