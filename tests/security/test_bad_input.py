"""Wrong types, empty required fields, overlong text, impossible dates and duplicate slugs in every admin
form and management command: each answers with a message, never a server error or a traceback."""

import pytest
from django import forms
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from members.models import Role
from tests.factories import OrganisationFactory
from tests.i18n import zh
from tests.security.admin_forms import admin_form_data, with_new_inline_row

CONTENT_APPS = ("members", "offices", "news")
CONTENT_ADMINS = [
    model for model in admin.site._registry if model._meta.app_label in CONTENT_APPS or model._meta.label == "auth.User"
]


def hostile_value(field, other_slug):
    """A wrong value of the kind each form field is most likely to mishandle."""
    if isinstance(field, forms.SplitDateTimeField):
        return ["2024-13-45", "25:61"]
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return "2024-02-30"
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ["not-a-key", "999999999999999999999"]
    if isinstance(field, forms.ModelChoiceField):
        return "not-a-key"
    if isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
        return "not-a-choice"
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return "eleven"
    if isinstance(field, forms.URLField):
        return "javascript:alert(1)"
    if isinstance(field, forms.SlugField):
        return other_slug
    if isinstance(field, forms.BooleanField | forms.FileField):
        return None
    if isinstance(field, forms.CharField):
        return "超长" * 3000
    return None


def post_hostile_form(client, url, other_slug):
    page = client.get(url)
    assert page.status_code == 200, url
    form = page.context["adminform"].form
    data = admin_form_data(page)
    changed = []
    for name, field in form.fields.items():
        value = hostile_value(field, other_slug)
        if value is None:
            continue
        if isinstance(field, forms.SplitDateTimeField):
            data[f"{name}_0"], data[f"{name}_1"] = value
        else:
            data[name] = value
        changed.append(name)
    return client.post(url, data), changed


def error_codes(response, url):
    """{field: [error codes]} of the main form, after checking the page shows its error note."""
    assert response.status_code == 200, f"{url} accepted or failed: {response.status_code}"
    assert b"errornote" in response.content, url
    errors = response.context["adminform"].form.errors.as_data()
    for name, messages in errors.items():
        for error in messages:
            assert str(error.messages[0]).strip(), (url, name, "an error without a message")
    return {name: [error.code for error in messages] for name, messages in errors.items()}


@pytest.mark.parametrize("model", CONTENT_ADMINS, ids=lambda model: model._meta.label)
def test_every_admin_form_answers_hostile_values_with_field_messages(model, rows, superuser_client):
    label = model._meta.label_lower
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    other = rows[label]
    other_slug = getattr(other, "slug", "existing")
    urls = [reverse(f"{info}_add"), reverse(f"{info}_change", args=[other.pk])]
    if label == "auth.user":
        urls = [reverse(f"{info}_change", args=[other.pk])]
    for url in urls:
        response, changed = post_hostile_form(superuser_client, url, other_slug)
        errors = error_codes(response, url)
        assert errors, url
        unexplained = [name for name in errors if name != "__all__" and name not in changed]
        assert not unexplained, (url, unexplained)


@pytest.mark.parametrize("model", CONTENT_ADMINS, ids=lambda model: model._meta.label)
def test_every_admin_add_form_posted_empty_names_what_is_missing(model, rows, superuser_client):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    response = superuser_client.post(url, {})
    if response.status_code == 302:
        pytest.fail(f"{url} saved an empty form")
    errors = error_codes(response, url)
    assert any("required" in codes for codes in errors.values()), errors


@pytest.mark.parametrize(
    ("model", "slug_field"),
    [
        ("news.category", "slug"),
        ("members.organisation", "slug"),
        ("offices.office", "slug"),
        ("members.person", "slug"),
    ],
)
def test_a_duplicate_slug_is_named_on_the_form(model, slug_field, rows, superuser_client):
    existing = rows[model]
    app_label, model_name = model.split(".")
    change_url = reverse(f"admin:{app_label}_{model_name}_change", args=[existing.pk])
    add_url = reverse(f"admin:{app_label}_{model_name}_add")
    data = admin_form_data(superuser_client.get(change_url))
    response = superuser_client.post(add_url, data)
    errors = error_codes(response, add_url)
    assert "unique" in errors.get(slug_field, []), errors


def test_council_rules_are_form_messages_in_the_office_admin(rows, superuser_client):
    office = rows["offices.office"]
    url = reverse("admin:offices_office_change", args=[office.pk])
    data = admin_form_data(superuser_client.get(url))
    organisation = rows["members.organisation"]
    for seat in ({"role": Role.PRESIDENT}, {"role": Role.PRESIDENT}):
        data = with_new_inline_row(
            data, "council_seats", {"organisation": str(OrganisationFactory().pk), "sort_order": "0", **seat}
        )
    data = with_new_inline_row(
        data,
        "council_seats",
        {
            "organisation": str(organisation.pk),
            "role": Role.DIRECTOR,
            "started_on": "2025-05-01",
            "ended_on": "2024-05-01",
            "sort_order": "0",
        },
    )
    response = superuser_client.post(url, data)
    assert response.status_code == 200 and b"errornote" in response.content
    (seats,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "council_seats"
    ]
    text = str(seats.errors) + str(seats.non_form_errors())
    assert zh("An office can have only one current president: end the other president’s term first.") in text
    assert zh("A term cannot end before it starts.") in text


@pytest.mark.parametrize(
    ("command", "arguments", "message"),
    [
        ("load_demo", ["extra"], "unrecognized arguments: extra"),
        ("ensure_admin", ["--password-file", "/nonexistent-directory/password"], "Cannot write the password"),
        ("ensure_admin", ["--username", ""], "Give a username"),
        ("export_site", [], "the following arguments are required"),
        ("import_site", ["/nonexistent-directory/backup"], "is not a backup"),
    ],
)
def test_management_commands_answer_bad_arguments_with_a_message(command, arguments, message, db, tmp_path):
    with pytest.raises(CommandError, match=message):
        call_command(command, *arguments)
