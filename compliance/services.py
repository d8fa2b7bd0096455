"""Rules of the compliance app with names: taking a contact message, the contact form's rate limit."""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from compliance.models import SiteSettings

logger = logging.getLogger(__name__)

# At most this many contact form submissions per visitor address in CONTACT_WINDOW_SECONDS.
CONTACT_LIMIT = 3
CONTACT_WINDOW_SECONDS = 60


def contact_allowed(address):
    """Count one contact form submission from `address` and say whether it is within the limit.

    Args:
        address: the visitor's address (core.clients.client_ip), or None (counted as one visitor).
    Returns:
        bool: False once more than CONTACT_LIMIT submissions came from the address in the current
        window of CONTACT_WINDOW_SECONDS (a fixed window starting at the first of them).
    """
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]
    key = f"contact-rate:{digest}"
    cache.add(key, 0, CONTACT_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, CONTACT_WINDOW_SECONDS)
        count = 1
    return count <= CONTACT_LIMIT


def secretariat_addresses():
    """Where contact messages are e-mailed: the site settings' e-mail, else settings.MANAGERS."""
    email = SiteSettings.load().email
    return [email] if email else [address for _name, address in settings.MANAGERS]


def take_contact_message(form, language):
    """Store a valid ContactForm's message with its consent and e-mail it to the secretariat.

    Args:
        form: a bound, valid compliance.forms.ContactForm.
        language: the language the visitor wrote in (stored with the message).
    Returns:
        The saved ContactMessage. A failure to send the e-mail is logged, not raised: the message
        is in the admin either way.
    """
    message = form.save(commit=False)
    message.language = language
    form.record_consent(message)
    message.save()
    recipients = secretariat_addresses()
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Contact form: %(name)s") % {"name": message.name}
            body = render_to_string("compliance/contact_email.txt", {"message": message})
        try:
            send_mail(subject, body, None, recipients)
        except OSError:
            logger.exception("The contact message %s could not be e-mailed.", message.pk)
    return message
