"""Every public roster page runs a fixed number of queries, whatever the size of the roster.

Each page is requested for a small roster and for a large one; both must stay within the
page's budget and run the same number of queries.
"""

import datetime

import pytest

from members.models import AlliancePosition, Organisation, Person, Role
from offices.models import CommitteeSeat, CouncilSeat, OfficeMembership
from tests.factories import ArticleFactory, CommitteeFactory, OfficeFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

SMALL, LARGE = 5, 500


def organisations(count, prefix):
    """`count` member organisations, saved one by one as the admin would (pinyin, search, slugs)."""
    return [OrganisationFactory(name_zh_hans=f"{prefix}测试单位{number:03d}") for number in range(count)]


def office_with_seats(count):
    """An office with `count` council seats and member units, committee seats and past seats."""
    office = OfficeFactory(founding_member_count=76, founding_council_size=16)
    holders = organisations(count, f"办事处{count}")
    people = Person.objects.bulk_create(
        Person(name_zh_hans=f"代表{n}", slug=f"rep-{count}-{n}", organisation=o) for n, o in enumerate(holders)
    )
    roles = [Role.PRESIDENT, Role.SECRETARY_GENERAL, *[Role.VICE_PRESIDENT] * 4]
    CouncilSeat.objects.bulk_create(
        CouncilSeat(
            office=office,
            organisation=organisation,
            representative=person,
            role=roles[n] if n < len(roles) else Role.DIRECTOR,
            started_on=datetime.date(2020, 11, 20),
        )
        for n, (organisation, person) in enumerate(zip(holders, people, strict=True))
    )
    CouncilSeat.objects.bulk_create(
        CouncilSeat(office=office, organisation=o, role=Role.DIRECTOR, ended_on=datetime.date(2020, 11, 19))
        for o in holders
    )
    OfficeMembership.objects.bulk_create(OfficeMembership(office=office, organisation=o, batch=1) for o in holders)
    for number in range(2):
        committee = CommitteeFactory(office=office, name_zh_hans=f"专委会{count}-{number}")
        CommitteeSeat.objects.bulk_create(
            CommitteeSeat(committee=committee, organisation=o, role=Role.CHAIR if n == 0 else Role.DEPUTY_CHAIR)
            for n, o in enumerate(holders)
            if n == 0 or n % 2
        )
    for article in ArticleFactory.create_batch(3):
        article.offices.add(office)
        article.organisations.add(*holders[:3])
    return office


def queries(django_assert_max_num_queries, client, url, budget):
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def assert_fixed(small, large):
    assert small == large, f"{small} queries for a small roster, {large} for a large one"


# The office and organisation pages each include one query for their events section (upcoming,
# then past: events.views.EventsSection), as many for few events as for many.
OFFICE_PAGE, OFFICE_LIST, DIRECTORY, ORGANISATION_PAGE = 8, 2, 6, 8


def test_office_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    small, large = office_with_seats(SMALL), office_with_seats(LARGE)
    counts = [
        queries(django_assert_max_num_queries, client, office.get_absolute_url(), OFFICE_PAGE)
        for office in (small, large)
    ]
    assert_fixed(*counts)
    page = client.get(large.get_absolute_url()).content.decode()
    assert page.count('<li><a href="/members/') >= 2 * LARGE, "every seat and member unit is on the page"


def test_office_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    OfficeFactory.create_batch(SMALL)
    small = queries(django_assert_max_num_queries, client, "/offices/", OFFICE_LIST)
    for office in OfficeFactory.create_batch(45):
        OfficeMembership.objects.bulk_create(
            OfficeMembership(office=office, organisation=o) for o in organisations(3, office.pk)
        )
    assert_fixed(small, queries(django_assert_max_num_queries, client, "/offices/", OFFICE_LIST))


@pytest.mark.parametrize("query_string", ["", "?kind=enterprise&role=vice_president&letter=B", "?q=测试单位&page=2"])
def test_directory_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, query_string):
    office = office_with_seats(SMALL)
    AlliancePosition.objects.create(organisation=Organisation.objects.first(), role=Role.CO_PRESIDENT)
    url = f"/members/{query_string}{'&' if query_string else '?'}office={office.slug}"
    small = queries(django_assert_max_num_queries, client, url.replace("page=2", "page=1"), DIRECTORY)
    office.memberships.all().delete()
    office.council_seats.all().delete()
    office = office_with_seats(LARGE - SMALL)
    url = f"/members/{query_string}{'&' if query_string else '?'}office={office.slug}"
    assert_fixed(small, queries(django_assert_max_num_queries, client, url, DIRECTORY))


def test_organisation_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    def organisation_with_positions(count):
        organisation = OrganisationFactory()
        Person.objects.bulk_create(
            Person(name_zh_hans=f"员工{n}", slug=f"staff-{organisation.pk}-{n}", organisation=organisation)
            for n in range(count)
        )
        offices = OfficeFactory.create_batch(count)
        CouncilSeat.objects.bulk_create(
            CouncilSeat(office=o, organisation=organisation, role=Role.DIRECTOR) for o in offices
        )
        OfficeMembership.objects.bulk_create(OfficeMembership(office=o, organisation=organisation) for o in offices)
        for office in offices[:5]:
            committee = CommitteeFactory(office=office)
            CommitteeSeat.objects.create(committee=committee, organisation=organisation, role=Role.CHAIR)
        AlliancePosition.objects.create(organisation=organisation, role=Role.CO_PRESIDENT)
        for article in ArticleFactory.create_batch(3):
            article.organisations.add(organisation)
        return organisation

    small, large = organisation_with_positions(SMALL), organisation_with_positions(50)
    counts = [
        queries(django_assert_max_num_queries, client, organisation.get_absolute_url(), ORGANISATION_PAGE)
        for organisation in (small, large)
    ]
    assert_fixed(*counts)
