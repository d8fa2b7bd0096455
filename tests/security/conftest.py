import pytest

from tests.factories import (
    AlliancePositionFactory,
    ArticleFactory,
    CategoryFactory,
    CommitteeFactory,
    ContactMessageFactory,
    CouncilSeatFactory,
    OfficeFactory,
    OfficeMembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PrivacyPolicyFactory,
    SiteSettingsFactory,
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
        "news.category": CategoryFactory(),
        "news.article": ArticleFactory(),
        "auth.user": UserFactory(username="existing"),
        "compliance.privacypolicy": PrivacyPolicyFactory(published_at=None),
        "compliance.sitesettings": SiteSettingsFactory(),
        "compliance.contactmessage": ContactMessageFactory(),
    }
