"""The member directory and organisation pages.

members knows nothing of the apps built on it. Offices and news add what they know about an
organisation through the three lists below, from their AppConfig.ready(): directory filters,
sources of role holders, and sections of the organisation page.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from alliance_site.cache import public_page
from alliance_site.search import filter_by_search
from members.models import AlliancePosition, Organisation, OrganisationKind, Role

# Extra directory filters: objects with `param`, `label`, `choices()` -> [(value, label)] and
# `apply(queryset, value)`.
directory_filters = []

# Callables role -> queryset of organisation ids currently holding that role somewhere.
role_holder_sources = [
    lambda role: AlliancePosition.objects.current().filter(role=role, organisation__isnull=False).values("organisation")
]

# Organisation page sections: objects with `template_name` and `context(organisation)` -> dict.
organisation_sections = []

SEARCH_QUERY_MAX_LENGTH = 100


@method_decorator(public_page, name="dispatch")
class DirectoryView(ListView):
    """Member organisations A-Z by pinyin, with filters by kind, office and role, and search."""

    template_name = "members/directory.html"
    context_object_name = "organisations"
    paginate_by = 60

    def get_queryset(self):
        organisations = Organisation.objects.members().alphabetical()
        params = self.request.GET
        if (kind := params.get("kind")) in OrganisationKind.values:
            organisations = organisations.filter(kind=kind)
        if (role := params.get("role")) in Role.values:
            holders = Q()
            for source in role_holder_sources:
                holders |= Q(pk__in=source(role))
            organisations = organisations.filter(holders)
        for extra in directory_filters:
            if value := params.get(extra.param):
                organisations = extra.apply(organisations, value)
        if query := params.get("q", "").strip()[:SEARCH_QUERY_MAX_LENGTH]:
            organisations = filter_by_search(organisations, query)
        return organisations

    def get_context_data(self, **kwargs):
        params = self.request.GET
        filters = [
            {"param": "kind", "label": _("Kind"), "choices": OrganisationKind.choices},
            *({"param": f.param, "label": f.label, "choices": f.choices()} for f in directory_filters),
            {"param": "role", "label": _("Role"), "choices": Role.choices},
        ]
        for directory_filter in filters:
            directory_filter["value"] = params.get(directory_filter["param"], "")
        return super().get_context_data(
            filters=filters,
            query=params.get("q", "").strip()[:SEARCH_QUERY_MAX_LENGTH],
            member_count=Organisation.objects.members().count(),
            **kwargs,
        )


@method_decorator(public_page, name="dispatch")
class OrganisationDetailView(DetailView):
    """An organisation: every position it holds, its representatives, and news about it."""

    template_name = "members/organisation_detail.html"
    context_object_name = "organisation"

    def get_object(self, queryset=None):
        return get_object_or_404(Organisation, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        organisation = self.object
        positions = AlliancePosition.objects.filter(organisation=organisation).select_related("representative")
        sections = []
        for section in organisation_sections:
            sections.append({"template_name": section.template_name, **section.context(organisation)})
        return super().get_context_data(
            alliance_positions=list(positions),
            representatives=list(organisation.people.all()),
            sections=sections,
            **kwargs,
        )
