"""Import and export of organisations, office member units and council seats (CSV and XLSX).

An import with any invalid row saves nothing and names every bad row by number, in the admin
(preview, with no way to confirm) and in `import_roster`; exported files import back unchanged.
"""

import csv
import datetime
import io
import re

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation
from reversion.models import Version

from members.models import Organisation, OrganisationKind, Role
from members.resources import OrganisationResource
from offices.models import CouncilSeat, OfficeMembership
from offices.resources import CouncilSeatResource, OfficeMembershipResource
from tests.factories import (
    CouncilSeatFactory,
    OfficeFactory,
    OfficeMembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.i18n import zh

pytestmark = pytest.mark.django_db

CSV_FORMAT, XLSX_FORMAT = "0", "1"  # positions in the admin's format menu


def csv_text(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def organisation_rows(count=100, bad_row=None):
    """`count` new organisations; row `bad_row` (1-based, the header not counted) has a kind that does not exist."""
    rows = []
    for number in range(1, count + 1):
        kind = "spaceship" if number == bad_row else OrganisationKind.ENTERPRISE
        rows.append(["", f"苏州导入测试科技有限公司{number:03d}", f"Suzhou Import Test Co. {number:03d}", kind, "1"])
    return csv_text(["slug", "name_zh_hans", "name_en", "kind", "is_member"], rows)


def import_roster(tmp_path, kind, content, *args, name="roster.csv"):
    """Run `import_roster` (in English) on a file with `content`; returns stdout and stderr."""
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()
    with translation.override("en"):
        try:
            call_command("import_roster", kind, str(path), *args, stdout=stdout, stderr=stderr)
        except CommandError as error:
            raise ImportRefused(str(error), stderr.getvalue()) from None
    return stdout.getvalue(), stderr.getvalue()


class ImportRefused(Exception):
    def __init__(self, message, report):
        super().__init__(message)
        self.report = report


def role_label(role, language="zh-hans"):
    with translation.override(language):
        return str(role.label)


# --- import_roster ------------------------------------------------------------------------------


def test_one_bad_row_among_100_imports_nothing_and_names_the_row_then_the_fixed_file_imports_all(tmp_path):
    with pytest.raises(ImportRefused, match="Nothing was imported: 1 of 100 rows have errors") as refused:
        import_roster(tmp_path, "organisations", organisation_rows(bad_row=37))
    assert refused.value.report.splitlines() == ["Row 37 (line 38): kind: Value 'spaceship' is not a valid choice."]
    assert not Organisation.objects.exists()
    assert not Version.objects.exists(), "no history of rows that were never saved"

    stdout, _ = import_roster(tmp_path, "organisations", organisation_rows())
    assert "Imported 100 rows: 100 new, 0 updated, 0 unchanged." in stdout
    assert Organisation.objects.count() == 100
    assert Organisation.objects.get(name_zh_hans="苏州导入测试科技有限公司037").kind == OrganisationKind.ENTERPRISE


def test_a_refused_import_leaves_existing_rows_and_their_history_untouched(tmp_path):
    inspur = OrganisationFactory(slug="inspur", name_zh_hans="浪潮")
    content = csv_text(
        ["slug", "name_zh_hans", "kind"], [["inspur", "浪潮云", "enterprise"], ["", "新公司", "spaceship"]]
    )
    with pytest.raises(ImportRefused):
        import_roster(tmp_path, "organisations", content)
    inspur.refresh_from_db()
    assert inspur.name_zh_hans == "浪潮"
    assert not Version.objects.exists(), "no history of a change that was rolled back"


def test_dry_run_checks_every_row_and_saves_nothing(tmp_path):
    stdout, _ = import_roster(tmp_path, "organisations", organisation_rows(), "--dry-run")
    assert stdout.strip() == "Dry run: all 100 rows are valid (100 new, 0 updated, 0 unchanged). Nothing was saved."
    assert not Organisation.objects.exists()
    assert not Version.objects.exists()


def test_every_bad_row_is_reported_with_its_reason(tmp_path):
    office = OfficeFactory(slug="wuzhong")
    member = OrganisationFactory(slug="inspur")
    content = csv_text(
        ["id", "office", "organisation", "joined_on", "batch", "left_on"],
        [
            ["", "wuzhong", "inspur", "2020-11-20", "1", ""],
            ["", "wuzhong", "no-such-company", "2020-11-20", "1", ""],
            ["", "gusu", "inspur", "2020-11-20", "1", ""],
            ["", "wuzhong", "inspur", "20/11/2020x", "1", ""],
        ],
    )
    with pytest.raises(ImportRefused, match="Nothing was imported: 3 of 4 rows have errors") as refused:
        import_roster(tmp_path, "memberships", content)
    assert refused.value.report.splitlines() == [
        "Row 2 (line 3): organisation: No organisation has the slug “no-such-company”.",
        "Row 3 (line 4): office: No district office has the slug “gusu”.",
        "Row 4 (line 5): joined_on: “20/11/2020x” is not a date; write it as 2020-11-20.",
        "Row 4 (line 5): This organisation is already a member unit of this office.",
    ]
    assert not office.memberships.exists() and not member.office_memberships.exists()


def test_a_second_president_in_the_file_is_refused_by_row(tmp_path):
    office = OfficeFactory(slug="wuzhong")
    OrganisationFactory(slug="inspur")
    OrganisationFactory(slug="mobile")
    content = csv_text(
        ["id", "office", "role", "organisation", "started_on"],
        [["", "wuzhong", "president", "inspur", "2020-11-20"], ["", "wuzhong", "President", "mobile", "2020/11/20"]],
    )
    with pytest.raises(ImportRefused, match="1 of 2 rows") as refused:
        import_roster(tmp_path, "council-seats", content)
    assert refused.value.report.splitlines() == [
        "Row 2 (line 3): An office can have only one current president: end the other president’s term first."
    ]
    assert not office.council_seats.exists()


def test_council_roles_may_be_given_by_their_chinese_or_english_label(tmp_path):
    OfficeFactory(slug="wuzhong")
    for slug in ["inspur", "mobile", "institute", "huawei"]:
        OrganisationFactory(slug=slug)
    content = csv_text(
        ["office", "role", "organisation", "sort_order"],
        [
            ["wuzhong", role_label(Role.PRESIDENT), "inspur", "0"],
            ["wuzhong", "Vice-President", "mobile", ""],
            ["wuzhong", "secretary_general", "institute", "0"],
            ["wuzhong", role_label(Role.DIRECTOR, "zh-hant"), "huawei", "0"],
        ],
    )
    import_roster(tmp_path, "council-seats", content)
    assert sorted(CouncilSeat.objects.values_list("organisation__slug", "role")) == [
        ("huawei", Role.DIRECTOR),
        ("inspur", Role.PRESIDENT),
        ("institute", Role.SECRETARY_GENERAL),
        ("mobile", Role.VICE_PRESIDENT),
    ]


def test_a_row_given_twice_is_an_error(tmp_path):
    OrganisationFactory(slug="inspur", name_zh_hans="浪潮")
    content = csv_text(
        ["slug", "name_zh_hans", "kind"], [["inspur", "浪潮一", "enterprise"], ["inspur", "浪潮二", "enterprise"]]
    )
    with pytest.raises(ImportRefused) as refused:
        import_roster(tmp_path, "organisations", content)
    assert refused.value.report.splitlines() == ["Row 2 (line 3): Row 1 has the same slug; give each row once."]
    assert Organisation.objects.get().name_zh_hans == "浪潮"


def test_csv_saved_by_a_chinese_spreadsheet_program_is_read_as_gb18030(tmp_path):
    content = csv_text(["slug", "name_zh_hans", "kind"], [["", "苏州浪潮云计算有限公司", "enterprise"]]).encode(
        "gb18030"
    )
    import_roster(tmp_path, "organisations", content)
    assert Organisation.objects.get().name_zh_hans == "苏州浪潮云计算有限公司"


def test_xlsx_files_import_like_csv(tmp_path):
    dataset = tablib.Dataset(headers=["slug", "name_zh_hans", "name_en", "kind", "is_member", "joined_on"])
    dataset.append(["", "苏州表格导入公司", "Suzhou Sheet Co.", "research_institute", True, datetime.date(2021, 3, 1)])
    stdout, _ = import_roster(tmp_path, "organisations", dataset.export("xlsx"), name="roster.xlsx")
    assert "1 new" in stdout
    organisation = Organisation.objects.get()
    assert (organisation.kind, organisation.is_member, organisation.joined_on) == (
        OrganisationKind.RESEARCH_INSTITUTE,
        True,
        datetime.date(2021, 3, 1),
    )


def test_the_format_can_be_named_when_the_file_name_does_not_say(tmp_path):
    with pytest.raises(ImportRefused, match=r"name it \.csv or \.xlsx, or give --format"):
        import_roster(tmp_path, "organisations", organisation_rows(3), name="roster.txt")
    stdout, _ = import_roster(tmp_path, "organisations", organisation_rows(3), "--format", "csv", name="roster.txt")
    assert "3 new" in stdout


def test_a_missing_or_unreadable_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_roster", "organisations", str(tmp_path / "missing.csv"))
    with pytest.raises(ImportRefused, match="is not a readable XLSX file"):
        import_roster(tmp_path, "organisations", b"not a spreadsheet", name="broken.xlsx")


def test_a_command_import_is_one_revision_in_the_history(tmp_path):
    import_roster(tmp_path, "organisations", organisation_rows(3), name="members-2024.csv")
    versions = Version.objects.get_for_model(Organisation)
    assert versions.count() == 3
    assert {version.revision_id for version in versions} == {versions[0].revision_id}
    assert versions[0].revision.get_comment() == "Imported from members-2024.csv."


# --- The admin ----------------------------------------------------------------------------------


def admin_import(client, url, content, file_format=CSV_FORMAT, name="roster.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    upload = SimpleUploadedFile(name, data)
    return client.post(url, {"import_file": upload, "format": file_format})


def confirm(client, url, preview):
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(url.replace("/import/", "/process_import/"), data, follow=True)


def test_admin_preview_lists_every_bad_row_and_offers_no_confirmation(roster_client):
    rows = organisation_rows(bad_row=37).replace("苏州导入测试科技有限公司090", "")
    response = admin_import(roster_client, "/admin/members/organisation/import/", rows)
    assert response.status_code == 200
    page = response.content.decode()
    assert not response.context.get("confirm_form")
    assert 'name="confirm"' not in page, "no way to confirm while a row is invalid"
    invalid = {row.number: sorted(row.error_dict) for row in response.context["result"].invalid_rows}
    assert invalid == {37: ["kind"], 90: ["name_zh_hans"]}
    assert "spaceship" in str(response.context["result"].invalid_rows[0].error_dict["kind"])
    assert re.search(
        r'<tr class="row-error"><td>37</td><td>38</td><td>kind</td><td class="errornote-text">[^<]*spaceship', page
    )
    assert '<tr class="row-error"><td>90</td><td>91</td><td>name_zh_hans</td>' in page
    assert not Organisation.objects.exists()


def test_admin_imports_the_fixed_file_after_the_preview_with_the_user_in_the_history(roster_client, roster_staff):
    url = "/admin/members/organisation/import/"
    preview = admin_import(roster_client, url, organisation_rows())
    assert 'name="confirm"' in preview.content.decode()
    assert not Organisation.objects.exists(), "the preview saves nothing"
    response = confirm(roster_client, url, preview)
    assert response.status_code == 200
    assert Organisation.objects.count() == 100
    revision = Version.objects.get_for_model(Organisation).first().revision
    assert revision.user == roster_staff
    assert revision.version_set.count() == 100


def test_admin_confirm_saves_nothing_when_the_roster_changed_since_the_preview(roster_client):
    office = OfficeFactory(slug="wuzhong")
    OrganisationFactory(slug="inspur")
    OrganisationFactory(slug="mobile")
    url = "/admin/offices/councilseat/import/"
    content = csv_text(
        ["office", "role", "organisation"],
        [["wuzhong", "vice_president", "inspur"], ["wuzhong", "president", "mobile"]],
    )
    preview = admin_import(roster_client, url, content)
    assert 'name="confirm"' in preview.content.decode()
    CouncilSeatFactory(office=office, role=Role.PRESIDENT)  # entered by someone else meanwhile
    response = confirm(roster_client, url, preview)
    page = response.content.decode()
    rule = zh("An office can have only one current president: end the other president’s term first.")
    assert (
        zh(
            "Row %(number)s (line %(line)s): %(label)s%(message)s",
            params={"number": 2, "line": 3, "label": "", "message": rule},
        )
        in page
    )
    assert zh("Nothing was imported. Correct the file and import it again.") in page
    assert office.council_seats.count() == 1


def test_admin_imports_xlsx(roster_client):
    office = OfficeFactory(slug="wuzhong")
    OrganisationFactory(slug="inspur")
    dataset = tablib.Dataset(headers=["office", "organisation", "joined_on", "batch"])
    dataset.append(["wuzhong", "inspur", datetime.date(2020, 11, 20), 1])
    url = "/admin/offices/officemembership/import/"
    preview = admin_import(roster_client, url, dataset.export("xlsx"), XLSX_FORMAT, "members.xlsx")
    confirm(roster_client, url, preview)
    membership = office.memberships.get()
    assert (membership.organisation.slug, membership.joined_on, membership.batch) == (
        "inspur",
        datetime.date(2020, 11, 20),
        1,
    )


# --- Round trips --------------------------------------------------------------------------------


@pytest.fixture
def roster():
    """An office with member units and council seats, current and past, using every column."""
    office = OfficeFactory(slug="wuzhong")
    inspur = OrganisationFactory(
        name_zh_hans="苏州浪潮云计算有限公司",
        name_en="Suzhou Inspur Cloud Computing Co., Ltd.",
        short_name_zh_hans="浪潮",
        joined_on=datetime.date(2020, 11, 20),
        website="https://example.org/inspur",
        address_zh_hans="苏州市吴中区",
    )
    ronghui = OrganisationFactory(name_zh_hans="江苏荣辉", name_en="", is_member=False)
    mobile = OrganisationFactory(
        name_zh_hans="中国移动通信集团江苏有限公司苏州分公司", kind=OrganisationKind.TELECOM_OPERATOR
    )
    for organisation in (inspur, ronghui, mobile):
        OfficeMembershipFactory(office=office, organisation=organisation, joined_on=datetime.date(2020, 11, 20))
    OfficeMembershipFactory(office=office, left_on=datetime.date(2022, 6, 30), batch=None)
    CouncilSeatFactory(
        office=office,
        organisation=inspur,
        role=Role.PRESIDENT,
        representative=PersonFactory(organisation=inspur),
        started_on=datetime.date(2020, 11, 20),
    )
    CouncilSeatFactory(office=office, organisation=mobile, role=Role.VICE_PRESIDENT, sort_order=1)
    CouncilSeatFactory(
        office=office,
        organisation=ronghui,
        role=Role.PRESIDENT,
        started_on=datetime.date(2018, 1, 1),
        ended_on=datetime.date(2020, 11, 19),
    )
    return office


ROUND_TRIPS = [
    ("organisations", OrganisationResource, Organisation),
    ("memberships", OfficeMembershipResource, OfficeMembership),
    ("council-seats", CouncilSeatResource, CouncilSeat),
]


def snapshot():
    return {model: sorted(model.objects.values_list()) for _, _, model in ROUND_TRIPS}


def exported(resource, file_format):
    data = resource().export().export(file_format)
    return data.encode("utf-8") if isinstance(data, str) else data


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exported_files_import_back_unchanged(tmp_path, roster, file_format):
    before = snapshot()
    for kind, resource, model in ROUND_TRIPS:
        stdout, _ = import_roster(tmp_path, kind, exported(resource, file_format), name=f"{kind}.{file_format}")
        count = model.objects.count()
        assert f"Imported {count} rows: 0 new, 0 updated, {count} unchanged." in stdout
    assert snapshot() == before
    assert not Version.objects.exists(), "nothing changed, nothing to record"


def test_exported_organisations_recreate_the_same_rows(tmp_path, roster):
    def organisation_values():
        fields = [*OrganisationResource._meta.fields, "name_sort_key", "search_document"]
        rows = Organisation.objects.values(*fields)
        return {row["slug"]: {name: "" if value is None else value for name, value in row.items()} for row in rows}

    before = organisation_values()
    data = exported(OrganisationResource, "csv")
    CouncilSeat.objects.all().delete()
    OfficeMembership.objects.all().delete()
    Organisation.objects.all().delete()
    import_roster(tmp_path, "organisations", data)
    assert organisation_values() == before


def admin_export(client, url, file_format):
    form = client.get(url).context["form"]
    data = {name: "on" for name, field in form.fields.items() if field.__class__.__name__ == "BooleanField"}
    data.update(format=file_format, resource="0")
    response = client.post(url, data)
    assert response.status_code == 200
    return response


def test_admin_exports_csv_that_spreadsheets_read_as_utf8_and_xlsx_that_imports_back(roster_client, roster, tmp_path):
    response = admin_export(roster_client, "/admin/offices/councilseat/export/", CSV_FORMAT)
    content = b"".join(response)
    assert content.startswith("\ufeff".encode()), "a byte order mark for spreadsheet programs"
    header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header[:4] == ["id", "office", "role", "organisation"]
    assert [
        "wuzhong",
        "president",
        OrganisationFactory._meta.model.objects.get(name_zh_hans="苏州浪潮云计算有限公司").slug,
    ] in [row[1:4] for row in rows]
    assert "苏州浪潮云计算有限公司" in content.decode("utf-8-sig"), "names are written for people reading the file"

    response = admin_export(roster_client, "/admin/offices/councilseat/export/", XLSX_FORMAT)
    before = snapshot()
    stdout, _ = import_roster(tmp_path, "council-seats", b"".join(response), name="seats.xlsx")
    assert "0 new, 0 updated, 3 unchanged" in stdout
    assert snapshot() == before
