import pytest

from news.models import Redirect
from tests.factories import (
    AlliancePositionFactory,
    ArticleFactory,
    CategoryFactory,
    CommitteeFactory,
    CouncilSeatFactory,
    OfficeFactory,
    OfficeMembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)


@pytest.fixture
def rows(db):
    """One row of every model the admin edits, by model label."""
    office = OfficeFactory()
    organisation = OrganisationFactory()
    article = ArticleFactory()
    return {
        "members.organisation": organisation,
        "members.person": PersonFactory(organisation=organisation),
        "members.allianceposition": AlliancePositionFactory(organisation=organisation),
        "offices.office": office,
        "offices.councilseat": CouncilSeatFactory(office=office, organisation=organisation),
        "offices.committee": CommitteeFactory(office=office),
        "offices.officemembership": OfficeMembershipFactory(office=office, organisation=organisation),
        "news.category": CategoryFactory(),
        "news.article": article,
        "news.redirect": Redirect.objects.create(old_path="/news/show-1.html", article=article),
        "auth.user": UserFactory(username="existing"),
    }
