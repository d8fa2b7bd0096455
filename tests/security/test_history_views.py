"""The history, revision and recover pages of every admin with a history touch only that admin's
own rows, and every revert or recovery is recorded: who went back to which version."""

import pytest
import reversion
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core import serializers
from django.test import Client
from django.urls import reverse
from reversion.admin import VersionAdmin
from reversion.models import Revision, Version

from core.groups import EDITORS, ROSTER_STAFF
from members.models import Organisation
from news.models import Article
from offices.models import Office
from tests.factories import ArticleFactory, CategoryFactory, OfficeFactory, OrganisationFactory, UserFactory
from tests.offices.admin_forms import change_form_data
from tests.security.test_permissions import NOT_OFFERED

pytestmark = pytest.mark.django_db


def history_admins():
    """Every registered model admin with a history: a new one is covered without being named here."""
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, VersionAdmin)
    ]


def url_name(model, page):
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"


def record(row, user=None):
    """Save `row` as a new version in the history and return that version."""
    with reversion.create_revision():
        reversion.add_to_revision(row)
        reversion.set_user(user)
    return Version.objects.get_for_object(row).order_by("-pk").first()


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def snapshot(rows):
    return {label: serializers.serialize("json", type(row).objects.filter(pk=row.pk)) for label, row in rows.items()}


def test_every_history_page_refuses_versions_of_other_models_and_objects(rows):
    superuser = signed_in(UserFactory(is_superuser=True))
    # Contact messages (personal data visitors send) keep no history.
    versions = {label: record(row) for label, row in rows.items() if reversion.is_registered(type(row))}
    for row in rows.values():  # the stored versions now differ from the rows
        if hasattr(row, "slug"):
            type(row).objects.filter(pk=row.pk).update(slug=f"{row.slug}-changed")
    before, revisions, log_entries = snapshot(rows), Revision.objects.count(), LogEntry.objects.count()
    checked, wrong = 0, []
    for model, _model_admin in history_admins():
        label = model._meta.label_lower
        own = versions[label]
        urls = [reverse(url_name(model, "revision"), args=[int(own.object_id) + 1000, own.pk])]  # another object
        for other_label, version in versions.items():
            if other_label != label:
                urls.append(reverse(url_name(model, "revision"), args=[version.object_id, version.pk]))
                urls.append(reverse(url_name(model, "revision"), args=[own.object_id, version.pk]))
                if "recover" not in NOT_OFFERED.get(label, ()):  # else refused to everyone (403)
                    urls.append(reverse(url_name(model, "recover"), args=[version.pk]))
        for url in urls:
            for method in ("get", "post"):
                status = getattr(superuser, method)(url).status_code
                checked += 1
                if status != 404:
                    wrong.append(f"{method.upper()} {url}: {status}")
    assert not wrong, "\n".join(wrong)
    assert checked > 300
    assert snapshot(rows) == before
    assert (Revision.objects.count(), LogEntry.objects.count()) == (revisions, log_entries)


def test_every_admin_with_a_history_recovers_only_deleted_objects(rows):
    superuser = signed_in(UserFactory(is_superuser=True))
    for model, _model_admin in history_admins():
        if "recover" in NOT_OFFERED.get(model._meta.label_lower, ()):
            continue  # the site settings: one row, never deleted
        version = record(rows[model._meta.label_lower])
        url = reverse(url_name(model, "recover"), args=[version.pk])
        assert superuser.get(url).status_code == 404, url
        assert superuser.post(url).status_code == 404, url


def unpublished_article_with_a_published_version():
    article = ArticleFactory(title_zh_hans="撤下的新闻", body_zh_hans="<p>旧的正文</p>")
    published = record(article)
    article.status, article.body_zh_hans = Article.Status.DRAFT, "<p>改过的正文</p>"
    article.save()
    return article, published


def test_roster_staff_cannot_republish_an_article_through_an_office_history(db):
    article, published = unpublished_article_with_a_published_version()
    office = Office.objects.filter(pk=article.pk).first() or OfficeFactory(pk=article.pk)
    client = signed_in(UserFactory(groups=[ROSTER_STAFF]))
    office_url = reverse("admin:offices_office_change", args=[office.pk])
    url = reverse("admin:offices_office_revision", args=[office.pk, published.pk])

    data = change_form_data(client.get(office_url))
    assert client.post(url, data).status_code == 404
    assert client.get(url).status_code == 404
    article.refresh_from_db()
    assert (article.status, article.body_zh_hans) == (Article.Status.DRAFT, "<p>改过的正文</p>")
    assert client.get(article.get_absolute_url()).status_code == 404


