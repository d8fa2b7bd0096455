"""Membership business rules: applications through their stages, admission, liaisons, profile
edits, renewal reminders and personal data (PIPL).

Views, the admin and the commands call these; each change of an application is one
`ApplicationEvent` (who, when, comment) written in the same transaction as the change.
"""

import datetime
import json
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from core.groups import MEMBERSHIP_SECRETARIAT
from members.models import Organisation, Person
from membership.models import (
    GRACE_PERIOD,
    TRANSITIONS,
    Action,
    ApplicationEvent,
    Liaison,
    MembershipApplication,
    MembershipPeriod,
    ProfileChange,
    RenewalReminder,
    Stage,
)
from offices.models import OfficeMembership

STATUS_TOKEN_SALT = "membership.application-status"  # noqa: S105 (a signing salt, not a secret)


class TransitionNotAllowed(Exception):
    """An action that the state machine does not allow from the application's stage."""


# --- links and e-mail ---------------------------------------------------------------------------


def absolute_url(path, request=None):
    """`path` as a full address: on the host of `request`, else on `settings.SITE_URL`."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


def _localised_path(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def send_message(template, recipients, context, language):
    """E-mail `membership/email/<template>_subject.txt` and `_body.txt`, rendered in `language`.

    Sent once the current transaction commits, so a rolled-back decision sends nothing.
    """
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    with translation.override(language):
        subject = " ".join(render_to_string(f"membership/email/{template}_subject.txt", context).split())
        body = render_to_string(f"membership/email/{template}_body.txt", context)

    def send():
        send_mail(subject, body, None, recipients)

    transaction.on_commit(send)


def status_token(application):
    """The signed token of an application's private status link (no database row needed)."""
    return signing.dumps(application.pk, salt=STATUS_TOKEN_SALT)


def application_from_token(token):
    """The application a status token names.

    Raises:
        signing.SignatureExpired: older than settings.MEMBERSHIP_STATUS_LINK_MAX_AGE_DAYS.
        signing.BadSignature: tampered with, or not a token.
        MembershipApplication.DoesNotExist: the application was deleted.
    """
    max_age = datetime.timedelta(days=settings.MEMBERSHIP_STATUS_LINK_MAX_AGE_DAYS)
    pk = signing.loads(token, salt=STATUS_TOKEN_SALT, max_age=max_age)
    return MembershipApplication.objects.get(pk=pk)


def status_url(application, request=None):
    path = _localised_path("membership:application-status", application.language, token=status_token(application))
    return absolute_url(path, request)


def _notify_applicant(application, template, comment="", request=None):
    send_message(
        template,
        [application.contact_email],
        {"application": application, "comment": comment, "status_url": status_url(application, request)},
        application.language,
    )


