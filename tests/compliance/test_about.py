"""/about/: introduction and charter from the site settings, structure from the rosters, contact."""

import pytest

from tests.factories import (
    AlliancePositionFactory,
    CommitteeFactory,
    CouncilSeatFactory,
    OfficeFactory,
    OrganisationFactory,
    PersonFactory,
    SiteSettingsFactory,
    pdf_file,
)
from tests.news.pages import get_page

pytestmark = pytest.mark.django_db


def build(offices):
    for _ in range(offices):
        office = OfficeFactory()
        for role in ("president", "vice_president", "secretary_general"):
            CouncilSeatFactory(office=office, role=role, representative=PersonFactory())
        CommitteeFactory.create_batch(2, office=office)
    AlliancePositionFactory(organisation=OrganisationFactory(), representative=PersonFactory())


def test_the_structure_comes_from_the_rosters(client):
    SiteSettingsFactory(introduction_zh_hans="联盟简介第一段。\n\n第二段。", charter=pdf_file("charter.pdf"))
    build(2)
    seat = CouncilSeatFactory(office=OfficeFactory(name_zh_hans="吴中区办事处"), role="president")
    committee = CommitteeFactory(office=seat.office, name_zh_hans="5G专委会")

    _response, html = get_page(client, "/about/")

    assert [p.text for p in html.find("div", class_="about-intro").find_all("p")] == ["联盟简介第一段。", "第二段。"]
    assert html.find("p", class_="about-charter").find("a")["href"].endswith(".pdf")
    office = html.find("h4", string="吴中区办事处").find_parent("section")
    assert office.find("a", href=seat.organisation.get_absolute_url()) is not None
    assert office.find("a", href=committee.get_absolute_url()).text == "5G专委会"
    assert len(html.find_all("section", class_="about-office")) == 3
    assert html.find("section", attrs={"aria-labelledby": "about-contact"}).find("a", href="/contact/") is not None


def test_ended_terms_are_not_shown(client):
    seat = CouncilSeatFactory(role="president", ended_on="2020-01-01")

    _response, html = get_page(client, "/about/")

    assert html.find("a", href=seat.organisation.get_absolute_url()) is None


def test_the_page_runs_the_same_queries_for_few_and_many_offices(client, django_assert_num_queries):
    build(1)
    with django_assert_num_queries(5) as few:
        client.get("/en/about/")
    build(6)
    with django_assert_num_queries(5):
        client.get("/en/about/")
    assert len(few) == 5
