"""The member directory: A-Z by pinyin, filters by kind, office and role, search, pagination."""

import datetime
import re

import pytest

from members.models import AlliancePosition, Organisation, OrganisationKind, Role
from tests.factories import (
    CommitteeSeatFactory,
    CouncilSeatFactory,
    OfficeFactory,
    OfficeMembershipFactory,
    OrganisationFactory,
)
from tests.news.pages import parse_html

pytestmark = pytest.mark.django_db


def listed(response):
    """Organisation names in the directory list, in page order."""
    assert response.status_code == 200
    return [link.text for link in parse_html(response.content).select("ul.directory-list > li a")]


def headings(response):
    return re.findall(r'<h2 id="initial-\d+" class="letter">(.*?)</h2>', response.content.decode())


def test_chinese_names_are_sorted_by_pinyin_not_by_code_point(client):
    # Code point order: 中 U+4E2D, 北 U+5317, 重 U+91CD, 长 U+957F, 阿 U+963F.
    for name in ["中国测试公司", "北京测试公司", "重庆测试公司", "长城测试公司", "阿里测试公司"]:
        OrganisationFactory(name_zh_hans=name)
    response = client.get("/members/")
    assert listed(response) == ["阿里测试公司", "北京测试公司", "长城测试公司", "重庆测试公司", "中国测试公司"]
    assert headings(response) == ["A", "B", "C", "Z"]
    assert sorted(listed(response)) != listed(response), "the test means something only if code point order differs"


def test_english_pages_list_english_names_a_to_z(client):
    OrganisationFactory(name_zh_hans="阿里测试公司", name_en="Zenith Test Co.")
    OrganisationFactory(name_zh_hans="中国测试公司", name_en="China Test Co.")
    OrganisationFactory(name_zh_hans="北京测试公司", name_en="")
    response = client.get("/en/members/")
    assert listed(response) == ["北京测试公司", "China Test Co.", "Zenith Test Co."]
    assert headings(response) == ["B", "C", "Z"]


def test_names_outside_a_to_z_are_listed_under_hash(client):
    OrganisationFactory(name_zh_hans="5G测试联合体")
    OrganisationFactory(name_zh_hans="阿里测试公司")
    response = client.get("/members/")
    assert headings(response) == ["#", "A"]
    assert listed(client.get("/members/?letter=%23")) == ["5G测试联合体"]


def test_only_members_are_listed(client):
    OrganisationFactory(name_zh_hans="会员单位")
    OrganisationFactory(name_zh_hans="苏州市工业和信息化局", is_member=False, kind=OrganisationKind.GOVERNMENT)
    response = client.get("/members/")
    assert listed(response) == ["会员单位"]
    assert "1 member organisation" in client.get("/en/members/").content.decode()


def test_letters_link_to_the_members_under_each_initial_keeping_the_filters(client):
    OrganisationFactory(name_zh_hans="阿里测试公司")
    OrganisationFactory(name_zh_hans="北京测试公司", kind=OrganisationKind.UNIVERSITY)
    OrganisationFactory(name_zh_hans="博世测试公司", kind=OrganisationKind.UNIVERSITY)
    page = client.get("/members/?kind=university").content.decode()
    assert '<a href="?kind=university&amp;letter=B">B</a>' in page
    assert "letter=A" not in page, "only initials with members matching the filters"
    assert listed(client.get("/members/?kind=university&letter=B")) == ["北京测试公司", "博世测试公司"]
    assert listed(client.get("/members/?letter=b")) == ["北京测试公司", "博世测试公司"]
    assert len(listed(client.get("/members/?letter=nonsense"))) == 3


def test_filter_by_kind(client):
    OrganisationFactory(name_zh_hans="中国电信测试分公司", kind=OrganisationKind.TELECOM_OPERATOR)
    OrganisationFactory(name_zh_hans="测试大学", kind=OrganisationKind.UNIVERSITY)
    assert listed(client.get("/members/?kind=telecom_operator")) == ["中国电信测试分公司"]
    assert len(listed(client.get("/members/?kind=spaceship"))) == 2, "an unknown kind filters nothing"


def test_filter_by_office_lists_its_member_units_and_council(client):
    office, other = OfficeFactory(slug="wuzhong"), OfficeFactory(slug="gusu")
    OfficeMembershipFactory(office=office, organisation=OrganisationFactory(name_zh_hans="吴中会员单位"))
    CouncilSeatFactory(office=office, organisation=OrganisationFactory(name_zh_hans="吴中理事单位"))
    OfficeMembershipFactory(
        office=office, organisation=OrganisationFactory(name_zh_hans="已退出单位"), left_on=datetime.date(2022, 1, 1)
    )
    OfficeMembershipFactory(office=other, organisation=OrganisationFactory(name_zh_hans="姑苏会员单位"))
    assert listed(client.get("/members/?office=wuzhong")) == ["吴中会员单位", "吴中理事单位"]
    assert listed(client.get("/members/?office=nowhere")) == []


