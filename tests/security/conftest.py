import pytest

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


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nothing here tests the password hash itself; a fast one keeps the many sign-ins quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
        "news.category": CategoryFactory(),
        "news.article": ArticleFactory(),
        "auth.user": UserFactory(username="existing"),
    }
