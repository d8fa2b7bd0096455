from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from compliance.models import PrivacyPolicy
from core.cache import public_page


@require_GET
@public_page
def privacy(request):
    """The privacy policy in force, with its version number and date."""
    policy = PrivacyPolicy.objects.current()
    if policy is None:
        raise Http404("No privacy policy is in force.")
    return render(request, "compliance/privacy.html", {"policy": policy})
