"""The XSS corpus (tests/security/xss_payloads.txt) through every new text field: the public
application form and its status page, staff comments, the portal's profile edits (public page and
the admin's side-by-side review), member-only document titles and the admin pages."""

import pytest
from django.urls import reverse
from django.utils import translation

from membership import services
from membership.models import Action, MembershipApplication, ProfileChange, Stage
from tests.factories import ApplicationFactory, LiaisonFactory, MemberDocumentFactory, UserFactory, pdf_file
from tests.membership.conftest import application_data
from tests.news.pages import url_of
from tests.security.markup import live_markup, load_payloads
from tests.security.test_xss import packed

pytestmark = pytest.mark.django_db

PAYLOADS = load_payloads()
APPLICATION_TEXT = ["name", "name_en", "address", "description", "contact_name", "contact_title"]
PROFILE_TEXT = ["description_zh_hans", "description_en", "address_zh_hans", "public_contact"]


def rounds(model, names):
    chunks = {name: packed(model._meta.get_field(name).max_length) for name in names}
    count = max(len(values) for values in chunks.values())
    return [{name: values[number % len(values)] for name, values in chunks.items()} for number in range(count)]


def check(client, url, problems):
    response = client.get(url)
    translation.activate("zh-hans")  # a request to /en/ leaves English active in the thread
    assert response.status_code == 200, url
    problems.extend(f"{url}: {problem}" for problem in live_markup(response))


def test_payloads_typed_into_the_application_form_stay_text_everywhere(client, policy, secretariat, settings):
    settings.MEMBERSHIP_APPLICATIONS_PER_HOUR = 1000
    admin_client = client.__class__()
    admin_client.force_login(UserFactory(is_superuser=True))
    problems = []
    for number, values in enumerate(rounds(MembershipApplication, APPLICATION_TEXT)):
        data = {**application_data(credit_code=ApplicationFactory.build().credit_code), **values}
        response = client.post(reverse("membership:apply"), {**data, "licence": pdf_file()})
        assert response.status_code == 302, (number, response.content[:2000])
        application = MembershipApplication.objects.get(credit_code=data["credit_code"])
        assert application.name == values["name"]  # stored as typed
        comment = values["description"]
        services.transition(application, Action.RETURN, secretariat, comment=comment)
        status = reverse("membership:application-status", kwargs={"token": services.status_token(application)})
        check(client, status, problems)  # the returned application's form shows every value again
        check(admin_client, reverse("admin:membership_membershipapplication_change", args=[application.pk]), problems)
    check(admin_client, reverse("admin:membership_membershipapplication_changelist"), problems)
    check(admin_client, reverse("admin:membership_membershipapplication_changelist") + "?q=%3Cscript", problems)
    assert not problems, "\n".join(problems[:20])


def test_payloads_in_profile_edits_and_documents_stay_text_everywhere(client, secretariat):
    admin_client = client.__class__()
    admin_client.force_login(secretariat)
    problems = []
    for values in rounds(ProfileChange, PROFILE_TEXT):
        liaison = LiaisonFactory()
        client.force_login(liaison.user)
        response = client.post(reverse("membership:portal-profile"), {**values, "website": ""})
        assert response.status_code == 302
        change = ProfileChange.objects.get(organisation=liaison.organisation)
        check(admin_client, reverse("admin:membership_profilechange_change", args=[change.pk]), problems)
        services.approve_profile_change(change, secretariat)
        check(client, url_of(liaison.organisation), problems)
        check(client, url_of(liaison.organisation, "en"), problems)
        rejected = services.propose_profile_change(liaison, {"description_zh_hans": "x"})
        services.reject_profile_change(rejected, secretariat, values["description_zh_hans"])
        check(client, reverse("membership:portal"), problems)
    for chunk in packed(200):
        MemberDocumentFactory(title=chunk, title_en=chunk)
    for language in ("zh-hans", "en", "zh-hant"):
        with translation.override(language):
            check(client, reverse("membership:document-list"), problems)
            check(client, reverse("membership:portal"), problems)
    assert not problems, "\n".join(problems[:20])


def test_a_payload_as_decision_comment_is_text_in_the_admin_history(client, council):
    application = ApplicationFactory(stage=Stage.COUNCIL)
    comment = " ".join(PAYLOADS)
    services.transition(application, Action.COUNCIL_REJECT, council, comment=comment)
    client.force_login(UserFactory(is_superuser=True))
    problems = []
    check(client, reverse("admin:membership_membershipapplication_change", args=[application.pk]), problems)
    status = reverse("membership:application-status", kwargs={"token": services.status_token(application)})
    check(client, status, problems)
    assert not problems, "\n".join(problems[:20])
