"""Hostile text in every text field, search box and import file never reaches a page as live markup.

Each payload of xss_payloads.txt is stored in every text field of every model (every language
column), by model saves, admin forms and roster imports, and typed into every search form. Every
page showing the text is parsed and checked structurally (tests/security/markup.py). Payloads are
packed per field up to its max_length so that a page checks many payloads at once.
"""

import csv
import io
import itertools

import feedparser
import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import translation
from modeltranslation.translator import NotRegistered, translator

from members.models import Organisation, Person
from news.models import Article, ArticlePhoto, Attachment, Category
from offices.models import Committee, CommitteeSeat, CouncilSeat, Office, OfficeMembership
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    AttachmentFactory,
    CommitteeFactory,
    CommitteeSeatFactory,
    CouncilSeatFactory,
    OfficeFactory,
    OfficeMembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.security.admin_forms import admin_errors, admin_form_data
from tests.security.markup import live_markup, live_markup_in_fragment, load_payloads

PAYLOADS = load_payloads()
LANGUAGE_PREFIXES = ["", "/en", "/zh-hant"]
CONTENT_APPS = ("members", "offices", "news")

# Payloads that are plain text in every context the site renders text in (text, quoted
# attributes, href, JSON-LD): entity- or percent-encoded markup, template syntax, script-string
# breakouts for contexts the site does not have, and attribute tricks browsers no longer honour.
INERT_AS_RAW_TEXT = {
    "` onmouseover=alert(1) `",
    "<img/src=x/onerror=alert(1)>",
    "<img src=`x`onerror=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "%253Cscript%253Ealert(1)%253C%252Fscript%253E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "＜script＞alert(1)＜/script＞",
    "{{ 7|add:7 }}{% debug %}",
    "{% load static %}{% get_static_prefix %}{{ request.META }}",
    "${alert(1)}",
    "#{alert(1)}",
    "'; alert(1); var x='",
    '\\"; alert(1); //',
}
RAW_CONTEXTS = [
    "<p>{}</p>",
    '<input value="{}">',
    "<input value='{}'>",
    '<a href="{}">x</a>',
    '<script type="application/ld+json">{{"name": "{}"}}</script>',
]


def test_the_corpus_is_large_and_the_check_finds_every_live_payload():
    """The check is only worth something if it flags each payload when a page does not escape it."""
    assert len(PAYLOADS) >= 100
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    unflagged = {
        payload
        for payload in PAYLOADS
        if not any(live_markup_in_fragment(context.format(payload)) for context in RAW_CONTEXTS)
    }
    assert unflagged == INERT_AS_RAW_TEXT


def text_fields(model):
    """Every editable text column of `model`: each language column of a translated field."""
    try:
        translated = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        translated = set()
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
        and field.editable
        and not field.choices
        and not isinstance(field, models.SlugField)
        and field.name not in translated
    ]


def packed(max_length):
    """The corpus packed into as few values of at most `max_length` characters as possible."""
    values, current = [], ""
    for payload in PAYLOADS:
        payload = payload[:max_length] if max_length else payload
        if current and max_length and len(current) + 1 + len(payload) > max_length:
            values.append(current)
            current = ""
        current = f"{current} {payload}" if current else payload
    return [*values, current]


def field_values(model, round_number):
    """Round `round_number` of the corpus for each text field; every language column gets the same."""
    values = {}
    for field in text_fields(model):
        chunks = packed(field.max_length)
        values[field.name] = chunks[round_number % len(chunks)]
    return values


def rounds_needed(*model_list):
    return max(len(packed(field.max_length)) for model in model_list for field in text_fields(model))


def assert_no_live_markup(client, url, problems):
    response = client.get(url, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    if "html" in response["Content-Type"]:
        problems.extend(f"{url}: {problem}" for problem in live_markup(response))
    return response


def check_feed(client, url, problems):
    """Descriptions are HTML to feed readers and may carry no live markup (titles are plain text,
    which tests/news/test_xss.py checks)."""
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content, sanitize_html=False, resolve_relative_uris=False)
    assert not feed.bozo, feed.bozo_exception
    for entry in feed.entries:
        detail = entry.get("summary_detail")
        if detail and "html" in detail["type"]:
            problems.extend(f"{url}: {p}" for p in live_markup_in_fragment(detail["value"]))


