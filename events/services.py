"""The rules of events, as named services: publishing and its review before publication
(submit, approve, send back, edits of published events: core.review), cancelling, registering (exact capacity,
waitlist, approval), cancelling a registration with promotion from the waitlist, check-in and
erasure of registrants' personal data.

Admin actions, public views and commands call these; each change is one transaction.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import review as core_review
from core.review import Action, ReviewState, apply_revision, capture_revision, revision_many_to_many
from events import notifications
from events.models import TOKEN_SALT, Event, Registration
from membership.models import current_members


class RegistrationRefused(Exception):
    """A registration the rules refuse; `message` says why, in the visitor's language, `code` names the rule."""

    def __init__(self, message, code):
        super().__init__(str(message))
        self.message = message
        self.code = code


MESSAGES = {
    "closed": _("Registration for this event is closed."),
    "full": _("This event is full: all places are taken and it has no waitlist."),
    "cancelled": _("This event has been cancelled."),
    "duplicate": _(
        "Someone has already registered for this event with this mobile number or e-mail address. "
        "Use the link in the confirmation e-mail to see or cancel that registration."
    ),
    "not_member": _(
        "This event is for member organisations of the alliance only, and we could not find “%(organisation)s” "
        "among the current members. Write the organisation's full name as it appears in the member directory."
    ),
}

# Mainland China mobile numbers: 11 digits starting 13-19 (MIIT numbering plan), optionally
# written with +86 or 0086 and spaces or hyphens.
_MOBILE = re.compile(r"^(?:\+?86|0086)?(1[3-9]\d{9})$")


def normalise_mobile(value):
    """`value` as 11 digits, or raise ValidationError (a clear message) if it is no mainland mobile number.

    Args:
        value: what the visitor typed, e.g. "+86 139-1234-5678".
    Returns:
        str: "13912345678".
    """
    match = _MOBILE.match(re.sub(r"[\s\-()]", "", value or ""))
    if not match:
        raise ValidationError(_("Enter a mainland China mobile number of 11 digits, e.g. 13912345678."), code="mobile")
    return match.group(1)


def current_member(organisation_name):
    """The current member organisation called `organisation_name`, or None.

    The one check members-only events make: a member in good standing as membership defines it
    (`membership.models.current_members`: lapsed members are refused), found by its full, short or
    English name.

    Args:
        organisation_name: the name a registrant typed.
    Returns:
        Organisation or None.
    """
    name = (organisation_name or "").strip()
    if not name:
        return None
    named = (
        Q(name_zh_hans__iexact=name)
        | Q(name_en__iexact=name)
        | Q(name_zh_hant__iexact=name)
        | Q(short_name_zh_hans__iexact=name)
    )
    return current_members().filter(named).first()


def publish(event, when=None, *, user=None):
    """Publish `event` now, or schedule it at `when` (an aware datetime in the future).

    Under review (core.review.review_required()) only reviewers call this, through the admin's
    action or by approving; the step is recorded in the event's review either way.

    Args:
        event: the Event.
        when: None (now), or an aware datetime in the future.
        user: who publishes, recorded in the review steps; None for a command.
    Returns:
        The event, saved.
    Raises:
        ValidationError: `when` is in the past.
    """
    if when is not None and when <= timezone.now():
        raise ValidationError(_("Choose a time in the future to schedule the event."), code="past")
    event.status = Event.Status.PUBLISHED
    event.published_at = when or timezone.now()
    event.save(update_fields=["status", "published_at"])
    event_review.record(event, Action.PUBLISHED, user)
    return event


def unpublish(event, *, user=None):
    """Make `event` a draft again (off the site); its registrations are kept."""
    event.status = Event.Status.DRAFT
    event.save(update_fields=["status"])
    event_review.record(event, Action.UNPUBLISHED, user)
    return event


def _publish_approved(event, user):
    """Publish an approved event: its pending revision (if any) replaces the published text first.

    Its publication time decides: in the future it is scheduled, else it is public now.
    """
    if event.pending_revision is not None:
        revision = event.pending_revision
        apply_revision(event, revision)
        event.pending_revision = None
        event.save()
        for name, pks in revision_many_to_many(revision).items():
            getattr(event, name).set(pks)
    when = event.published_at if event.published_at and event.published_at > timezone.now() else None
    return publish(event, when, user=user)


event_review = core_review.Review(Event, publish=_publish_approved, admin_link=core_review.admin_change_path)


def submit_for_review(event, *, user, comment=""):
    """Submit an event (a draft, a returned event, or a published one's pending revision) for review.

    The reviewers (permission events.review_event: the Reviewers group) are e-mailed.

    Args:
        event: the Event.
        user: the Event staff member submitting it.
        comment: optional note for the reviewer.
    Returns:
        The EventReviewStep recorded.
    Raises:
        core.review.TransitionNotAllowed: already awaiting review, or published with nothing new.
    """
    return event_review.submit(event, user, comment)