def test_filter_by_role_held_now_anywhere(client):
    CouncilSeatFactory(role=Role.DIRECTOR, organisation=OrganisationFactory(name_zh_hans="理事单位"))
    CouncilSeatFactory(
        role=Role.DIRECTOR,
        organisation=OrganisationFactory(name_zh_hans="前理事单位"),
        ended_on=datetime.date(2022, 1, 1),
    )
    CommitteeSeatFactory(role=Role.CHAIR, organisation=OrganisationFactory(name_zh_hans="主任单位"))
    AlliancePosition.objects.create(
        organisation=OrganisationFactory(name_zh_hans="联席会长单位"), role=Role.CO_PRESIDENT
    )
    assert listed(client.get("/members/?role=director")) == ["理事单位"]
    assert listed(client.get("/members/?role=chair")) == ["主任单位"]
    assert listed(client.get("/members/?role=co_president")) == ["联席会长单位"]
    assert len(listed(client.get("/members/?role=member"))) == 4, "'member' is what the whole directory lists"


def test_filters_combine(client):
    office = OfficeFactory(slug="wuzhong")
    CouncilSeatFactory(
        office=office,
        role=Role.VICE_PRESIDENT,
        organisation=OrganisationFactory(name_zh_hans="中国移动测试分公司", kind=OrganisationKind.TELECOM_OPERATOR),
    )
    CouncilSeatFactory(
        office=office, role=Role.VICE_PRESIDENT, organisation=OrganisationFactory(name_zh_hans="协同创新测试公司")
    )
    CouncilSeatFactory(
        role=Role.VICE_PRESIDENT,
        organisation=OrganisationFactory(name_zh_hans="中国电信测试分公司", kind=OrganisationKind.TELECOM_OPERATOR),
    )
    response = client.get("/members/?office=wuzhong&role=vice_president&kind=telecom_operator")
    assert listed(response) == ["中国移动测试分公司"]
    assert 'value="telecom_operator" selected' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("浪潮", True),
        ("蘇州浪潮", True),  # Traditional
        ("Inspur", True),
        ("inspur cloud", True),
        ("浪", True),
        ("华为", False),
        ("lang chao", True),  # pinyin, as written in the sort key
    ],
)
def test_search_by_name_in_chinese_traditional_or_english(client, query, found):
    OrganisationFactory(name_zh_hans="苏州浪潮云计算有限公司", name_en="Suzhou Inspur Cloud Computing Co., Ltd.")
    OrganisationFactory(name_zh_hans="江苏荣辉", name_en="Jiangsu Ronghui")
    result = listed(client.get("/members/", {"q": query}))
    assert result == (["苏州浪潮云计算有限公司"] if found else [])


def test_a_search_matching_nothing_says_so(client):
    OrganisationFactory()
    page = client.get("/en/members/?q=nothing-like-this").content.decode()
    assert "No organisation matches these filters." in page


def test_pages_of_60_keep_the_filters(client):
    for number in range(61):
        OrganisationFactory(name_zh_hans=f"苏州分页测试公司{number:02d}", name_en="", kind=OrganisationKind.ENTERPRISE)
    OrganisationFactory(name_zh_hans="测试大学", kind=OrganisationKind.UNIVERSITY)
    first = client.get("/en/members/?kind=enterprise")
    assert len(listed(first)) == 60
    assert 'href="?kind=enterprise&amp;page=2"' in first.content.decode()
    second = client.get("/en/members/?kind=enterprise&page=2")
    assert listed(second) == ["苏州分页测试公司60"]
    assert "Page 2 of 2" in second.content.decode()
    assert client.get("/members/?page=3").status_code == 404


def test_the_directory_shows_the_alliance_leadership(client):
    organisation = OrganisationFactory(
        name_zh_hans="苏州浪潮云计算有限公司", name_en="Suzhou Inspur Cloud Computing Co., Ltd."
    )
    AlliancePosition.objects.create(organisation=organisation, role=Role.CO_PRESIDENT)
    AlliancePosition.objects.create(
        organisation=OrganisationFactory(), role=Role.CO_PRESIDENT, ended_on=datetime.date(2020, 1, 1)
    )
    page = client.get("/en/members/").content.decode()
    leadership = page[page.index('id="leadership-heading"') : page.index("</section>")]
    assert "Co-Chair" in leadership
    assert leadership.count("<li>") == 1, "past positions are not leadership"
    assert "Suzhou Inspur Cloud Computing Co., Ltd." in leadership
    assert Organisation.objects.count() == 2