def public_pages(article, office, organisation):
    return [
        reverse("home"),
        reverse("news:article-list"),
        article.category.get_absolute_url(),
        article.get_absolute_url(),
        reverse("offices:office-list"),
        office.get_absolute_url(),
        reverse("members:directory"),
        organisation.get_absolute_url(),
        reverse("search") + "?q=" + "测试",
    ]


@pytest.fixture
def hostile_site(db):
    """One of everything, linked so that every text field shows on some public page."""
    office = OfficeFactory(ordinal=1)
    organisation = OrganisationFactory(website="https://example.org/")
    person = PersonFactory(organisation=organisation)
    committee = CommitteeFactory(office=office)
    alliance_committee = CommitteeFactory(office=None)
    CouncilSeatFactory(office=office, organisation=organisation, representative=person)
    CommitteeSeatFactory(committee=committee, organisation=organisation, representative=person)
    CommitteeSeatFactory(committee=alliance_committee, organisation=organisation)
    OfficeMembershipFactory(office=office, organisation=organisation)
    article = ArticleFactory()
    article.offices.set([office])
    article.organisations.set([organisation])
    article.people.set([person])
    photo = ArticlePhotoFactory(article=article)
    photo.people_shown.set([person])
    AttachmentFactory(article=article)
    ArticleFactory(category=article.category)  # a neighbour, for the pager and related lists
    return {
        Office: office,
        Organisation: organisation,
        Person: person,
        Committee: committee,
        Category: article.category,
        Article: article,
        ArticlePhoto: photo,
        Attachment: article.attachments.get(),
    }


def test_payloads_saved_in_every_text_field_never_reach_a_page_as_live_markup(hostile_site, client):
    alliance_committee = Committee.objects.get(office__isnull=True)
    problems = []
    for round_number in range(rounds_needed(*hostile_site)):
        for model, instance in hostile_site.items():
            for name, value in field_values(model, round_number).items():
                setattr(instance, name, value)
            if model is Organisation:
                instance.website = PAYLOADS[round_number % len(PAYLOADS)]
            instance.save()
        for name, value in field_values(Committee, round_number + 1).items():
            setattr(alliance_committee, name, value)
        alliance_committee.save()
        prefix = LANGUAGE_PREFIXES[round_number % len(LANGUAGE_PREFIXES)]
        with translation.override("zh-hans"):
            pages = public_pages(hostile_site[Article], hostile_site[Office], hostile_site[Organisation])
            feeds = [reverse("news:feed-rss"), reverse("news:feed-atom")]
        for url in pages:
            assert_no_live_markup(client, prefix + url, problems)
        for url in feeds:
            check_feed(client, prefix + url, problems)
    assert not problems, "\n".join(problems[:20])


def admin_pages_of(instance):
    opts = instance._meta
    return [
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk]),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[instance.pk]),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[instance.pk]),
    ]


def test_payloads_saved_in_every_text_field_never_reach_an_admin_page_as_live_markup(hostile_site, client):
    """Change lists, change forms, history and delete confirmations of every model, rotating payloads."""
    client.force_login(UserFactory(is_superuser=True))
    seats = [CouncilSeat.objects.get(), CommitteeSeat.objects.first(), OfficeMembership.objects.get()]
    problems = []
    for round_number in range(3):
        for model, instance in hostile_site.items():
            for name, value in field_values(model, round_number * 23).items():
                setattr(instance, name, value)
            instance.save()
        for instance in [*hostile_site.values(), *seats]:
            if admin.site.is_registered(type(instance)):
                for url in admin_pages_of(instance)[: 4 if round_number == 0 else 2]:
                    assert_no_live_markup(client, url, problems)
    assert not problems, "\n".join(problems[:20])


ADMIN_FORM_MODELS = [Organisation, Person, Office, Committee, Category, Article]


