"""Posting admin change forms as a browser would: every field as shown, plus the changes a test makes."""

from django.db.models.fields.files import FieldFile


def change_form_data(response):
    """The data a browser posts back from an admin add or change form left as it is."""
    context = response.context
    forms = [context["adminform"].form]
    data = {}
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        forms.extend(formset.forms)
        management = formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, FieldFile) or value is False:
                continue  # a browser sends no file it was not given, and no unticked box
            data[form.add_prefix(name)] = "" if value is None else value
    return data


def add_inline_row(data, prefix, **values):
    """Add a row to the inline formset `prefix` (e.g. "council_seats") and return its index."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = index + 1
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value
    return index


def inline_row(data, prefix, pk):
    """The index of the row of object `pk` in the inline formset `prefix`."""
    for key, value in data.items():
        if key.startswith(f"{prefix}-") and key.endswith("-id") and str(value) == str(pk):
            return int(key.split("-")[1])
    raise KeyError(f"No row for {pk} in {prefix}")
