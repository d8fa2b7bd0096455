"""The public office list and office pages: councils by rank, committees, member units, history."""

import datetime
import html
import re

import pytest
from django.utils import translation

from members.models import Role
from members.services import end_term
from offices.models import CouncilSeat, Office
from tests.factories import (
    ArticleFactory,
    CommitteeFactory,
    CommitteeSeatFactory,
    CouncilSeatFactory,
    OfficeFactory,
    OfficeMembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

PRESIDENT = "苏州浪潮云计算有限公司"
VICE_PRESIDENTS = [
    "中国移动通信集团江苏有限公司苏州分公司",
    "中国电信股份有限公司苏州分公司",
    "中国联合网络通信有限公司苏州市分公司",
    "苏州协同创新智能制造装备有限公司",
]
SECRETARY_GENERAL = "苏州智能制造研究院有限公司"
DIRECTORS = ["华为（苏州）DevCloud创新中心", "江苏荣辉"]
COMMITTEE_CHAIR = "中国移动通信集团江苏有限公司苏州分公司"
COMMITTEE_DEPUTIES = ["中国电信股份有限公司苏州分公司", "中国联合网络通信有限公司苏州市分公司"]


def role_groups(page, start_marker):
    """[(role label, [organisation names])] of the first `dl.roles` after `start_marker`, in page order."""
    text = page[page.index(start_marker) :]
    roles = text[: text.index("</dl>")]
    groups = []
    for label, names in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", roles, re.S):
        groups.append((html.unescape(label), [html.unescape(n) for n in re.findall(r"<a [^>]*>(.*?)</a>", names)]))
    return groups


def label(role, language):
    with translation.override(language):
        return str(role.label)


def test_wuzhong_office_lists_its_council_and_5g_committee_in_rank_order_in_every_language(client, demo):
    """Must show 1, after load_demo: the council by role in rank order and the 5G committee."""
    page = client.get("/offices/wuzhong/").content.decode()
    assert role_groups(page, 'id="council-heading"') == [
        (label(Role.PRESIDENT, "zh-hans"), [PRESIDENT]),
        (label(Role.VICE_PRESIDENT, "zh-hans"), VICE_PRESIDENTS),
        (label(Role.SECRETARY_GENERAL, "zh-hans"), [SECRETARY_GENERAL]),
        (label(Role.DIRECTOR, "zh-hans"), DIRECTORS),
    ]
    assert role_groups(page, 'id="committee-wuzhong-5g"') == [
        (label(Role.CHAIR, "zh-hans"), [COMMITTEE_CHAIR]),
        (label(Role.DEPUTY_CHAIR, "zh-hans"), COMMITTEE_DEPUTIES),
    ]
    assert "<h3>吴中办事处5G专委会</h3>" in page
    assert "<h1>苏州市工业互联网产业联盟吴中区办事处</h1>" in page

    page = client.get("/en/offices/wuzhong/").content.decode()
    assert role_groups(page, 'id="council-heading"') == [
        ("President", ["Suzhou Inspur Cloud Computing Co., Ltd."]),
        (
            "Vice-President",
            [
                "China Mobile Communications Group Jiangsu Co., Ltd., Suzhou Branch",
                "China Telecom Corporation Limited, Suzhou Branch",
                "China United Network Communications Co., Ltd., Suzhou Branch",
                "Suzhou Collaborative Innovation Intelligent Manufacturing Equipment Co., Ltd.",
            ],
        ),
        ("Secretary-General", ["Suzhou Intelligent Manufacturing Research Institute Co., Ltd."]),
        ("Director", ["Huawei (Suzhou) DevCloud Innovation Center", "Jiangsu Ronghui"]),
    ]
    assert role_groups(page, 'id="committee-wuzhong-5g"') == [
        ("Chair", ["China Mobile Communications Group Jiangsu Co., Ltd., Suzhou Branch"]),
        (
            "Deputy Chair",
            [
                "China Telecom Corporation Limited, Suzhou Branch",
                "China United Network Communications Co., Ltd., Suzhou Branch",
            ],
        ),
    ]
    assert "<h3>5G Special Committee of the Wuzhong Office</h3>" in page
    assert PRESIDENT not in page, "no Chinese organisation names on the English page"
    assert "76 first-batch member units; a council of 16" in page

    page = client.get("/zh-hant/offices/wuzhong/").content.decode()
    council = role_groups(page, 'id="council-heading"')
    assert council[0] == (label(Role.PRESIDENT, "zh-hant"), ["蘇州浪潮雲計算有限公司"])
    assert [(role, len(names)) for role, names in council] == [
        (label(role, "zh-hant"), count)
        for role, count in [
            (Role.PRESIDENT, 1),
            (Role.VICE_PRESIDENT, 4),
            (Role.SECRETARY_GENERAL, 1),
            (Role.DIRECTOR, 2),
        ]
    ]


def test_founding_figures_are_facts_of_the_founding_apart_from_the_live_roster(client):
    office = OfficeFactory(name_en="Wuzhong District Office", founding_member_count=76, founding_council_size=16)
    for role in [Role.PRESIDENT, Role.SECRETARY_GENERAL, Role.DIRECTOR]:
        seat = CouncilSeatFactory(office=office, role=role)
        OfficeMembershipFactory(office=office, organisation=seat.organisation)
    page = client.get(f"/en{office.get_absolute_url()}").content.decode()
    assert "76 first-batch member units; a council of 16" in page
    assert "3 of the 16 council seats announced at the founding are listed here" in page
    assert '<h2 id="members-heading">Member units <span class="count">3</span></h2>' in page
    assert "The office was founded with 76 first-batch member units; 3 are listed here" in page
    listing = client.get("/en/offices/").content.decode()
    row = listing[listing.index("Wuzhong District Office") :]
    row = row[: row.index("</tr>")]
    assert '<td class="number">3</td>' in row
    assert "76 first-batch member units; a council of 16" in row


def test_office_list_shows_district_founding_date_ordinal_and_live_member_count(client):
    first = OfficeFactory(
        ordinal=1, name_en="Gusu District Office", district_en="Gusu District", founded_on=datetime.date(2019, 3, 1)
    )
    second = OfficeFactory(ordinal=2, name_en="Xiangcheng District Office", district_en="Xiangcheng District")
    OfficeMembershipFactory.create_batch(3, office=first)
    OfficeMembershipFactory(office=first, left_on=datetime.date(2022, 1, 1))
    page = client.get("/en/offices/").content.decode()
    assert page.index("Gusu District Office") < page.index("Xiangcheng District Office")
    row = page[page.index("Gusu District Office") :]
    row = row[: row.index("</tr>")]
    assert "Gusu District" in row and "2019-03-01" in row and "No. 1" in row
    assert '<td class="number">3</td>' in row, "a unit that left is not counted"
    assert second.get_absolute_url() in page


def test_member_units_are_sorted_by_pinyin_with_a_count(client):
    office = OfficeFactory()
    for name in ["中国测试公司", "阿里测试公司", "北京测试公司"]:
        OfficeMembershipFactory(office=office, organisation=OrganisationFactory(name_zh_hans=name, name_en=""))
    OfficeMembershipFactory(
        office=office, organisation=OrganisationFactory(name_zh_hans="已退出公司"), left_on=datetime.date(2023, 1, 1)
    )
    page = client.get(office.get_absolute_url()).content.decode()
    members = page[page.index('id="members-heading"') :]
    assert '<span class="count">3</span>' in members[:200]
    assert members.index("阿里测试公司") < members.index("北京测试公司") < members.index("中国测试公司")
    assert "已退出公司" not in members


def test_ending_a_term_moves_the_seat_to_past_councils(client):
    seat = CouncilSeatFactory(role=Role.PRESIDENT, started_on=datetime.date(2020, 11, 20))
    end_term(seat, datetime.date(2023, 11, 19))
    successor = CouncilSeatFactory(office=seat.office, role=Role.PRESIDENT, started_on=datetime.date(2023, 11, 20))
    page = client.get(seat.office.get_absolute_url()).content.decode()
    assert role_groups(page, 'id="council-heading"') == [
        (label(Role.PRESIDENT, "zh-hans"), [successor.organisation.name])
    ]
    past = page[page.index('id="past-council-heading"') :]
    assert seat.organisation.name in past
    assert "2020-11-20 – 2023-11-19" in past


def test_office_page_shows_committee_chair_and_deputies_and_news_about_the_office(client):
    office = OfficeFactory()
    committee = CommitteeFactory(office=office, name_zh_hans="工业软件专委会")
    CommitteeSeatFactory(
        committee=committee, role=Role.DEPUTY_CHAIR, organisation=OrganisationFactory(name_zh_hans="副主任单位")
    )
    CommitteeSeatFactory(
        committee=committee, role=Role.CHAIR, organisation=OrganisationFactory(name_zh_hans="主任单位")
    )
    CommitteeSeatFactory(
        committee=committee,
        role=Role.CHAIR,
        organisation=OrganisationFactory(name_zh_hans="前任主任单位"),
        ended_on=datetime.date(2022, 1, 1),
    )
    article = ArticleFactory(title_zh_hans="办事处召开工作会议")
    article.offices.add(office)
    ArticleFactory(title_zh_hans="其他办事处的新闻")
    page = client.get(office.get_absolute_url()).content.decode()
    assert role_groups(page, f'id="committee-{committee.slug}"') == [
        (label(Role.CHAIR, "zh-hans"), ["主任单位"]),
        (label(Role.DEPUTY_CHAIR, "zh-hans"), ["副主任单位"]),
    ]
    assert "办事处召开工作会议" in page
    assert "其他办事处的新闻" not in page


def test_unknown_office_is_not_found(client):
    assert client.get("/offices/no-such-office/").status_code == 404


def test_an_office_without_a_council_says_so(client):
    office = OfficeFactory()
    page = client.get(f"/en{office.get_absolute_url()}").content.decode()
    assert "No council seats are listed." in page
    assert "No member units are listed yet." in page
    assert CouncilSeat.objects.count() == 0 and Office.objects.count() == 1
