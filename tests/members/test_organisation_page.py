"""An organisation's page: every position it holds, with terms, its representatives and its news."""

import datetime

import pytest

from members.models import AlliancePosition, Role
from news.models import Article
from tests.factories import (
    ArticleFactory,
    CommitteeFactory,
    CommitteeSeatFactory,
    CouncilSeatFactory,
    OfficeFactory,
    OfficeMembershipFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    """An organisation with positions in the alliance, two offices and a committee, current and past."""
    organisation = OrganisationFactory(
        name_zh_hans="中国移动通信集团江苏有限公司苏州分公司",
        name_en="China Mobile Communications Group Jiangsu Co., Ltd., Suzhou Branch",
        short_name_zh_hans="移动",
        short_name_en="China Mobile",
    )
    wuzhong = OfficeFactory(short_name_zh_hans="吴中区办事处", short_name_en="Wuzhong District Office", ordinal=8)
    gusu = OfficeFactory(short_name_zh_hans="姑苏区办事处", short_name_en="Gusu District Office", ordinal=1)
    CouncilSeatFactory(
        office=wuzhong, organisation=organisation, role=Role.VICE_PRESIDENT, started_on=datetime.date(2020, 11, 20)
    )
    CouncilSeatFactory(
        office=gusu,
        organisation=organisation,
        role=Role.DIRECTOR,
        started_on=datetime.date(2018, 5, 1),
        ended_on=datetime.date(2021, 4, 30),
    )
    committee = CommitteeFactory(
        office=wuzhong, name_zh_hans="吴中办事处5G专委会", name_en="5G Special Committee of the Wuzhong Office"
    )
    CommitteeSeatFactory(
        committee=committee, organisation=organisation, role=Role.CHAIR, started_on=datetime.date(2020, 11, 20)
    )
    OfficeMembershipFactory(office=wuzhong, organisation=organisation, joined_on=datetime.date(2020, 11, 20), batch=1)
    AlliancePosition.objects.create(organisation=organisation, role=Role.DIRECTOR, started_on=datetime.date(2019, 1, 1))
    PersonFactory(
        organisation=organisation,
        name_zh_hans="王测试",
        name_en="Wang Ceshi",
        job_title_zh_hans="总经理",
        job_title_en="General Manager",
    )
    return organisation


def section(page, heading_id):
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


def test_every_position_is_shown_with_its_term_current_first(client, organisation):
    page = client.get(f"/en{organisation.get_absolute_url()}").content.decode()
    assert "<h1>China Mobile Communications Group Jiangsu Co., Ltd., Suzhou Branch</h1>" in page
    alliance = section(page, "alliance-positions-heading")
    assert "Director" in alliance and "2019-01-01 – present" in alliance

    offices = section(page, "office-positions-heading")
    rows = offices.split("<tr")[2:]
    assert len(rows) == 4
    assert "Wuzhong District Office</a> · Council" in rows[0] and "Vice-President" in rows[0]
    assert "2020-11-20 – present" in rows[0]
    assert "5G Special Committee of the Wuzhong Office" in rows[1] and "Chair" in rows[1]
    assert "Wuzhong District Office" in rows[2] and "Member unit (first batch)" in rows[2]
    assert 'class="past"' in rows[3], "past positions come last"
    assert "Gusu District Office" in rows[3] and "Director" in rows[3] and "2018-05-01 – 2021-04-30" in rows[3]


def test_representatives_are_listed_with_their_job_titles(client, organisation):
    url = organisation.get_absolute_url()
    page = client.get(f"/en{url}").content.decode()
    people = section(page, "people-heading")
    assert "Wang Ceshi" in people and "General Manager" in people
    page = client.get(url).content.decode()
    assert "王测试" in page and "总经理" in page


def test_published_news_mentioning_the_organisation_is_listed(client, organisation):
    mentioning = ArticleFactory(title_zh_hans="移动5G专网助力吴中企业")
    mentioning.organisations.add(organisation)
    draft = ArticleFactory(title_zh_hans="尚未发布的稿件", status=Article.Status.DRAFT)
    draft.organisations.add(organisation)
    ArticleFactory(title_zh_hans="与本单位无关的新闻")
    page = client.get(organisation.get_absolute_url()).content.decode()
    news = section(page, "related-news-heading")
    assert "移动5G专网助力吴中企业" in news
    assert "尚未发布的稿件" not in page
    assert "与本单位无关的新闻" not in page


def test_traditional_page_shows_traditional_names(client, organisation):
    page = client.get(f"/zh-hant{organisation.get_absolute_url()}").content.decode()
    assert "中國移動通信集團江蘇有限公司蘇州分公司" in page


def test_an_organisation_without_positions_shows_just_its_profile(client):
    organisation = OrganisationFactory(is_member=False, website="https://example.org")
    page = client.get(f"/en{organisation.get_absolute_url()}").content.decode()
    assert 'href="https://example.org"' in page
    assert "Alliance member" not in page
    assert 'id="office-positions-heading"' not in page and 'id="alliance-positions-heading"' not in page


def test_unknown_organisation_is_not_found(client):
    assert client.get("/members/no-such-organisation/").status_code == 404