def approve_publication(event, *, user, comment=""):
    """Approve an event awaiting review: it is published, or scheduled when its time is in the future.

    A pending revision of a published event replaces the published text. The writer is e-mailed.

    Raises:
        PermissionError: `user` may not review, or created or last changed the event (superusers excepted).
        core.review.TransitionNotAllowed: the event is not awaiting review.
    """
    return event_review.approve(event, user, comment)


def send_back(event, *, user, comment):
    """Return an event awaiting review to its writer with `comment` (required); the writer is e-mailed.

    Raises:
        PermissionError: `user` may not review.
        ValidationError: the comment is empty.
        core.review.TransitionNotAllowed: the event is not awaiting review.
    """
    return event_review.send_back(event, user, comment)


def edits_need_review(event):
    """Whether saving edits to `event` must go through review: review is on and it is published
    (public or scheduled), so its edits wait as a pending revision while the published text stays."""
    return core_review.review_required() and event.pk is not None and event.status == Event.Status.PUBLISHED


@transaction.atomic
def save_pending_revision(event, *, user, many_to_many=None):
    """Keep the edits of a published event as its pending revision; the published text stays public.

    The registration settings (Event.REGISTRATION_SETTINGS) are not reviewed: they are saved at once,
    and places added confirm registrants from the waitlist now.

    Args:
        event: the Event as edited, unsaved (its row holds the published text).
        user: the editor, recorded as the last to change it (so they may not approve it).
        many_to_many: {"offices"|"committees"|"organisations": [pk, ...]} as edited.
    Returns:
        (revision stored (dict), registrations confirmed from the waitlist (list)).
    """
    stored = Event.objects.select_for_update().get(pk=event.pk)
    revision = capture_revision(event, many_to_many)
    if stored.review_state == ReviewState.APPROVED:
        event_review.record(stored, Action.EDITED, user)
    settings = {name: getattr(event, name) for name in Event.REGISTRATION_SETTINGS}
    Event.objects.filter(pk=event.pk).update(pending_revision=revision, last_edited_by=user, **settings)
    event.pending_revision, event.last_edited_by = revision, user
    promoted = set_capacity(event, event.capacity) if event.capacity != stored.capacity else []
    return revision, promoted


def with_pending_revision(event):
    """`event` showing its pending revision, if any, in place of the published text (in memory)."""
    if event.pending_revision is not None:
        apply_revision(event, event.pending_revision)
    return event


def cancel(event):
    """Cancel `event`: registration closes, the page says so, and every registrant still holding or
    waiting for a place is e-mailed (after commit). Cancelling twice changes nothing.

    Returns:
        int: the number of registrants e-mailed.
    """
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.cancelled_at:
            return 0
        event.cancelled_at = timezone.now()
        event.save(update_fields=["cancelled_at"])
        registrants = list(event.registrations.active().exclude(email=""))
        for registration in registrants:
            registration.event = event
            transaction.on_commit(lambda r=registration: notifications.send_event_cancelled(r))
    return len(registrants)


@dataclass
class RegistrationData:
    name: str
    organisation_name: str
    job_title: str
    mobile: str
    email: str
    language: str = "zh-hans"


def register(event_id, data, consent=None):
    """Register a person for an event, exactly within its capacity.

    The event's row is locked (SELECT ... FOR UPDATE) for the transaction, so registrations for
    one event are decided one at a time: with N places and N+k simultaneous registrations, N are
    confirmed and k waitlisted, whichever app server takes them. Events requiring approval take
    registrations as pending. The unique constraints on (event, mobile) and (event, e-mail) of
    active registrations keep a person from holding two.

    Args:
        event_id: the event's primary key.
        data: RegistrationData, the mobile number already normalised.
        consent: a callable given the unsaved Registration to record consent on it, or None.
    Returns:
        Registration, saved, with status confirmed, waitlisted or pending.
    Raises:
        RegistrationRefused: closed, cancelled, duplicate, not_member.
    """
    try:
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event_id)
            if event.is_cancelled:
                raise RegistrationRefused(MESSAGES["cancelled"], "cancelled")
            if not event.registration_is_open:
                raise RegistrationRefused(MESSAGES["closed"], "closed")
            member = current_member(data.organisation_name)
            if event.members_only and member is None:
                message = MESSAGES["not_member"] % {"organisation": data.organisation_name}
                raise RegistrationRefused(message, "not_member")
            active = event.registrations.active()
            if active.filter(Q(mobile=data.mobile) | Q(email__iexact=data.email)).exists():
                raise RegistrationRefused(MESSAGES["duplicate"], "duplicate")
            registration = Registration(
                event=event,
                name=data.name,
                organisation_name=data.organisation_name,
                job_title=data.job_title,
                mobile=data.mobile,
                email=data.email,
                organisation=member,
                language=data.language,
                status=_status_for_new(event),
            )
            if registration.status == Registration.Status.WAITLISTED and not event.waitlist:
                raise RegistrationRefused(MESSAGES["full"], "full")
            if consent is not None:
                consent(registration)
            registration.save()
            transaction.on_commit(lambda: notifications.send_registration_received(registration))
            return registration
    except IntegrityError as error:
        if "registration_one_per" in str(error):
            raise RegistrationRefused(MESSAGES["duplicate"], "duplicate") from error
        raise


