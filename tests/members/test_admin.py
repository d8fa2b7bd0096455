"""The organisation and people admin as Roster staff use it."""

import datetime

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.utils import translation
from PIL import Image

from members.models import AlliancePosition, Organisation, OrganisationKind, Person, Role
from tests.factories import (
    CommitteeSeatFactory,
    CouncilSeatFactory,
    OfficeFactory,
    OfficeMembershipFactory,
    OrganisationFactory,
    PersonFactory,
    image_file,
)
from tests.news.pages import parse_html
from tests.offices.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def listed(response):
    assert response.status_code == 200
    return sorted(organisation.name_zh_hans for organisation in response.context["cl"].result_list)


def admin_label(role):
    with translation.override("zh-hans"):  # the admin's language
        return str(role.label)


def test_organisation_list_shows_kind_member_status_offices_and_roles_held_now(roster_client):
    organisation = OrganisationFactory(name_zh_hans="中国移动测试分公司", kind=OrganisationKind.TELECOM_OPERATOR)
    office = OfficeFactory(short_name_zh_hans="吴中区办事处")
    CouncilSeatFactory(office=office, organisation=organisation, role=Role.VICE_PRESIDENT)
    CouncilSeatFactory(organisation=organisation, role=Role.SECRETARY_GENERAL, ended_on=datetime.date(2020, 1, 1))
    OfficeMembershipFactory(office=office, organisation=organisation)
    CommitteeSeatFactory(committee__name_zh_hans="5G专委会", organisation=organisation, role=Role.CHAIR)
    AlliancePosition.objects.create(organisation=organisation, role=Role.CO_PRESIDENT)
    page = roster_client.get("/admin/members/organisation/").content.decode()
    row = page[page.index("中国移动测试分公司") :]
    row = row[: row.index("</tr>")]
    assert f"吴中区办事处 {admin_label(Role.VICE_PRESIDENT)}" in row
    assert f"5G专委会 {admin_label(Role.CHAIR)}" in row
    assert admin_label(Role.CO_PRESIDENT) in row
    assert admin_label(Role.SECRETARY_GENERAL) not in row, "an ended term is not a role held now"
    assert 'class="field-offices">吴中区办事处</td>' in row
    assert admin_label(OrganisationKind.TELECOM_OPERATOR) in row
    assert 'alt="True"' in row, "member status as a tick"


def test_organisation_list_filters(roster_client):
    office = OfficeFactory()
    OfficeMembershipFactory(office=office, organisation=OrganisationFactory(name_zh_hans="会员单位"))
    OfficeMembershipFactory(organisation=OrganisationFactory(name_zh_hans="别处会员单位"))
    CouncilSeatFactory(role=Role.DIRECTOR, organisation=OrganisationFactory(name_zh_hans="理事单位"))
    OrganisationFactory(name_zh_hans="测试大学", kind=OrganisationKind.UNIVERSITY)
    OrganisationFactory(name_zh_hans="工信局", kind=OrganisationKind.GOVERNMENT, is_member=False)
    url = "/admin/members/organisation/"
    page = roster_client.get(url).content.decode()
    assert f'href="?office_memberships__office__id__exact={office.pk}"' in page
    assert listed(roster_client.get(url, {"kind__exact": "university"})) == ["测试大学"]
    assert listed(roster_client.get(url, {"is_member__exact": "0"})) == ["工信局"]
    assert listed(roster_client.get(url, {"role": "director"})) == ["理事单位"]
    assert listed(roster_client.get(url, {"office_memberships__office__id__exact": office.pk})) == ["会员单位"]


@pytest.mark.parametrize(
    "query", ["浪潮", "蘇州浪潮", "Inspur", "浪潮云", "lang chao", "langchao", "suzhoulangchao", "LangChao"]
)
def test_organisations_are_found_by_name_short_name_or_pinyin(roster_client, query):
    OrganisationFactory(
        name_zh_hans="苏州浪潮云计算有限公司",
        name_en="Suzhou Inspur Cloud Computing Co., Ltd.",
        short_name_zh_hans="浪潮云",
    )
    OrganisationFactory(name_zh_hans="江苏荣辉", name_en="Jiangsu Ronghui")
    assert listed(roster_client.get("/admin/members/organisation/", {"q": query})) == ["苏州浪潮云计算有限公司"]


