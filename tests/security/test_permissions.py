"""Who may do what in the admin: anonymous visitors, Editors, Roster staff, staff without
permissions and superusers, against every admin page (history, revision and recover pages
included), import, export and action; and drafts stay invisible to all who may not view articles."""

import datetime
from urllib.parse import urlsplit

import pytest
import reversion
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from import_export.admin import ExportMixin, ImportMixin
from reversion.admin import VersionAdmin
from reversion.models import Version

from core.groups import EDITORS, EVENT_STAFF, ROSTER_STAFF
from news.models import Article
from offices.models import CouncilSeat
from tests.factories import ArticleFactory, CouncilSeatFactory, UserFactory
from tests.news.pages import parse_xml

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

ALL = {"view", "add", "change", "delete"}
# What each group is meant to do, written out rather than read back from the database.
INTENDED = {
    EDITORS: {
        "news.category": ALL,
        "news.article": ALL,
        "events.event": {"view"},  # to name the event an article reports on
        "offices.office": {"view"},
        "members.organisation": {"view"},
        "members.person": {"view"},
    },
    ROSTER_STAFF: {
        **{f"members.{name}": ALL for name in ("organisation", "person", "allianceposition")},
        **{f"offices.{name}": ALL for name in ("office", "councilseat", "committee", "officemembership")},
    },
    EVENT_STAFF: {
        "events.event": ALL,
        "events.registration": {"view", "change"},
        "offices.office": {"view"},
        "offices.committee": {"view"},
        "members.organisation": {"view"},
    },
}
STAFF_WITHOUT_PERMISSIONS = "staff without permissions"
ROLES = ["anonymous", EDITORS, ROSTER_STAFF, EVENT_STAFF, STAFF_WITHOUT_PERMISSIONS, "superuser"]


def client_for(role):
    client = Client()
    if role == "superuser":
        client.force_login(UserFactory(is_superuser=True))
    elif role == STAFF_WITHOUT_PERMISSIONS:
        client.force_login(UserFactory())
    elif role != "anonymous":
        client.force_login(UserFactory(groups=[role]))
    return client


def allowed(role, label, action):
    if label == "axes":
        # Sign-in records are written by sign-ins only; superusers read and clear them.
        return role == "superuser" and action != "add"
    if label == "events.registration" and action == "add":
        return False  # registrations come from the public form only
    if role == "superuser":
        return True
    if role in ("anonymous", STAFF_WITHOUT_PERMISSIONS):
        return False
    return action in INTENDED[role].get(label, set())


def admin_pages(model_admin, instance):
    """(page, url, method, actions that open it) for every page this ModelAdmin serves."""
    info = f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}"
    pages = [
        ("changelist", reverse(f"{info}_changelist"), "get", {"view", "change"}),
        ("add", reverse(f"{info}_add"), "get", {"add"}),
    ]
    if instance is not None:
        pages += [
            ("change", reverse(f"{info}_change", args=[instance.pk]), "get", {"view", "change"}),
            ("save", reverse(f"{info}_change", args=[instance.pk]), "post", {"change"}),
            ("delete", reverse(f"{info}_delete", args=[instance.pk]), "get", {"delete"}),
            ("history", reverse(f"{info}_history", args=[instance.pk]), "get", {"view", "change"}),
        ]
    if isinstance(model_admin, VersionAdmin):
        pages.append(("recover deleted", reverse(f"{info}_recoverlist"), "get", {"add+change"}))
        if instance is not None:
            version = recorded_version(instance)
            revision = reverse(f"{info}_revision", args=[instance.pk, version.pk])
            recover = reverse(f"{info}_recover", args=[deleted_version(instance).pk])
            pages += [
                ("revision", revision, "get", {"view", "change"}),
                ("revert", revision, "post", {"change"}),
                ("recover", recover, "get", {"add+change"}),
                ("recover post", recover, "post", {"add+change"}),
            ]
    if isinstance(model_admin, ImportMixin):
        pages.append(("import", reverse(f"{info}_import"), "get", {"change"}))
    if isinstance(model_admin, ExportMixin):
        pages.append(("export", reverse(f"{info}_export"), "get", {"view"}))
    return pages


def recorded_version(instance):
    """A version of `instance` in its history."""
    with reversion.create_revision():
        reversion.add_to_revision(instance)
    return Version.objects.get_for_object(instance).order_by("-pk").first()


def deleted_version(instance):
    """A version in the history of a row of `instance`'s model that is no longer there."""
    version = recorded_version(instance)
    missing = type(instance).objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    version.pk, version.object_id = None, str(missing)
    version.serialized_data = version.serialized_data.replace(f'"pk": {instance.pk}', f'"pk": {missing}', 1)
    version.save()
    return version


