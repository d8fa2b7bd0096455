from django.db.models import Case, Count, F, Prefetch, Q, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic import DetailView, ListView

from core.cache import VersionedCountPaginator, page_number, public_page
from events import services
from events.calendar import calendar
from events.forms import RegistrationForm
from events.models import Event, EventKind, Registration
from events.notifications import qr_svg
from offices.models import Committee, Office


def _slug(value):
    return value.strip()[:100]


def _kind(value):
    return value if value in EventKind.values else ""


@method_decorator(
    public_page(query={"page": page_number, "office": _slug, "committee": _slug, "kind": _kind}), name="dispatch"
)
class EventListView(ListView):
    """Upcoming events, the soonest first, then the archive of past ones, 20 a page; filtered by
    office, special committee and kind."""

    template_name = "events/event_list.html"
    paginate_by = 20
    paginator_class = VersionedCountPaginator

    def get(self, request, *args, **kwargs):
        self.office = self._filter_object(Office, "office")
        self.committee = self._filter_object(Committee, "committee")
        self.kind = request.GET.get("kind", "")
        return super().get(request, *args, **kwargs)

    def _filter_object(self, model, parameter):
        slug = self.request.GET.get(parameter, "")
        return get_object_or_404(model, slug=slug) if slug else None

    def filtered(self):
        events = Event.objects.published().for_listing()
        if self.office:
            events = events.filter(offices=self.office)
        if self.committee:
            events = events.filter(committees=self.committee)
        if self.kind:
            events = events.filter(kind=self.kind)
        return events

    def get_queryset(self):
        return self.filtered().past()

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        name = f"events-archive|{self.office and self.office.pk}|{self.committee and self.committee.pk}|{self.kind}"
        return self.paginator_class(queryset, per_page, name=name, orphans=orphans, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        first_page = context["page_obj"].number == 1
        context.update(
            upcoming=list(self.filtered().upcoming()) if first_page else [],
            past=context["object_list"],
            office=self.office,
            committee=self.committee,
            kind=self.kind,
            kinds=EventKind.choices,
            offices=Office.objects.order_by("ordinal", "pk"),
            committees=Committee.objects.order_by("pk"),
        )
        return context


def registration_counts(event):
    """{'confirmed': int, 'waitlisted': int, 'pending': int}: one query, whatever the number of registrations."""
    status = Registration.Status
    return event.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=status.WAITLISTED)),
        pending=Count("pk", filter=Q(status=status.PENDING)),
    )


def event_context(request, event, form=None):
    """What the event page shows: counts, places left, organisers, the form while registration is open."""
    counts = registration_counts(event)
    places_left = event.places_left(counts["confirmed"])
    absolute_url = request.build_absolute_uri
    context = {
        "event": event,
        "counts": counts,
        "places_left": places_left,
        "full": places_left == 0 or counts["waitlisted"] > 0,
        "registration_open": event.registration_is_open,
        "json_ld": event.structured_data(absolute_url),
        "canonical_url": absolute_url(event.get_absolute_url()),
    }
    if event.registration_is_open:
        context["form"] = form or RegistrationForm()
    return context


def event_queryset(user):
    language = get_language().replace("-", "_")
    unused = [f"body_{code}" for code in ("en", "zh_hant") if code != language]
    return (
        Event.objects.defer("search_document", *unused)
        .prefetch_related(
            "offices", Prefetch("committees", queryset=Committee.objects.select_related("office")), "organisations"
        )
        .visible_to(user)
    )


@method_decorator(public_page, name="dispatch")
class EventDetailView(DetailView):
    """An event at its canonical address (a wrong slug 301s); those who may preview see drafts."""

    template_name = "events/event_detail.html"
    context_object_name = "event"
    # Sections that apps above add (alliance_site.pages): objects with `template_name` and `context(event)`.
    sections = ()

    def get_queryset(self):
        return event_queryset(self.request.user)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.slug != kwargs["slug"]:
            return redirect(self.object, permanent=True)
        context = event_context(request, self.object)
        context["sections"] = [
            {"template_name": section.template_name, **section.context(self.object)} for section in self.sections
        ]
        response = self.render_to_response(context)
        if not self.object.is_published:
            response.public_page = False
            add_never_cache_headers(response)
        return response


# The registration form sits on the event page, which is cached and the same for every visitor,
# so it carries no CSRF token; the form acts for no signed-in user and creates nothing a forged
# request could abuse that the visitor could not do by filling it in.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def register(request, pk):
    """GET: the form; POST: register. Success leads to the registrant's private page (303)."""
    event = get_object_or_404(event_queryset(request.user), pk=pk)
    form = RegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and event.registration_is_open:
            try:
                registration = services.register(
                    event.pk, form.registration_data(get_language()), consent=form.record_consent
                )
            except services.RegistrationRefused as refused:
                form.add_error(None, refused.message)
            else:
                response = redirect(registration.get_absolute_url())
                response.status_code = 303  # See Other: the next request is a GET
                return response
        elif form.is_valid():
            form.add_error(None, services.MESSAGES["cancelled" if event.is_cancelled else "closed"])
        status = 400
    context = event_context(request, event, form)
    context["form"] = form
    return render(request, "events/register.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def registration(request, token):
    """The registrant's private page: status, check-in code and QR, and a button to cancel."""
    found = services.registration_from_token(token)
    if found is None:
        return render(request, "events/registration_invalid.html", status=404)
    cancelled_now = False
    if request.method == "POST" and request.POST.get("action") == "cancel":
        services.cancel_registration(found)
        found.refresh_from_db()
        cancelled_now = True
    context = {
        "registration": found,
        "event": found.event,
        "cancelled_now": cancelled_now,
        "qr": qr_svg(found.code) if found.status == Registration.Status.CONFIRMED else "",
    }
    response = render(request, "events/registration.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"  # the token never leaves the site in a Referer
    return response


def _ics(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@public_page
def event_calendar(request, pk, slug):
    """The event as a calendar file (.ics)."""
    event = get_object_or_404(Event.objects.published(), pk=pk)
    return _ics(calendar([event], request.build_absolute_uri, name=event.title), f"event-{event.pk}.ics")


@require_GET
@public_page
def feed(request):
    """Every upcoming published event as one calendar file, to subscribe to."""
    events = Event.objects.published().for_listing().upcoming()
    return _ics(calendar(events, request.build_absolute_uri), "events.ics")


class EventsSection:
    """A section of an office, committee or organisation page: its upcoming and latest events."""

    template_name = "events/includes/related_events.html"
    count = 6

    def __init__(self, relation):
        self.relation = relation

    def context(self, subject):
        related = Q(**{self.relation: subject})
        if self.relation == "offices":
            related |= Q(committees__office=subject)
        matching = Event.objects.filter(related).values("pk")
        events = Event.objects.published().for_listing().filter(pk__in=matching)
        # One query however many are upcoming: the upcoming ones, the soonest first, then the past
        # ones, the latest first (the orders of `upcoming()` and `past()`).
        over = Q(ends_at__lte=timezone.now())
        upcoming_key = Case(When(over, then=None), default=F("starts_at"))
        upcoming_pk = Case(When(over, then=None), default=F("pk"))
        events = events.annotate(is_over=Case(When(over, then=Value(1)), default=Value(0))).order_by(
            "is_over",
            upcoming_key.asc(),
            upcoming_pk.asc(),
            F("starts_at").desc(),
            F("pk").desc(),
        )
        return {"events": list(events[: self.count]), "events_subject": subject, "events_filter": self.relation}