def test_organisations_are_found_by_short_name_alone(roster_client):
    OrganisationFactory(name_zh_hans="中国移动通信集团江苏有限公司苏州分公司", short_name_zh_hans="移动")
    OrganisationFactory(name_zh_hans="中国电信股份有限公司苏州分公司", short_name_zh_hans="电信")
    assert listed(roster_client.get("/admin/members/organisation/", {"q": "移动"})) == [
        "中国移动通信集团江苏有限公司苏州分公司"
    ]


def logo_post(client, organisation, upload):
    url = f"/admin/members/organisation/{organisation.pk}/change/"
    data = change_form_data(client.get(url))
    data["logo"] = upload
    return client.post(url, data)


def test_a_file_that_is_not_an_image_is_refused_as_a_logo(roster_client):
    organisation = OrganisationFactory()
    response = logo_post(roster_client, organisation, SimpleUploadedFile("logo.png", b"this is not an image"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["logo"]
    organisation.refresh_from_db()
    assert not organisation.logo


def test_a_logo_is_stored_and_shown_resized_to_a_web_rendition(roster_client, client):
    organisation = OrganisationFactory()
    response = logo_post(roster_client, organisation, image_file("logo.png", size=(2000, 500), image_format="PNG"))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.logo.name.endswith(".png")
    with Image.open(organisation.logo_web.file) as rendition:
        assert rendition.format == "WEBP"
        assert rendition.size == (320, 80)
    page = parse_html(client.get(organisation.get_absolute_url()).content)
    logo = page.find("header", class_="org-head").find("picture")
    assert organisation.logo_webp_320.url in logo.find("source", type="image/webp")["srcset"]
    assert (logo.img["width"], logo.img["height"]) == ("640", "160")


def organisation_choosers():
    """(admin, field name) for every admin form field where an organisation is chosen."""
    for model, model_admin in admin.site._registry.items():
        admins = [model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)]
        for each in admins:
            parent = getattr(each, "parent_model", None)  # an inline's link to its parent is no choice
            for field in each.model._meta.get_fields():
                chooses = isinstance(field, models.ForeignKey | models.ManyToManyField) and field.editable
                if chooses and field.related_model is Organisation and field.related_model is not parent:
                    yield each, field.name


def test_every_organisation_chooser_in_the_admin_is_an_autocomplete():
    choosers = list(organisation_choosers())
    assert len(choosers) >= 8
    missing = [f"{type(each).__name__}.{name}" for each, name in choosers if name not in each.autocomplete_fields]
    assert missing == []


def test_organisation_autocomplete_finds_pinyin_for_roster_staff(roster_client):
    OrganisationFactory(name_zh_hans="苏州浪潮云计算有限公司")
    OrganisationFactory(name_zh_hans="江苏荣辉")
    response = roster_client.get(
        "/admin/autocomplete/",
        {"app_label": "offices", "model_name": "councilseat", "field_name": "organisation", "term": "langchao"},
    )
    assert [result["text"] for result in response.json()["results"]] == ["苏州浪潮云计算有限公司"]


def test_people_list_shows_job_title_and_organisation_and_finds_people_by_organisation(roster_client):
    PersonFactory(
        name_zh_hans="潘明",
        job_title_zh_hans="总经理",
        organisation=OrganisationFactory(name_zh_hans="苏州浪潮云计算有限公司"),
    )
    PersonFactory(name_zh_hans="徐泰伟", job_title_zh_hans="", organisation=None)
    response = roster_client.get("/admin/members/person/", {"q": "浪潮"})
    assert [str(person) for person in response.context["cl"].result_list] == ["潘明"]
    page = response.content.decode()
    assert "总经理" in page and "苏州浪潮云计算有限公司" in page


def test_representatives_are_edited_on_their_organisation(roster_client):
    organisation = OrganisationFactory()
    url = f"/admin/members/organisation/{organisation.pk}/change/"
    data = change_form_data(roster_client.get(url))
    data.update({"people-TOTAL_FORMS": 1, "people-0-name_zh_hans": "王测试", "people-0-job_title_zh_hans": "副总经理"})
    assert roster_client.post(url, data).status_code == 302
    person = Person.objects.get()
    assert (person.organisation, person.job_title_zh_hans, person.job_title_zh_hant) == (
        organisation,
        "副总经理",
        "副總經理",
    )