@pytest.mark.parametrize("model", ADMIN_FORM_MODELS, ids=lambda model: model.__name__)
def test_payloads_typed_into_admin_forms_are_stored_inert(model, hostile_site, client):
    """Every payload goes through every admin form; the fields of a form take turns."""
    client.force_login(UserFactory(is_superuser=True))
    instance = hostile_site[model]
    opts = model._meta
    change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk])
    names = [field.name for field in text_fields(model) if field.name != "website"]
    problems = []
    chunks = packed(100)
    rounds = -(-len(chunks) // len(names))
    for round_number in range(rounds):
        data = admin_form_data(client.get(change_url))
        for index, name in enumerate(names):
            field = model._meta.get_field(name)
            value = chunks[(round_number * len(names) + index) % len(chunks)]
            data[name] = value[: field.max_length] if field.max_length else value
        response = client.post(change_url, data)
        assert response.status_code == 302, admin_errors(response)
        problems.extend(f"{change_url}: {p}" for p in live_markup(client.get(change_url)))
        instance.refresh_from_db()
        if hasattr(instance, "get_absolute_url"):
            assert_no_live_markup(client, instance.get_absolute_url(), problems)
    assert not problems, "\n".join(problems[:20])


def search_urls(hostile_site):
    return [
        reverse("search"),
        reverse("news:article-list"),
        hostile_site[Category].get_absolute_url(),
        reverse("members:directory"),
    ]


def test_every_payload_typed_into_every_public_search_box_is_shown_as_text(hostile_site, client):
    problems = []
    # Public searches keep the first 100 characters of a query.
    for url, payload in itertools.product(search_urls(hostile_site), packed(100)):
        response = client.get(url, {"q": payload})
        assert response.status_code == 200
        problems.extend(f"{url}?q={payload}: {p}" for p in live_markup(response))
    assert not problems, "\n".join(problems[:20])


def test_every_payload_typed_into_every_admin_search_box_is_shown_as_text(hostile_site, client):
    client.force_login(UserFactory(is_superuser=True))
    problems = []
    chunks = packed(2000)
    for model in admin.site._registry:
        if model._meta.app_label not in CONTENT_APPS or not admin.site._registry[model].search_fields:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for chunk in chunks:
            response = client.get(url, {"q": chunk})
            assert response.status_code == 200, url
            problems.extend(f"{url}: {p}" for p in live_markup(response))
    assert not problems, "\n".join(problems[:20])


def roster_csv(rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def test_payloads_in_a_roster_import_file_are_shown_as_text(db, client):
    """Organisations imported from a CSV in the admin, every payload in every imported text column."""
    client.force_login(UserFactory(is_superuser=True))
    rows = []
    for index, payload in enumerate(packed(100)):
        rows.append(
            {
                "slug": f"imported-{index}",
                "name_zh_hans": payload[:200],
                "name_en": payload[:200],
                "name_zh_hant": payload[:200],
                "short_name_zh_hans": payload[:100],
                "short_name_en": payload[:100],
                "kind": "enterprise",
                "is_member": "1",
                "joined_on": "",
                "website": "",
                "address_zh_hans": payload,
                "address_en": payload,
            }
        )
    upload = SimpleUploadedFile("roster.csv", roster_csv(rows), content_type="text/csv")
    response = client.post(
        reverse("admin:members_organisation_import"), {"format": "0", "import_file": upload, "resource": "0"}
    )
    assert response.status_code == 200
    problems = [f"import preview: {p}" for p in live_markup(response)]
    confirm = response.context["confirm_form"]
    response = client.post(
        reverse("admin:members_organisation_process_import"),
        {name: confirm[name].value() for name in confirm.fields},
    )
    assert response.status_code == 302
    assert Organisation.objects.count() == len(rows)
    client.logout()
    assert_no_live_markup(client, reverse("members:directory"), problems)
    for organisation in Organisation.objects.all():
        assert_no_live_markup(client, organisation.get_absolute_url(), problems)
    assert not problems, "\n".join(problems[:20])


def test_admin_forms_refuse_a_script_url_as_website(db, client):
    client.force_login(UserFactory(is_superuser=True))
    organisation = OrganisationFactory()
    response = client.get(reverse("admin:members_organisation_change", args=[organisation.pk]))
    data = admin_form_data(response)
    data["website"] = "javascript:alert(1)"
    response = client.post(reverse("admin:members_organisation_change", args=[organisation.pk]), data)
    assert response.status_code == 200
    assert "website" in response.context["adminform"].form.errors