def _status_for_new(event):
    if event.requires_approval:
        return Registration.Status.PENDING
    if event.capacity is None:
        return Registration.Status.CONFIRMED
    confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    waiting = event.registrations.filter(status=Registration.Status.WAITLISTED).exists()
    if confirmed < event.capacity and not waiting:
        return Registration.Status.CONFIRMED
    return Registration.Status.WAITLISTED


def registration_from_token(token):
    """The registration a private link's signed token names, or None if the token is not valid.

    The token (Registration.token) is signed with SECRET_KEY and carries the row's id and its
    check-in code, so a changed token, or one of an erased registration, finds nothing.
    """
    try:
        pk, code = signing.loads(token, salt=TOKEN_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Registration.objects.select_related("event").filter(pk=pk, code=code, erased_at__isnull=True).first()


def cancel_registration(registration):
    """The registrant cancels. A confirmed place freed goes to the first on the waitlist
    (promote_from_waitlist), who is e-mailed.

    Returns:
        list[Registration]: the registrations confirmed from the waitlist (empty or one).
    """
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if not registration.is_active:
            return []
        registration.status = Registration.Status.CANCELLED
        registration.status_changed_at = timezone.now()
        registration.save(update_fields=["status", "status_changed_at"])
        return promote_from_waitlist(event)


def promote_from_waitlist(event):
    """Confirm waitlisted registrations, first come first, while places are free; e-mail each.

    Must run in the transaction holding the event's lock (cancel_registration, or an admin raising
    the capacity calls it through set_capacity).

    Returns:
        list[Registration]: those confirmed.
    """
    if event.is_cancelled or event.is_past:
        return []
    confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    free = None if event.capacity is None else event.capacity - confirmed
    waitlist = event.registrations.waitlist().select_for_update()
    promoted = list(waitlist if free is None else waitlist[: max(free, 0)])
    now = timezone.now()
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.status_changed_at = now
        registration.save(update_fields=["status", "status_changed_at"])
        transaction.on_commit(lambda r=registration: notifications.send_promoted(r))
    return promoted


def set_capacity(event, capacity):
    """Change the number of places; extra places go to the waitlist at once."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        event.capacity = capacity
        event.save(update_fields=["capacity"])
        return promote_from_waitlist(event)


def approve(registration):
    """Staff accept a pending registration: confirmed if a place is free, else waitlisted."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Registration.Status.PENDING:
            return registration
        confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
        full = event.capacity is not None and confirmed >= event.capacity
        registration.status = Registration.Status.WAITLISTED if full else Registration.Status.CONFIRMED
        registration.status_changed_at = timezone.now()
        registration.save(update_fields=["status", "status_changed_at"])
        transaction.on_commit(lambda: notifications.send_registration_received(registration))
        return registration


def reject(registration):
    """Staff decline a pending registration."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Registration.Status.PENDING:
            registration.status = Registration.Status.REJECTED
            registration.status_changed_at = timezone.now()
            registration.save(update_fields=["status", "status_changed_at"])
        return registration


class CheckInError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def check_in(event, code):
    """Mark the confirmed registrant with check-in `code` (typed or scanned) as attending `event`.

    Args:
        event: the Event at whose door staff stand.
        code: the code as typed or scanned; case and spaces do not matter.
    Returns:
        (Registration, bool): the registration, and whether it was checked in now (False: before).
    Raises:
        CheckInError: no such code for this event, or the registration is not confirmed.
    """
    code = re.sub(r"\s", "", code or "").upper()
    with transaction.atomic():
        registration = event.registrations.select_for_update().filter(code=code).first()
        if registration is None:
            raise CheckInError(_("No registration for this event has the code “%(code)s”.") % {"code": code})
        if registration.status != Registration.Status.CONFIRMED:
            raise CheckInError(
                _("%(name)s's registration is %(status)s, not confirmed.")
                % {"name": registration.name, "status": registration.get_status_display()}
            )
        if registration.checked_in_at:
            return registration, False
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["checked_in_at"])
        return registration, True


ERASED_FIELDS = {"name": "", "organisation_name": "", "job_title": "", "mobile": "", "email": ""}


def erase_personal_data(days, now=None):
    """Erase the personal data of registrants of events that ended more than `days` days ago.

    Rows stay (statuses, check-in times, the organisation matched), so counts are kept; names,
    organisations typed, job titles, mobile numbers and e-mail addresses are emptied, and the
    private links stop working. PIPL art. 19: kept no longer than the purpose needs.

    Args:
        days: int, days after an event's end.
        now: an aware datetime (tests), else now.
    Returns:
        int: the number of registrations erased.
    """
    now = now or timezone.now()
    events = Event.objects.filter(ends_at__lte=now - timedelta(days=days))
    with transaction.atomic():
        erased = Registration.objects.filter(event__in=events, erased_at__isnull=True).update(
            erased_at=now, **ERASED_FIELDS
        )
        events.filter(personal_data_erased_at__isnull=True).update(personal_data_erased_at=now)
    return erased
