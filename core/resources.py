"""CSV / XLSX import and export (django-import-export), all or nothing, formula-safe.

Every row is validated like an admin form (full_clean, database constraints included), and an
import with any invalid row saves nothing, whichever way it runs: the admin, `import_roster`,
or code calling `import_data`. Rows that refer to other rows name them by slug.

Imports no app of the project.
"""

import datetime
import re

import reversion
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from modeltranslation.translator import NotRegistered, translator

# A cell starting with one of =, +, -, @ (or a tab or carriage return before one) is read by
# spreadsheet programs as a formula: OWASP, "CSV Injection". Apostrophes already in front of
# one are counted, so that escaping can be undone exactly.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED_FORMULA_START = re.compile(r"'+[=+\-@\t\r]")


def escape_formula(value):
    """`value` as a spreadsheet cell that is text, never a formula.

    Args:
        value: a cell as a resource exports it (text, number, date, None ...).

    Returns:
        Text starting with =, +, -, @, a tab or a carriage return, or with apostrophes before one
        of them, with one more apostrophe in front (`-5` → `'-5`); anything else unchanged.
        `unescape_formula` gives the value back.

    The apostrophe is what OWASP ("CSV Injection") recommends and what spreadsheet programs
    themselves use to mark typed text that is not a formula.
    """
    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return value


def unescape_formula(value):
    """The value `escape_formula` was given: one apostrophe taken from text that it escaped.

    Args:
        value: a cell as read from an imported file (text, number, date, None ...).

    Returns:
        Text of one or more apostrophes followed by =, +, -, @, a tab or a carriage return, less
        its first apostrophe; anything else (`-5` typed by hand, `'quoted'`) unchanged.
    """
    if isinstance(value, str) and _ESCAPED_FORMULA_START.match(value):
        return value[1:]
    return value


class FormulaSafeResource(resources.ModelResource):
    """A resource whose exported cells are never formulas, in any file format, and whose imports
    read them back as they were.

    django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is not used: it only
    deletes a leading `=` (losing it), leaves +, -, @, tab and carriage return, turns every cell
    into text, and is not undone on import.
    """

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        row.update((column, unescape_formula(value)) for column, value in row.items())


class AllOrNothingResource(FormulaSafeResource):
    """A resource whose imports run in one transaction, rolled back if any row is in error.

    An import that saves is one revision in the history (django-reversion), with the user who
    ran it when known; a dry run or a rolled-back import leaves no trace there.
    """

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        if dry_run:
            return super().import_data(dataset, dry_run=True, raise_errors=raise_errors, **kwargs)
        try:
            with reversion.create_revision():
                if user := kwargs.get("user"):
                    reversion.set_user(user)
                reversion.set_comment(_("Imported from %(file)s.") % {"file": kwargs.get("file_name") or _("a file")})
                result = super().import_data(dataset, dry_run=False, raise_errors=raise_errors, **kwargs)
                if result.has_errors() or result.has_validation_errors():
                    raise _NothingSaved(result)
        except _NothingSaved as nothing_saved:
            return nothing_saved.result
        return result

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if f.get_internal_type() == "DateField":
            return DateWidget
        return super().widget_from_django_field(f, default)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged rows are skipped; to a spreadsheet an empty cell and no value are the same."""
        if not self._meta.skip_unchanged or import_validation_errors:
            return False

        def value(field, row_instance):
            cell = field.get_value(row_instance)
            return "" if cell is None else cell

        return all(value(field, instance) == value(field, original) for field in self.get_import_fields())

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Like the admin: each language of a translated field is checked, not the field it mirrors
        (which would repeat the error of the Simplified Chinese column)."""
        errors = dict(import_validation_errors or {})
        mirrors = translated_fields(type(instance))
        try:
            instance.full_clean(exclude=[*errors, *mirrors], validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._rows_by_key = {}

    def before_import_row(self, row, row_number=None, **kwargs):
        """A file naming the same row twice is an error, not two edits of which the last one wins."""
        super().before_import_row(row, row_number=row_number, **kwargs)
        columns = [self.fields[name].column_name for name in self.get_import_id_fields()]
        key = tuple(str(row.get(column) or "").strip() for column in columns)
        if not any(key):
            return  # a new row
        if key in self._rows_by_key:
            raise ValidationError(
                _("Row %(row)s has the same %(columns)s; give each row once.")
                % {"row": self._rows_by_key[key], "columns": ", ".join(columns)}
            )
        self._rows_by_key[key] = row_number


class _NothingSaved(Exception):
    """Leaves the revision block of a rolled-back import, so that the history does not record
    values of existing rows that were never saved."""

    def __init__(self, result):
        super().__init__()
        self.result = result


class DateWidget(widgets.DateWidget):
    """A date written 2020-11-20 (or 2020/11/20, 2020.11.20, 2020年11月20日), or a spreadsheet date."""

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.formats = self.FORMATS

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()  # spreadsheet programs store dates as midnight
        try:
            return super().clean(value.strip() if isinstance(value, str) else value, row, **kwargs)
        except ValueError:
            raise ValueError(_("“%(value)s” is not a date; write it as 2020-11-20.") % {"value": value}) from None


class SlugWidget(widgets.ForeignKeyWidget):
    """A reference to another row by its slug, with a message staff can act on when it is unknown."""

    def __init__(self, model):
        super().__init__(model, field="slug")

    def clean(self, value, row=None, **kwargs):
        slug = str(value).strip() if value is not None else ""
        if not slug:
            return None
        try:
            return self.model.objects.get(slug=slug)
        except self.model.DoesNotExist:
            raise ValueError(
                _("No %(model)s has the slug “%(slug)s”.") % {"model": self.model._meta.verbose_name, "slug": slug}
            ) from None


def slug_field(attribute, model):
    return fields.Field(attribute=attribute, column_name=attribute, widget=SlugWidget(model))


def translated_fields(model):
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def decode_table_text(data):
    """The text of an uploaded CSV file: UTF-8 (with or without a byte order mark) or GB 18030."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def describe_errors(result):
    """One line per problem in an import result, naming the row ('Row 7 (line 8): kind: ...')."""
    problems = [(number, "", error.error) for number, errors in result.row_errors() for error in errors]
    for row in result.invalid_rows:
        for field, messages in row.error_dict.items():
            label = "" if field == NON_FIELD_ERRORS else f"{field}: "
            problems.extend((row.number, label, message) for message in messages)
    file_problems = [_("File: %(error)s") % {"error": error.error} for error in result.base_errors]
    return file_problems + [_row_line(*problem) for problem in sorted(problems, key=lambda problem: problem[0])]


def _row_line(number, label, message):
    # Row numbers count data rows; in the file (and in a spreadsheet) the header is line 1.
    return _("Row %(number)s (line %(line)s): %(label)s%(message)s") % {
        "number": number,
        "line": number + 1,
        "label": label,
        "message": message,
    }
