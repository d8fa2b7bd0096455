"""E-mails to registrants, sent after the transaction that changed their registration commits,
in the language they registered in. Confirmations carry the event's calendar file and the QR code
of the check-in code."""

import io

import segno
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from events.calendar import calendar


def site_url(path):
    """`path` as a full URL on the site's first allowed host (mail has no request to ask)."""
    host = next((host for host in settings.ALLOWED_HOSTS if host and not host.startswith(".") and host != "*"), None)
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{host or 'localhost'}{path}"


def qr_png(code):
    """The PNG bytes of a QR code carrying the check-in `code`."""
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def qr_svg(code):
    """An inline SVG of the QR code carrying `code`, for pages (no file, no script)."""
    return segno.make(code, error="m").svg_inline(scale=6, border=2, title=code)


def _send(registration, subject, template, attach_calendar=False):
    if not registration.email:
        return
    with translation.override(registration.language):
        event = registration.event
        context = {
            "registration": registration,
            "event": event,
            "link": site_url(registration.get_absolute_url()),
            "event_link": site_url(event.get_absolute_url()),
        }
        message = EmailMultiAlternatives(
            subject=f"{subject}: {event.title}",
            body=render_to_string(f"events/email/{template}.txt", context),
            to=[registration.email],
        )
        if attach_calendar:
            message.attach("event.ics", calendar([event], site_url), "text/calendar")
            if registration.status == registration.Status.CONFIRMED:
                message.attach(f"check-in-{registration.code}.png", qr_png(registration.code), "image/png")
        message.send()


def send_registration_received(registration):
    """Confirmed, waitlisted or awaiting approval: what the registrant's status is, with their link."""
    with translation.override(registration.language):
        subject = gettext("Your registration")
    _send(registration, subject, "registration", attach_calendar=True)


def send_promoted(registration):
    """A place came free: the registrant moved from the waitlist to confirmed."""
    with translation.override(registration.language):
        subject = gettext("A place is yours")
    _send(registration, subject, "promoted", attach_calendar=True)


def send_event_cancelled(registration):
    with translation.override(registration.language):
        subject = gettext("Event cancelled")
    _send(registration, subject, "cancelled")