def test_editors_cannot_roll_an_organisation_back_through_a_category_history(db):
    organisation = OrganisationFactory(name_zh_hans="旧名称")
    old = record(organisation)
    Organisation.objects.filter(pk=organisation.pk).update(name_zh_hans="新名称")
    category = CategoryFactory()
    client = signed_in(UserFactory(groups=[EDITORS]))
    for object_id in (category.pk, organisation.pk):
        url = reverse("admin:news_category_revision", args=[object_id, old.pk])
        assert client.post(url, {"name_zh_hans": "x", "slug": "x", "order": 0}).status_code == 404
    organisation.refresh_from_db()
    assert organisation.name_zh_hans == "新名称"


def test_the_recover_page_shows_no_other_models_drafts(db):
    article, published = unpublished_article_with_a_published_version()
    client = signed_in(UserFactory(groups=[ROSTER_STAFF]))
    for model in ("members_organisation", "offices_office", "offices_councilseat"):
        response = client.get(reverse(f"admin:{model}_recover", args=[published.pk]))
        assert response.status_code == 404
        assert article.title not in response.content.decode()


def test_reverting_one_office_leaves_the_others_saved_with_it(db):
    first, second = OfficeFactory(name_zh_hans="第一办事处"), OfficeFactory(name_zh_hans="第二办事处")
    with reversion.create_revision():  # as an import or the demo content records many rows at once
        reversion.add_to_revision(first)
        reversion.add_to_revision(second)
    Office.objects.filter(pk__in=[first.pk, second.pk]).update(name_zh_hans="改过的名称")
    client = signed_in(UserFactory(groups=[ROSTER_STAFF]))
    version = Version.objects.get_for_object(first).get()
    url = reverse("admin:offices_office_revision", args=[first.pk, version.pk])
    assert client.post(url, change_form_data(client.get(url))).status_code == 302

    assert Office.objects.get(pk=first.pk).name_zh_hans == "第一办事处"
    assert Office.objects.get(pk=second.pk).name_zh_hans == "改过的名称"


def test_reverting_keeps_the_fields_the_user_may_not_edit(db):
    article, published = unpublished_article_with_a_published_version()
    writer = UserFactory()
    writer.user_permissions.set(Permission.objects.filter(codename__in=["view_article", "change_article"]))
    client = signed_in(writer)
    url = reverse("admin:news_article_revision", args=[article.pk, published.pk])
    assert client.post(url, change_form_data(client.get(url))).status_code == 302

    article.refresh_from_db()
    assert article.body_zh_hans == "<p>旧的正文</p>"
    assert article.status == Article.Status.DRAFT, "publishing needs the publish permission"


def test_a_revert_is_recorded_with_who_went_back_to_which_version(db):
    organisation = OrganisationFactory(name_zh_hans="旧名称")
    author = UserFactory(username="author")
    old = record(organisation, user=author)
    Organisation.objects.filter(pk=organisation.pk).update(name_zh_hans="新名称")
    staff = UserFactory(groups=[ROSTER_STAFF])
    client = signed_in(staff)
    url = reverse("admin:members_organisation_revision", args=[organisation.pk, old.pk])
    assert client.post(url, change_form_data(client.get(url))).status_code == 302

    assert Organisation.objects.get(pk=organisation.pk).name_zh_hans == "旧名称"
    latest = Version.objects.get_for_object(organisation).order_by("-pk").first()
    assert latest.revision.user == staff
    assert f"{old.pk}" in latest.revision.comment and "author" in latest.revision.comment
    entry = LogEntry.objects.get(object_id=str(organisation.pk), user=staff)
    assert f"{old.pk}" in entry.get_change_message() and "author" in entry.get_change_message()


def test_a_recovery_is_recorded_and_needs_the_add_permission(db):
    organisation = OrganisationFactory(name_zh_hans="被删除的单位")
    deleted = record(organisation)
    Organisation.objects.filter(pk=organisation.pk).delete()
    url = reverse("admin:members_organisation_recover", args=[deleted.pk])
    changer = UserFactory()
    changer.user_permissions.set(Permission.objects.filter(codename__in=["view_organisation", "change_organisation"]))
    for user in (changer, UserFactory(groups=[EDITORS])):
        client = signed_in(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"name_zh_hans": "x"}).status_code == 403
    assert not Organisation.objects.filter(pk=organisation.pk).exists()

    staff = UserFactory(groups=[ROSTER_STAFF])
    client = signed_in(staff)
    assert client.post(url, change_form_data(client.get(url))).status_code == 302
    assert Organisation.objects.get(pk=organisation.pk).name_zh_hans == "被删除的单位"
    latest = Version.objects.get_for_object(organisation).order_by("-pk").first()
    assert latest.revision.user == staff and f"{deleted.pk}" in latest.revision.comment
    entry = LogEntry.objects.get(object_id=str(organisation.pk), user=staff)
    assert f"{deleted.pk}" in entry.get_change_message()
