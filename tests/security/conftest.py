import pytest

from membership.models import RenewalReminder
from news.models import Redirect
from tests.factories import (
    AlliancePositionFactory,
    ApplicationFactory,
    ArticleFactory,
    CategoryFactory,
    CommitteeFactory,
    CouncilSeatFactory,
    EventFactory,
    LiaisonFactory,
    MemberDocumentFactory,
    MembershipPeriodFactory,
    OfficeFactory,
    OfficeMembershipFactory,
    OrganisationFactory,
    PersonFactory,
    ProfileChangeFactory,
    RegistrationFactory,
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
        "events.event": EventFactory(),
        "events.registration": RegistrationFactory(),
        "news.category": CategoryFactory(),
        "news.article": article,
        "news.redirect": Redirect.objects.create(old_path="/news/show-1.html", article=article),
        "auth.user": UserFactory(username="existing"),
        "membership.membershipapplication": ApplicationFactory(),
        "membership.profilechange": ProfileChangeFactory(organisation=organisation),
        "membership.membershipperiod": MembershipPeriodFactory(organisation=organisation),
        "membership.liaison": LiaisonFactory(organisation=organisation),
        "membership.memberdocument": MemberDocumentFactory(),
        "membership.renewalreminder": RenewalReminder.objects.create(
            period=MembershipPeriodFactory(year=2020), kind=RenewalReminder.Kind.BEFORE_END
        ),
    }
