import pytest

from tests.factories import UserFactory


@pytest.fixture
def roster_staff(db):
    return UserFactory(groups=["Roster staff"])


@pytest.fixture
def roster_client(client, roster_staff):
    """A client signed in as a member of the Roster staff group."""
    client.force_login(roster_staff)
    return client
