"""The roster admin pages run a fixed number of queries, however long the roster they show."""

import pytest

from members.models import Role
from tests.factories import AlliancePositionFactory
from tests.offices.test_query_budgets import office_with_seats

pytestmark = pytest.mark.django_db

SMALL, LARGE = 5, 100


def queries(django_assert_max_num_queries, client, url, budget):
    client.get(url)  # fills the caches kept for the process (content types), as in a running site
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


PAGES = {
    # page: (url for an office, query budget)
    "office change form": (lambda office: f"/admin/offices/office/{office.pk}/change/", 10),
    "committee change form": (lambda office: f"/admin/offices/committee/{office.committees.first().pk}/change/", 9),
    "organisation list": (lambda office: "/admin/members/organisation/", 13),
    "organisation list filtered by role": (lambda office: "/admin/members/organisation/?role=vice_president", 13),
    "council seat list": (lambda office: f"/admin/offices/councilseat/?office__id__exact={office.pk}", 10),
    "member unit list": (lambda office: "/admin/offices/officemembership/", 11),
    "people list": (lambda office: "/admin/members/person/", 10),
    "office list": (lambda office: "/admin/offices/office/", 9),
}


@pytest.mark.parametrize("page", PAGES)
def test_roster_admin_page_runs_a_fixed_number_of_queries(roster_client, django_assert_max_num_queries, page):
    url, budget = PAGES[page]
    counts = []
    for size in (SMALL, LARGE):
        office = office_with_seats(size)
        AlliancePositionFactory(organisation=office.council_seats.first().organisation, role=Role.CO_PRESIDENT)
        counts.append(queries(django_assert_max_num_queries, roster_client, url(office), budget))
    assert counts[0] == counts[1], f"{counts[0]} queries for a small roster, {counts[1]} for a large one"
