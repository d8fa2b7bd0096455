from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from compliance import services
from compliance.forms import ContactForm
from compliance.models import PrivacyPolicy
from core.cache import public_page
from core.clients import client_ip


@require_GET
@public_page
def privacy(request):
    """The privacy policy in force, with its version number and date."""
    policy = PrivacyPolicy.objects.current()
    if policy is None:
        raise Http404("No privacy policy is in force.")
    return render(request, "compliance/privacy.html", {"policy": policy})


@require_http_methods(["GET", "HEAD", "POST"])
def contact(request):
    """The contact form. Not a cached page: it carries a CSRF token of the visitor's own.

    A valid message is stored and e-mailed (compliance.services.take_contact_message), then the
    visitor is sent to the confirmation. Refused: invalid input, no consent, the trap field
    filled, more than CONTACT_LIMIT submissions a minute from one address.
    """
    refusal, status = None, 200
    if request.method == "POST":
        form = ContactForm(data=request.POST)
        if not services.contact_allowed(client_ip(request)):
            refusal = _("Too many messages were sent from your address. Please wait a minute and try again.")
            status = 429
        elif form.is_valid():
            if form.is_spam():
                refusal = _("Your message was not sent: the field “Leave this empty” was filled in.")
            else:
                services.take_contact_message(form, get_language())
                return HttpResponseRedirect(reverse("contact") + "?sent=1")
    else:
        form = ContactForm()
    return render(
        request,
        "compliance/contact.html",
        {"form": form, "refusal": refusal, "sent": request.GET.get("sent") == "1" and request.method == "GET"},
        status=status,
    )
