"""Public pages of membership: applying, the private status link, the liaison portal and
member-only documents."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import FormView, TemplateView

from core.cache import public_page
from core.clients import client_ip
from core.uploads import download_disposition
from membership import services
from membership.forms import AmendmentForm, ApplicationForm, ProfileForm
from membership.models import (
    Liaison,
    MemberDocument,
    MembershipApplication,
    ProfileChange,
    Stage,
    current_members,
    standing_of,
)

RATE_WINDOW_SECONDS = 3600


def _rate_key(request):
    return f"membership:applications:{client_ip(request) or 'unknown'}"


def rate_limited(request):
    """Whether this address has sent settings.MEMBERSHIP_APPLICATIONS_PER_HOUR applications this hour."""
    return (cache.get(_rate_key(request)) or 0) >= settings.MEMBERSHIP_APPLICATIONS_PER_HOUR


def count_submission(request):
    key = _rate_key(request)
    if not cache.add(key, 1, RATE_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.add(key, 1, RATE_WINDOW_SECONDS)


@method_decorator(never_cache, name="dispatch")
class ApplyView(FormView):
    """/members/apply/: the application form (入会申请)."""

    template_name = "membership/apply.html"
    form_class = ApplicationForm

    def post(self, request, *args, **kwargs):
        if rate_limited(request):
            form = self.get_form()
            form.errors.clear()
            form.add_error(
                None, _("Too many applications have been sent from your network. Please try again in an hour.")
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        count_submission(self.request)
        if form.is_bot():
            return redirect("membership:apply-done")
        application = form.instance
        application.language = get_language()
        try:
            with transaction.atomic():
                form.save()
                services.submit(application, self.request)
        except IntegrityError:
            form.add_error(
                "credit_code",
                _(
                    "An application for this credit code is already under review. The link in the e-mail "
                    "we sent shows where it stands."
                ),
            )
            return self.form_invalid(form)
        return redirect("membership:apply-done")


@never_cache
def apply_done(request):
    return render(request, "membership/apply_done.html")


@never_cache
def application_status(request, token):
    """/members/apply/status/<token>/: where the application stands; the applicant amends a
    returned application here."""
    try:
        application = services.application_from_token(token)
    except signing.SignatureExpired:
        return render(request, "membership/status_invalid.html", {"expired": True}, status=410)
    except (signing.BadSignature, MembershipApplication.DoesNotExist):
        return render(request, "membership/status_invalid.html", {"expired": False}, status=404)
    form = None
    if application.stage == Stage.RETURNED:
        form = AmendmentForm(request.POST or None, request.FILES or None, instance=application)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                form.save()
                services.amend(application, request)
            messages.success(request, _("Thank you: your application is back with the secretariat."))
            return redirect(request.path)
    events = application.events.exclude(action="amend").order_by("at", "pk")
    returned = application.events.filter(action="return").order_by("-at").first()
    return render(
        request,
        "membership/status.html",
        {"application": application, "events": events, "form": form, "returned": returned},
    )


# --- portal -------------------------------------------------------------------------------------------


class PortalLoginView(auth_views.LoginView):
    template_name = "membership/portal_login.html"
    redirect_authenticated_user = True
    next_page = reverse_lazy("membership:portal")


class PortalLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("membership:portal-login")


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The liaison's set-password link from the invitation (Django's token: one use, time-limited)."""

    template_name = "membership/portal_set_password.html"
    success_url = reverse_lazy("membership:portal")
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set. Welcome to the member portal."))
        return response


class LiaisonMixin(LoginRequiredMixin):
    """A signed-in liaison (the user's Liaison row, with its organisation, as `self.liaison`)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.liaison = Liaison.objects.select_related("organisation", "user").filter(user=request.user).first()
        if self.liaison is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class PortalView(LiaisonMixin, TemplateView):
    """/portal/: the liaison's organisation, its standing, dues, profile edits and documents."""

    template_name = "membership/portal.html"

    def get_context_data(self, **kwargs):
        organisation = self.liaison.organisation
        standing, period = standing_of(organisation)
        return super().get_context_data(
            liaison=self.liaison,
            organisation=organisation,
            standing=standing,
            standing_period=period,
            periods=list(organisation.membership_periods.order_by("-year")),
            changes=list(organisation.profile_changes.order_by("-submitted_at")[:5]),
            documents=list(MemberDocument.objects.all()[:50]),
            may_download=current_members().filter(pk=organisation.pk).exists(),
            **kwargs,
        )


@method_decorator(never_cache, name="dispatch")
class ProfileEditView(LiaisonMixin, FormView):
    """/portal/profile/: the liaison proposes profile changes; staff approve them before they show."""

    template_name = "membership/portal_profile.html"
    form_class = ProfileForm

    def get_initial(self):
        organisation = self.liaison.organisation
        return {name: getattr(organisation, name) for name in ProfileChange.FIELDS}

    def get_context_data(self, **kwargs):
        pending = self.liaison.organisation.profile_changes.filter(status=ProfileChange.Status.PENDING).exists()
        return super().get_context_data(organisation=self.liaison.organisation, pending=pending, **kwargs)

    def form_valid(self, form):
        values = {name: form.cleaned_data.get(name, "") for name in ProfileChange.FIELDS}
        services.propose_profile_change(self.liaison, values, form.cleaned_data.get("logo"))
        messages.success(self.request, _("Thank you. Your changes will appear once the secretariat approves them."))
        return redirect("membership:portal")


# --- member-only documents ------------------------------------------------------------------------------


@require_GET
@public_page
def document_list(request):
    """/members/documents/: the titles of member-only documents, public; the files are not."""
    return render(request, "membership/document_list.html", {"documents": MemberDocument.objects.all()})


@never_cache
@require_GET
def document_download(request, pk):
    """A member-only document, for signed-in liaisons of members in good standing (and staff who
    may view documents)."""
    document = get_object_or_404(MemberDocument, pk=pk)
    user = request.user
    if not user.is_authenticated:
        return redirect(f"{reverse('membership:portal-login')}?next={request.path}")
    allowed = user.has_perm("membership.view_memberdocument") or (
        current_members().filter(liaisons__user=user).exists()
    )
    if not allowed:
        raise PermissionDenied
    try:
        file = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(file, content_type="application/octet-stream")
    name = document.original_name or document.file.name.rsplit("/", 1)[-1]
    response["Content-Disposition"] = download_disposition(name, document.file.name.rsplit("/", 1)[-1])
    return response
