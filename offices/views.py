import datetime
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from core.cache import public_page
from members.models import Person, Role, alphabetical_key
from offices.models import Committee, CommitteeSeat, CouncilSeat, Office, OfficeMembership

# Current terms first, then the most recently ended.
CURRENT_FIRST = F("ended_on").desc(nulls_first=True)

MEMBER_LINK_FIELDS = ["slug", *(f"name_{language}" for language in ("zh_hans", "en", "zh_hant"))]


@method_decorator(public_page, name="dispatch")
class OfficeListView(ListView):
    template_name = "offices/office_list.html"
    context_object_name = "offices"

    def get_queryset(self):
        return Office.objects.with_member_count().order_by("ordinal", "pk")

    def get_context_data(self, **kwargs):
        alliance_committees = Committee.objects.filter(office__isnull=True).prefetch_related(
            Prefetch("seats", queryset=CommitteeSeat.objects.current().by_rank().select_related("organisation"))
        )
        return super().get_context_data(alliance_committees=alliance_committees, **kwargs)


@method_decorator(public_page, name="dispatch")
class OfficeDetailView(DetailView):
    """An office: its council by role in rank order, committees, member units, past councils, news."""

    template_name = "offices/office_detail.html"
    context_object_name = "office"
    # Sections from apps above offices (see alliance_site.pages): objects with `template_name` and
    # `context(office)` -> dict.
    sections = ()

    def get_queryset(self):
        seats = CouncilSeat.objects.select_related("organisation", "representative")
        return Office.objects.prefetch_related(
            Prefetch("council_seats", queryset=seats.current().by_rank(), to_attr="current_council"),
            Prefetch(
                "council_seats",
                queryset=seats.past().order_by("-ended_on", Role.rank_expression(), "sort_order", "pk"),
                to_attr="past_council",
            ),
            Prefetch(
                "committees",
                queryset=Committee.objects.prefetch_related(
                    Prefetch(
                        "seats",
                        queryset=CommitteeSeat.objects.current().by_rank().select_related("organisation"),
                        to_attr="current_seats",
                    )
                ),
            ),
            Prefetch(
                "memberships",
                queryset=OfficeMembership.objects.current()
                .select_related("organisation")
                # An office may have hundreds of member units: only what their links show.
                .only("office", *(f"organisation__{name}" for name in MEMBER_LINK_FIELDS))
                .order_by(alphabetical_key("organisation__"), "pk"),
                to_attr="current_members",
            ),
        )

    def get_context_data(self, **kwargs):
        sections = [{"template_name": s.template_name, **s.context(self.object)} for s in self.sections]
        return super().get_context_data(sections=sections, **kwargs)


class OfficeDirectoryFilter:
    """Member directory filter: member units and council seat holders of one office."""

    param = "office"
    label = _("District office")

    def choices(self):
        return [(office.slug, str(office)) for office in Office.objects.order_by("ordinal", "pk")]

    def apply(self, organisations, slug):
        in_office = Q(pk__in=OfficeMembership.objects.current().filter(office__slug=slug).values("organisation"))
        on_council = Q(pk__in=CouncilSeat.objects.current().filter(office__slug=slug).values("organisation"))
        return organisations.filter(in_office | on_council)


class OfficePositionsSection:
    """Organisation page: its council and committee seats and office memberships, current ones first."""

    template_name = "offices/includes/organisation_positions.html"

    def context(self, organisation):
        council_seats = organisation.council_seats.select_related("office", "representative").order_by(
            CURRENT_FIRST, "office__ordinal", Role.rank_expression()
        )
        committee_seats = organisation.committee_seats.select_related("committee__office", "representative").order_by(
            CURRENT_FIRST, Role.rank_expression()
        )
        memberships = organisation.office_memberships.select_related("office").order_by(
            F("left_on").desc(nulls_first=True), "office__ordinal"
        )
        positions = [
            *(
                Position(
                    seat.office, seat.get_role_display(), seat.started_on, seat.ended_on, seat.representative, True
                )
                for seat in council_seats
            ),
            *(
                Position(seat.committee, seat.get_role_display(), seat.started_on, seat.ended_on, seat.representative)
                for seat in committee_seats
            ),
            *(Position(m.office, None, m.joined_on, m.left_on, first_batch=m.batch == 1) for m in memberships),
        ]
        positions.sort(key=lambda position: not position.is_current)  # stable: each kind keeps its order
        return {"positions": positions}


@dataclass
class Position:
    """A row of an organisation's positions: a council seat, a committee seat or a membership."""

    body: Office | Committee
    role: str | None  # None for a member unit
    started_on: datetime.date | None
    ended_on: datetime.date | None
    representative: Person | None = None
    on_council: bool = False
    first_batch: bool = False

    @property
    def is_current(self):
        return self.ended_on is None
