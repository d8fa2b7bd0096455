"""A failure in the middle of an import, a demo load or a roster edit leaves the database as it was."""

import shutil

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance_site.demo import SEED_DIR, DemoLoader
from members.models import Role
from offices.models import OfficeMembership
from tests.factories import OfficeFactory, OrganisationFactory
from tests.i18n import zh
from tests.security.admin_forms import admin_form_data, with_new_inline_row


def content_rows():
    models = [model for label in ("members", "offices", "news") for model in apps.get_app_config(label).get_models()]
    return {model._meta.label: sorted(model.objects.values_list("pk", flat=True)) for model in models}


@pytest.mark.django_db
def test_a_demo_load_that_fails_half_way_leaves_nothing(tmp_path):
    seed = tmp_path / "seed"
    shutil.copytree(SEED_DIR, seed)
    (seed / "article.en.md").unlink()  # organisations, people and the office load before the article fails
    before = content_rows()
    with pytest.raises(FileNotFoundError):
        DemoLoader(seed_dir=seed, log=lambda message: None).load()
    assert content_rows() == before


def membership_csv(rows):
    lines = ["id,office,organisation,joined_on,batch,left_on"]
    lines += [f",{office},{organisation},{joined},1," for office, organisation, joined in rows]
    return SimpleUploadedFile("members.csv", "\n".join(lines).encode(), content_type="text/csv")


def import_memberships(client, rows):
    response = client.post(
        reverse("admin:offices_officemembership_import"),
        {"format": "0", "resource": "0", "import_file": membership_csv(rows)},
    )
    assert response.status_code == 200
    return response


def confirm(client, preview, follow=False):
    form = preview.context["confirm_form"]
    return client.post(
        reverse("admin:offices_officemembership_process_import"),
        {name: form[name].value() for name in form.fields},
        follow=follow,
    )


def test_a_roster_import_with_a_bad_row_in_the_middle_imports_nothing(roster_client):
    office = OfficeFactory()
    first, second = OrganisationFactory(), OrganisationFactory()
    rows = [
        (office.slug, first.slug, "2024-05-01"),
        (office.slug, "no-such-organisation", "2024-05-01"),
        (office.slug, second.slug, "2024-05-01"),
    ]
    preview = import_memberships(roster_client, rows)
    assert preview.context.get("confirm_form") is None, "a file with errors cannot be confirmed"
    assert preview.context["result"].has_validation_errors() or preview.context["result"].has_errors()
    assert not OfficeMembership.objects.exists()


def test_a_roster_import_that_fails_on_confirmation_imports_nothing(roster_client):
    """The file was fine at the preview; by the confirmation a colleague has added one of its rows."""
    office = OfficeFactory()
    organisations = [OrganisationFactory() for _ in range(3)]
    rows = [(office.slug, organisation.slug, "2024-05-01") for organisation in organisations]
    preview = import_memberships(roster_client, rows)
    assert preview.context["confirm_form"] is not None
    OfficeMembership.objects.create(office=office, organisation=organisations[1])
    before = content_rows()
    response = confirm(roster_client, preview, follow=True)
    assert content_rows() == before, "the rows before the failing one were rolled back"
    assert zh("Nothing was imported. Correct the file and import it again.") in response.content.decode()


def test_a_roster_edit_that_fails_half_way_in_the_admin_saves_nothing(roster_client):
    """An office saved with its council: the third new seat breaks a rule, so no part of the edit is kept."""
    office = OfficeFactory(name_zh_hans="原名称")
    url = reverse("admin:offices_office_change", args=[office.pk])
    data = admin_form_data(roster_client.get(url))
    data["name_zh_hans"] = "新名称"
    president, director = OrganisationFactory(), OrganisationFactory()
    for organisation, role in ((president, Role.PRESIDENT), (director, Role.DIRECTOR), (president, Role.DIRECTOR)):
        data = with_new_inline_row(
            data, "council_seats", {"organisation": str(organisation.pk), "role": role, "sort_order": "0"}
        )
    before = content_rows()
    response = roster_client.post(url, data)
    assert response.status_code == 200 and b"errornote" in response.content
    assert content_rows() == before
    office.refresh_from_db()
    assert office.name_zh_hans == "原名称"