def _group_addresses(name):
    users = get_user_model().objects.filter(groups__name=name, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


# --- applications ---------------------------------------------------------------------------------


@transaction.atomic
def submit(application, request=None):
    """Record a new application (already saved by the form): its first history entry, the
    organisation already holding its credit code, and the e-mails to the applicant (with the
    private status link) and to the membership secretariat.

    Args:
        application: a saved MembershipApplication in stage SUBMITTED.
        request: the applicant's request, for full links on its host.
    Returns:
        the application.
    """
    existing = Organisation.objects.filter(credit_code=application.credit_code).first()
    if existing is not None:
        application.organisation = existing
        application.from_existing_member = existing.is_member
        application.save(update_fields=["organisation", "from_existing_member"])
    ApplicationEvent.objects.create(
        application=application, action=Action.SUBMIT, source="", target=Stage.SUBMITTED, at=application.submitted_at
    )
    _notify_applicant(application, "application_received", request=request)
    admin_path = reverse("admin:membership_membershipapplication_change", args=[application.pk])
    send_message(
        "application_new",
        _group_addresses(MEMBERSHIP_SECRETARIAT),
        {"application": application, "admin_url": absolute_url(admin_path, request)},
        settings.LANGUAGE_CODE,
    )
    return application


def transition(application, action, user=None, comment="", request=None):
    """Move `application` by `action` (see models.TRANSITIONS), recording who, when and why.

    Args:
        application: a MembershipApplication.
        action: an `Action`; AMEND is the applicant's (user None), through the status link.
        user: the staff user deciding; must hold the action's permission.
        comment: the reason; required to return or reject.
    Returns:
        the ApplicationEvent recorded.
    Raises:
        TransitionNotAllowed: the action is not allowed from the application's current stage
            (read under a row lock, so two decisions at once cannot both pass).
        PermissionDenied: `user` lacks the permission of the action.
        ValidationError: a reason is required and none was given.
    """
    rule = TRANSITIONS.get(action)
    if rule is None:
        raise TransitionNotAllowed(f"unknown action {action!r}")
    if rule.permission is None and user is not None:
        raise PermissionDenied("only the applicant may take this action")
    if rule.permission is not None and (user is None or not user.has_perm(rule.permission)):
        raise PermissionDenied(f"{action} needs {rule.permission}")
    comment = (comment or "").strip()
    if rule.needs_comment and not comment:
        raise ValidationError(_("Give a reason: the applicant is told it."), code="reason_required")
    with transaction.atomic():
        locked = MembershipApplication.objects.select_for_update().get(pk=application.pk)
        if locked.stage != rule.source:
            raise TransitionNotAllowed(f"{action} is not allowed from {locked.stage} (only from {rule.source})")
        application.stage = rule.target
        fields = ["stage"]
        if rule.target in (Stage.APPROVED, Stage.REJECTED):
            application.decided_at = timezone.now()
            fields.append("decided_at")
        if action == Action.APPROVE:
            admit(application, user, request=request)
            fields.append("organisation")
        application.save(update_fields=fields)
        event = ApplicationEvent.objects.create(
            application=application, action=action, source=rule.source, target=rule.target, actor=user, comment=comment
        )
        template = {
            Action.ACCEPT: "application_accepted",
            Action.RETURN: "application_returned",
            Action.SECRETARIAT_REJECT: "application_rejected",
            Action.COUNCIL_REJECT: "application_rejected",
            Action.APPROVE: "application_approved",
        }.get(action)
        if template:
            _notify_applicant(application, template, comment, request)
    return event


def admit(application, user, request=None):
    """Make the applicant a member, in the caller's transaction (transition APPROVE calls it).

    Creates the organisation (or takes the one with the same credit code), its office
    memberships for the offices applied to, the contact person as its representative, the
    liaison account (invited by e-mail to set a password) and the membership period of the
    current dues year (ending 31 December, dues to be recorded by staff).

    Returns:
        the Liaison.
    """
    today = timezone.localdate()
    organisation = application.organisation or Organisation.objects.filter(credit_code=application.credit_code).first()
    if organisation is None:
        organisation = Organisation(
            name_zh_hans=application.name,
            name_en=application.name_en,
            kind=application.kind,
            credit_code=application.credit_code,
            address_zh_hans=application.address,
            website=application.website,
            description_zh_hans=application.description,
        )
    organisation.is_member = True
    organisation.joined_on = organisation.joined_on or today
    organisation.save()
    application.organisation = organisation
    for office in application.offices.all():
        if not OfficeMembership.objects.current().filter(office=office, organisation=organisation).exists():
            OfficeMembership.objects.create(office=office, organisation=organisation, joined_on=today)
    person = Person.objects.create(
        name_zh_hans=application.contact_name, job_title_zh_hans=application.contact_title, organisation=organisation
    )
    liaison = _create_liaison(application, organisation, person)
    if not organisation.membership_periods.filter(year=today.year).exists():
        MembershipPeriod.objects.create(
            organisation=organisation, year=today.year, starts_on=today, ends_on=datetime.date(today.year, 12, 31)
        )
    invite_liaison(liaison, request)
    return liaison


def _create_liaison(application, organisation, person):
    User = get_user_model()
    email = application.contact_email.strip()
    username = email.lower()
    while User.objects.filter(username=username).exists():
        username = f"{email.lower()}-{secrets.token_hex(2)}"
    user = User(username=username, email=email, first_name=application.contact_name[:150], is_staff=False)
    user.set_unusable_password()
    user.save()
    return Liaison.objects.create(
        user=user,
        organisation=organisation,
        person=person,
        mobile=application.contact_mobile,
        language=application.language,
    )


def password_link(user, language, request=None):
    """The one-time link that lets `user` set a password (Django's PasswordResetTokenGenerator):
    it stops working once the password is set, and after settings.PASSWORD_RESET_TIMEOUT."""
    path = _localised_path(
        "membership:portal-set-password",
        language,
        uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
        token=default_token_generator.make_token(user),
    )
    return absolute_url(path, request)


def invite_liaison(liaison, request=None):
    """E-mail a liaison the link to set their password and sign in to the portal."""
    send_message(
        "liaison_invitation",
        [liaison.user.email],
        {
            "liaison": liaison,
            "organisation": liaison.organisation,
            "link": password_link(liaison.user, liaison.language, request),
            "portal_url": absolute_url(_localised_path("membership:portal", liaison.language), request),
            "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        },
        liaison.language,
    )


@transaction.atomic
def amend(application, request=None):
    """The applicant sent the information asked for: the application goes back to the secretariat.

    Args:
        application: a RETURNED application whose fields the amendment form has saved.
    Raises:
        TransitionNotAllowed: the application is not RETURNED.
    """
    event = transition(application, Action.AMEND, None, request=request)
    admin_path = reverse("admin:membership_membershipapplication_change", args=[application.pk])
    send_message(
        "application_new",
        _group_addresses(MEMBERSHIP_SECRETARIAT),
        {"application": application, "admin_url": absolute_url(admin_path, request), "amended": True},
        settings.LANGUAGE_CODE,
    )
    return event


# --- liaisons' profile edits ----------------------------------------------------------------------


def propose_profile_change(liaison, values, logo=None):
    """A liaison's edit of the organisation's profile, waiting for staff (the public page keeps the
    old values until `approve_profile_change`).

    Args:
        liaison: the Liaison.
        values: {field name: value} for the fields of ProfileChange.FIELDS.
        logo: a new logo upload, or None.
    Returns:
        the ProfileChange.
    """
    change = ProfileChange(organisation=liaison.organisation, submitted_by=liaison.user, logo=logo or "")
    for name in ProfileChange.FIELDS:
        setattr(change, name, values.get(name, ""))
    change.save()
    return change


@transaction.atomic
def approve_profile_change(change, user):
    """Publish a pending profile edit on the organisation.

    Raises:
        ValidationError: the edit is not pending.
    """
    change = ProfileChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ProfileChange.Status.PENDING:
        raise ValidationError(_("This edit has already been reviewed."), code="reviewed")
    organisation = Organisation.objects.select_for_update().get(pk=change.organisation_id)
    for name in ProfileChange.FIELDS:
        setattr(organisation, name, getattr(change, name))
    if change.logo:
        # A copy of its own: the organisation's logo must not go when the edit's row is deleted.
        with change.logo.open("rb") as upload:
            organisation.logo = ContentFile(upload.read(), name=change.logo.name.rsplit("/", 1)[-1])
    organisation.save()
    change.status, change.reviewed_by, change.reviewed_at = ProfileChange.Status.APPROVED, user, timezone.now()
    change.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return change


@transaction.atomic
def reject_profile_change(change, user, reason):
    """Turn down a pending profile edit and tell the liaison why (by e-mail and in the portal).

    Raises:
        ValidationError: no reason, or the edit is not pending.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason: the liaison is told it."), code="reason_required")
    change = ProfileChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ProfileChange.Status.PENDING:
        raise ValidationError(_("This edit has already been reviewed."), code="reviewed")
    change.status, change.reviewed_by, change.reviewed_at = ProfileChange.Status.REJECTED, user, timezone.now()
    change.reason = reason
    change.save(update_fields=["status", "reviewed_by", "reviewed_at", "reason"])
    liaison = getattr(change.submitted_by, "liaison", None)
    send_message(
        "profile_rejected",
        [change.submitted_by.email],
        {"change": change, "organisation": change.organisation},
        liaison.language if liaison else settings.LANGUAGE_CODE,
    )
    return change


# --- renewals ---------------------------------------------------------------------------------------


def send_renewal_reminders(today=None):
    """E-mail the liaisons of organisations whose period ends within
    settings.MEMBERSHIP_RENEWAL_NOTICE_DAYS, and of those whose membership lapsed (period and grace
    period over, no later period). Each reminder is recorded (RenewalReminder, one per period and
    kind), so running it again, daily from cron, sends nothing twice.

    Returns:
        {"before_end": int, "lapsed": int}: the reminders sent now.
    """
    today = today or timezone.localdate()
    notice = datetime.timedelta(days=settings.MEMBERSHIP_RENEWAL_NOTICE_DAYS)
    sent = {RenewalReminder.Kind.BEFORE_END: 0, RenewalReminder.Kind.LAPSED: 0}
    candidates = {
        RenewalReminder.Kind.BEFORE_END: MembershipPeriod.objects.filter(
            ends_on__gte=today, ends_on__lte=today + notice
        ),
        RenewalReminder.Kind.LAPSED: MembershipPeriod.objects.filter(
            ends_on__lt=today - GRACE_PERIOD, ends_on__gte=today - GRACE_PERIOD - notice
        ),
    }
    for kind, periods in candidates.items():
        for period in periods.select_related("organisation").exclude(reminders__kind=kind):
            later = MembershipPeriod.objects.filter(organisation=period.organisation_id, ends_on__gt=period.ends_on)
            if later.exists():
                continue  # renewed already
            liaisons = list(
                Liaison.objects.filter(organisation=period.organisation_id, user__is_active=True).select_related("user")
            )
            addresses = [liaison.user.email for liaison in liaisons if liaison.user.email]
            if not addresses:
                continue
            with transaction.atomic():
                _reminder, created = RenewalReminder.objects.get_or_create(
                    period=period, kind=kind, defaults={"recipients": ", ".join(addresses)}
                )
                if not created:
                    continue
                language = liaisons[0].language
                send_message(
                    f"renewal_{kind}",
                    addresses,
                    {
                        "period": period,
                        "organisation": period.organisation,
                        "grace_ends": period.ends_on + GRACE_PERIOD,
                        "portal_url": absolute_url(_localised_path("membership:portal", language)),
                    },
                    language,
                )
            sent[kind] += 1
    return {str(kind): count for kind, count in sent.items()}


# --- personal data (PIPL) ----------------------------------------------------------------------------

PERSONAL_FIELDS = ("contact_name", "contact_title", "contact_mobile", "contact_email")
ERASED = "—"


def erase_application_personal_data(application):
    """Blank an application's contact person and delete its licence file; the rest stays."""
    for name in PERSONAL_FIELDS:
        setattr(application, name, ERASED if name != "contact_email" else "erased@invalid")
    if application.licence:
        application.licence.delete(save=False)
    application.licence = ""
    application.personal_data_erased_at = timezone.now()
    application.save(update_fields=[*PERSONAL_FIELDS, "licence", "personal_data_erased_at"])


def erase_rejected_applications(today=None):
    """Erase the personal fields of applications rejected more than
    settings.MEMBERSHIP_APPLICATION_RETENTION_DAYS ago (PIPL art. 19: kept no longer than needed).

    Returns:
        int: how many applications were erased now.
    """
    now = timezone.now() if today is None else timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    cutoff = now - datetime.timedelta(days=settings.MEMBERSHIP_APPLICATION_RETENTION_DAYS)
    due = MembershipApplication.objects.filter(
        stage=Stage.REJECTED, decided_at__lt=cutoff, personal_data_erased_at__isnull=True
    )
    count = 0
    for application in due:
        with transaction.atomic():
            erase_application_personal_data(application)
        count += 1
    return count


def _held_about(email):
    applications = MembershipApplication.objects.filter(contact_email__iexact=email).exclude(contact_email="")
    liaisons = Liaison.objects.filter(user__email__iexact=email).select_related("user", "organisation", "person")
    return applications, liaisons


def personal_data_of(email):
    """Everything held about the contact person with this e-mail address (PIPL art. 45).

    Returns:
        {"email": str, "applications": [dict], "liaison_accounts": [dict]} (JSON-serialisable).
    """
    applications, liaisons = _held_about(email)
    return {
        "email": email,
        "applications": [
            {
                "id": application.pk,
                "organisation": application.name,
                "submitted_at": application.submitted_at.isoformat(),
                "stage": application.stage,
                "consent_given_at": application.consent_given_at.isoformat() if application.consent_given_at else None,
                "consent_policy_version": application.consent_policy.version if application.consent_policy else None,
                **{name: getattr(application, name) for name in PERSONAL_FIELDS},
                "licence": application.licence.name or None,
            }
            for application in applications.select_related("consent_policy")
        ],
        "liaison_accounts": [
            {
                "username": liaison.user.get_username(),
                "name": liaison.user.get_full_name(),
                "email": liaison.user.email,
                "mobile": liaison.mobile,
                "organisation": str(liaison.organisation),
                "person": str(liaison.person) if liaison.person else None,
                "last_login": liaison.user.last_login.isoformat() if liaison.user.last_login else None,
            }
            for liaison in liaisons
        ],
    }


def personal_data_json(email):
    return json.dumps(personal_data_of(email), ensure_ascii=False, indent=2)


@transaction.atomic
def erase_personal_data(email):
    """Erase what is held about the contact person with this e-mail address (PIPL art. 47):
    the applications' contact fields and licences, and the liaison accounts (deactivated, name,
    e-mail and mobile blanked; the representative person row is removed).

    Returns:
        {"applications": int, "liaison_accounts": int}: how many rows were erased.
    """
    applications, liaisons = _held_about(email)
    application_count = 0
    for application in applications:
        erase_application_personal_data(application)
        application_count += 1
    liaison_count = 0
    for liaison in liaisons:
        user = liaison.user
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        if liaison.person is not None:
            liaison.person.delete()
        liaison.mobile = ""
        liaison.save(update_fields=["mobile"])
        liaison_count += 1
    return {"applications": application_count, "liaison_accounts": liaison_count}
