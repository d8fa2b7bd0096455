"""python manage.py import_roster {organisations,memberships,council-seats} FILE [--dry-run] [--format csv|xlsx]"""

from pathlib import Path

import tablib
from django.core.management.base import BaseCommand, CommandError

from core.resources import decode_table_text, describe_errors
from members.resources import OrganisationResource
from offices.resources import CouncilSeatResource, OfficeMembershipResource

RESOURCES = {
    "organisations": OrganisationResource,
    "memberships": OfficeMembershipResource,
    "council-seats": CouncilSeatResource,
}
FORMATS = ("csv", "xlsx")


def read_dataset(path, file_format):
    data = Path(path).read_bytes()
    if file_format == "csv":
        return tablib.Dataset().load(decode_table_text(data), format="csv")
    return tablib.Dataset().load(data, format="xlsx")


class Command(BaseCommand):
    help = (
        "Import organisations, office member units or council seats from a CSV or XLSX file, as exported "
        "from the admin. Every row is checked first; if any row is invalid, nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=RESOURCES, help="What the file holds.")
        parser.add_argument("file", help="The CSV or XLSX file; its first row names the columns.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and report, saving nothing.")
        parser.add_argument("--format", choices=FORMATS, help="The file's format (default: from its extension).")

    def handle(self, kind, file, dry_run, format, **options):
        file_format = format or Path(file).suffix.lower().lstrip(".")
        if file_format not in FORMATS:
            raise CommandError(f"Cannot tell the format of {file}: name it .csv or .xlsx, or give --format.")
        try:
            dataset = read_dataset(file, file_format)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from None
        except Exception as error:
            raise CommandError(f"{file} is not a readable {file_format.upper()} file ({error}).") from None

        result = RESOURCES[kind]().import_data(dataset, dry_run=dry_run, file_name=Path(file).name)

        if result.has_errors() or result.has_validation_errors():
            for line in describe_errors(result):
                self.stderr.write(line)
            invalid = len({row.number for row in result.invalid_rows} | {number for number, _ in result.row_errors()})
            raise CommandError(
                f"Nothing was imported: {invalid} of {result.total_rows} rows have errors. Correct them and run again."
            )
        totals = result.totals
        summary = f"{totals['new']} new, {totals['update']} updated, {totals['skip']} unchanged"
        if dry_run:
            self.stdout.write(f"Dry run: all {result.total_rows} rows are valid ({summary}). Nothing was saved.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {result.total_rows} rows: {summary}."))
