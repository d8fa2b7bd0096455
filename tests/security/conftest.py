import pytest

from tests.factories import (
    AlliancePositionFactory,
    ArticleFactory,
    CategoryFactory,
    CommitteeFactory,
    CouncilSeatFactory,
    EventFactory,
    OfficeFactory,
    OfficeMembershipFactory,
    OrganisationFactory,
    PersonFactory,
    RegistrationFactory,
    UserFactory,
)


@pytest.fixture
def rows(db):
    """One row of every model the admin edits, by model label."""
    office = OfficeFactory()
    organisation = OrganisationFactory()
    return {
        "members.organisation": organisation,
        "members.person": PersonFactory(organisation=organisation),
        "members.allianceposition": AlliancePositionFactory(organisation=organisation),
        "offices.office": office,
        "offices.councilseat": CouncilSeatFactory(office=office, organisation=organisation),
        "offices.committee": CommitteeFactory(office=office),
        "offices.officemembership": OfficeMembershipFactory(office=office, organisation=organisation),
        "events.event": EventFactory(),
        "events.registration": RegistrationFactory(),
        "news.category": CategoryFactory(),
        "news.article": ArticleFactory(),
        "auth.user": UserFactory(username="existing"),
    }
