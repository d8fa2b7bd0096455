"""Admin change forms posted the way a browser posts them."""


def admin_form_data(response):
    """The data the admin change form on `response` posts as it stands, inlines included."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.initial_forms)
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            data[bound.html_name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"]  # no new inline rows
    return data


def admin_errors(response):
    if not response.context:
        return ""
    errors = [response.context["adminform"].form.errors]
    errors += [(i.formset.errors, i.formset.non_form_errors()) for i in response.context["inline_admin_formsets"]]
    return errors


def with_new_inline_row(data, prefix, values):
    """`data` plus one new row in the inline formset `prefix` (photos, attachments ...)."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data = {**data, f"{prefix}-TOTAL_FORMS": str(index + 1)}
    data.update({f"{prefix}-{index}-{name}": value for name, value in values.items()})
    return data
