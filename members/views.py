"""The member directory and organisation pages, as members alone knows them.

members knows nothing of the apps built on it: the site's pages (alliance_site.pages) extend these
views with what offices and news know about organisations, through the class attributes below.
"""

from string import ascii_uppercase

from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from core.cache import page_number, public_page
from core.search import filter_by_search, search_text
from members.models import OTHER_INITIAL, AlliancePosition, Organisation, OrganisationKind, Role

SEARCH_QUERY_MAX_LENGTH = 100

INITIALS = {*ascii_uppercase, OTHER_INITIAL}

# Roles the directory filters by; "member" is what the whole directory lists.
DIRECTORY_ROLES = [role for role in Role if role != Role.MEMBER]


def initial_letter(value):
    """A `letter` parameter as the initial it filters by (upper case), or "" for none."""
    initial = value.strip().upper()
    return initial if initial in INITIALS else ""


def choice_of(choices):
    """A normaliser keeping a parameter only when its value is one of `choices`."""
    return lambda value: value if value in choices else ""


class DirectoryView(ListView):
    """Member organisations A-Z by pinyin, with filters by kind, office and role, and search.

    Served as a public page by the site (alliance_site.pages), which knows every filter it has.
    """

    template_name = "members/directory.html"
    context_object_name = "organisations"
    paginate_by = 60
    # Filters from apps above members: objects with `param`, `label`, `choices()` -> [(value, label)]
    # and `apply(queryset, value)`.
    directory_filters = ()
    # Callable role -> querysets of ids of organisations holding the role outside the alliance.
    role_holders = staticmethod(lambda role: ())
    # Callable -> the organisations the directory lists; the site narrows it to members in good
    # standing (membership.models.current_members).
    listed_members = staticmethod(lambda: Organisation.objects.members())

    @classmethod
    def query_parameters(cls):
        """The parameters the directory reads: paging, search, initial, kind, role and its filters.

        Returns:
            dict: parameter name -> function normalising its value, for `core.cache.public_page`.
        """
        return {
            "page": page_number,
            "q": search_text,
            "letter": initial_letter,
            "kind": choice_of(OrganisationKind.values),
            "role": choice_of([role.value for role in DIRECTORY_ROLES]),
            **{extra.param: None for extra in cls.directory_filters},
        }

    def search_query(self):
        return search_text(self.request.GET.get("q", ""))

    def initial(self):
        return initial_letter(self.request.GET.get("letter", ""))

    def filtered_members(self):
        """Members matching the filters and the search, under any initial."""
        organisations = self.listed_members()
        params = self.request.GET
        if (kind := params.get("kind")) in OrganisationKind.values:
            organisations = organisations.filter(kind=kind)
        if (role := params.get("role")) in DIRECTORY_ROLES:
            organisations = organisations.holding(role, *self.role_holders(role))
        for extra in self.directory_filters:
            if value := params.get(extra.param):
                organisations = extra.apply(organisations, value)
        if query := self.search_query():
            organisations = filter_by_search(organisations, query)
        return organisations

    def get_queryset(self):
        self.matching = self.filtered_members()
        organisations = self.matching
        if initial := self.initial():
            organisations = organisations.starting_with(initial)
        return organisations.alphabetical()

    def get_context_data(self, **kwargs):
        params = self.request.GET
        filters = [
            {"param": "kind", "label": _("Kind"), "choices": OrganisationKind.choices},
            *({"param": f.param, "label": f.label, "choices": f.choices()} for f in self.directory_filters),
            {"param": "role", "label": _("Role"), "choices": [(role.value, role.label) for role in DIRECTORY_ROLES]},
        ]
        for directory_filter in filters:
            directory_filter["value"] = params.get(directory_filter["param"], "")
        return super().get_context_data(
            filters=filters,
            query=self.search_query(),
            is_filtered=any(f["value"] for f in filters) or bool(self.search_query()),
            initials=self.initials(),
            current_initial=self.initial(),
            member_count=self.listed_members().count(),
            leadership=AlliancePosition.objects.current().select_related("organisation", "representative"),
            **kwargs,
        )

    def initials(self):
        """The initials the directory links to: "" for all members, then each initial the members
        matching the filters sort under. The template keeps the filters in each link with
        `{% querystring %}`."""
        return ["", *self.matching.initials()]


@method_decorator(public_page, name="dispatch")
class OrganisationDetailView(DetailView):
    """An organisation: every position it holds, its representatives, and news about it."""

    template_name = "members/organisation_detail.html"
    context_object_name = "organisation"
    # Sections from apps above members: objects with `template_name` and `context(organisation)` -> dict.
    sections = ()

    def get_object(self, queryset=None):
        return get_object_or_404(Organisation, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        organisation = self.object
        positions = organisation.alliance_positions.select_related("representative").order_by(
            F("ended_on").desc(nulls_first=True), Role.rank_expression(), "sort_order"
        )
        sections = [{"template_name": s.template_name, **s.context(organisation)} for s in self.sections]
        return super().get_context_data(
            alliance_positions=list(positions),
            representatives=list(organisation.people.all()),
            sections=sections,
            **kwargs,
        )
