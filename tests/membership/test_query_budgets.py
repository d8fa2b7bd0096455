"""The new public pages and the staff queues run a fixed number of queries, as many for a few
rows as for many."""

import pytest
from django.urls import reverse

from membership import services
from membership.models import Stage
from tests.factories import (
    ApplicationFactory,
    LiaisonFactory,
    MemberDocumentFactory,
    MembershipPeriodFactory,
    OfficeFactory,
    OrganisationFactory,
    ProfileChangeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FEW, MANY = 3, 30


def count_queries(django_assert_max_num_queries, client, url, budget):
    client.get(url)  # fills the per-process caches (content types, the page cache's version)
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow(size):
    """`size` more of everything the pages list."""
    for _ in range(size):
        OfficeFactory()
        MemberDocumentFactory()
        organisation = OrganisationFactory()
        MembershipPeriodFactory(organisation=organisation)
        ApplicationFactory(stage=Stage.SUBMITTED).offices.set([OfficeFactory()])
        ProfileChangeFactory(organisation=organisation)


# page: (url maker given a liaison and an application, who looks, query budget)
PAGES = {
    # the offices to choose from, the privacy policy in force
    "application form": (lambda liaison, application: reverse("membership:apply"), "anonymous", 2),
    # the application, its history
    "status page": (
        lambda liaison, application: reverse(
            "membership:application-status", kwargs={"token": services.status_token(application)}
        ),
        "anonymous",
        3,
    ),
    "document list": (lambda liaison, application: reverse("membership:document-list"), "anonymous", 1),
    # session, user, liaison, standing (periods), periods, changes, documents, good standing
    "portal": (lambda liaison, application: reverse("membership:portal"), "liaison", 8),
    "directory": (lambda liaison, application: reverse("members:directory"), "anonymous", 6),
    # pinned news, latest news, notices (alliance_site.views.home_articles), offices, the next events,
    # member logos
    "home": (lambda liaison, application: reverse("home"), "anonymous", 6),
    "application queue": (
        lambda liaison, application: (
            reverse("admin:membership_membershipapplication_changelist") + "?stage__exact=submitted"
        ),
        "secretariat",
        8,
    ),
    "application": (
        lambda liaison, application: reverse("admin:membership_membershipapplication_change", args=[application.pk]),
        "secretariat",
        9,
    ),
    "profile edit queue": (
        lambda liaison, application: reverse("admin:membership_profilechange_changelist") + "?status__exact=pending",
        "secretariat",
        7,
    ),
    "membership periods": (
        lambda liaison, application: reverse("admin:membership_membershipperiod_changelist"),
        "secretariat",
        8,
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_a_fixed_number_of_queries(page, client, django_assert_max_num_queries):
    url, who, budget = PAGES[page]
    liaison = LiaisonFactory()
    application = ApplicationFactory()
    for _ in range(3):
        application.events.create(action="accept", source="submitted", target="council", actor=UserFactory())
    if who == "liaison":
        client.force_login(liaison.user)
    elif who == "secretariat":
        client.force_login(UserFactory(groups=["Membership secretariat"]))
    counts = []
    for size in (FEW, MANY - FEW):
        grow(size)
        counts.append(count_queries(django_assert_max_num_queries, client, url(liaison, application), budget))
    assert counts[0] == counts[1], f"{counts[0]} queries with few rows, {counts[1]} with many"