def may_open(role, label, opening_actions):
    if opening_actions == {"add+change"}:
        return allowed(role, label, "add") and allowed(role, label, "change")
    return any(allowed(role, label, action) for action in opening_actions)


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_answers_each_role_as_intended(role, rows):
    client = client_for(role)
    wrong = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if model._meta.app_label == "axes":
            label = "axes"  # superusers only
        for page, url, method, opening_actions in admin_pages(model_admin, rows.get(label)):
            response = getattr(client, method)(url)
            if role == "anonymous":
                expected = "login"
                got = "login" if response.status_code == 302 and "/admin/login/" in response["Location"] else "open"
            else:
                expected = "open" if may_open(role, label, opening_actions) else "denied"
                got = "denied" if response.status_code == 403 else "open"
                assert response.status_code in (200, 302, 403), (url, response.status_code)
            if got != expected:
                wrong.append(f"{role} {label} {page} ({method.upper()} {url}): expected {expected}, got {got}")
    assert not wrong, "\n".join(wrong)


def run_action(client, model, action, pks):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return client.post(url, {"action": action, "_selected_action": [str(pk) for pk in pks]})


@pytest.mark.parametrize("role", ROLES)
def test_publishing_actions_are_for_editors_and_superusers(role, db):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    client = client_for(role)
    for action in ("publish", "pin", "unpin", "unpublish"):
        run_action(client, Article, action, [draft.pk])
        if action == "publish":
            published = Article.objects.get(pk=draft.pk).status == Article.Status.PUBLISHED
            assert published == allowed(role, "news.article", "change"), (role, action)
        if action == "pin":
            assert Article.objects.get(pk=draft.pk).is_pinned == allowed(role, "news.article", "change")
    response = client.post(
        reverse("admin:news_article_changelist"),
        {"action": "delete_selected", "_selected_action": [str(draft.pk)], "post": "yes"},
    )
    assert Article.objects.filter(pk=draft.pk).exists() != allowed(role, "news.article", "delete"), response


@pytest.mark.parametrize("role", ROLES)
def test_ending_council_terms_is_for_roster_staff_and_superusers(role, db):
    seat = CouncilSeatFactory()
    run_action(client_for(role), CouncilSeat, "end_terms_today", [seat.pk])
    seat.refresh_from_db()
    assert (seat.ended_on is not None) == allowed(role, "offices.councilseat", "change")


@pytest.mark.parametrize(
    "role", ["anonymous", "visitor", EDITORS, ROSTER_STAFF, EVENT_STAFF, STAFF_WITHOUT_PERMISSIONS]
)
def test_drafts_and_scheduled_articles_are_visible_to_those_who_may_view_articles_only(role, db):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    scheduled = ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=2))
    public = ArticleFactory()
    if role == "visitor":
        client = Client()
        client.force_login(UserFactory(is_staff=False))
    else:
        client = client_for(role)
    may_preview = role == EDITORS
    for article in (draft, scheduled):
        response = client.get(article.get_absolute_url())
        assert response.status_code == (200 if may_preview else 404), (role, article.status)
        if may_preview:
            assert b'<meta name="robots" content="noindex">' in response.content
            directives = {directive.strip() for directive in response["Cache-Control"].split(",")}
            assert {"private", "no-store"} <= directives and "public" not in directives, response["Cache-Control"]
            assert "Preview" in response.content.decode() or "预览" in response.content.decode()
    # Sitemaps list addresses, not titles: every section the index names is read for them.
    index = parse_xml(client.get(reverse("sitemap")).content)
    sections = [urlsplit(location.text).path for location in index.iter(f"{SITEMAP}loc")]
    news_sitemap = reverse("django.contrib.sitemaps.views.sitemap", args=["news"])
    assert news_sitemap in sections
    # Where the public article is listed, so that each check is seen to find an article at all.
    shows_public = {
        reverse("news:article-list"): public.title,
        reverse("news:feed-rss"): public.title,
        reverse("home"): public.title,
        reverse("search") + "?q=" + "测试新闻": public.title,
        news_sitemap: f"/news/{public.pk}/",
    }
    pages = {url: client.get(url).content.decode() for url in [*shows_public, *sections]}
    for url, page in pages.items():
        for article in (draft, scheduled):
            assert article.title not in page and f"/news/{article.pk}/" not in page, (url, article.status)
    for url, mark in shows_public.items():
        assert mark in pages[url], url
