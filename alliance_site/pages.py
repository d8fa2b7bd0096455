"""The pages that show several apps' data, composed here, on top, by plain imports.

Each app's own view knows only its app and the apps below it; the site's URLs serve these
subclasses, which add what the apps above know: an organisation's council and committee seats and
its events and news, an office's events and news, the directory's office filter and the roles held on councils.
"""

from django.utils.decorators import method_decorator

from core.cache import public_page
from events import views as event_views
from events.views import EventsSection
from members import views as member_views
from news.views import RelatedNewsSection
from offices import views as office_views
from offices.models import role_holders


@method_decorator(public_page(query=lambda: DirectoryView.query_parameters()), name="dispatch")
class DirectoryView(member_views.DirectoryView):
    """The member directory, filtered by office too, with council and committee seats as roles held."""

    directory_filters = (office_views.OfficeDirectoryFilter(),)
    role_holders = staticmethod(role_holders)


class OrganisationDetailView(member_views.OrganisationDetailView):
    """An organisation: its alliance positions, council and committee seats, memberships and news."""

    sections = (
        office_views.OfficePositionsSection(),
        EventsSection("organisations"),
        RelatedNewsSection("organisations"),
    )


class EventDetailView(event_views.EventDetailView):
    """An event, with the news reporting on it."""

    sections = (RelatedNewsSection("event"),)


class OfficeDetailView(office_views.OfficeDetailView):
    """An office: its council, committees and member units, its events (its committees' too) and its news."""

    sections = (EventsSection("offices"), RelatedNewsSection("offices"))
