"""Who may do what in the admin: anonymous visitors, Editors, Reviewers, Roster staff, staff without
permissions and superusers, against every admin page (history, revision and recover pages
included), import, export and action, and the editorial pages (review, calendar, autosave,
dashboard); and drafts stay invisible to all who may not view articles."""

import datetime
from urllib.parse import urlsplit

import pytest
import reversion
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from import_export.admin import ExportMixin, ImportMixin
from reversion.admin import VersionAdmin
from reversion.models import Version

from core.groups import (
    COUNCIL_APPROVERS,
    EDITORS,
    EVENT_STAFF,
    MEMBERSHIP_SECRETARIAT,
    REVIEWERS,
    ROSTER_STAFF,
    SECRETARIAT,
)
from core.review import ReviewState
from events import services as event_services
from events.models import Event
from news import services
from news.models import Article, ArticleAutosave
from offices.models import CouncilSeat
from tests.factories import ArticleFactory, CouncilSeatFactory, EventFactory, UserFactory
from tests.news.pages import parse_xml

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

ALL = {"view", "add", "change", "delete"}
# What each group is meant to do, written out rather than read back from the database.
INTENDED = {
    EDITORS: {
        "news.category": ALL,
        "news.article": ALL,
        "events.event": {"view"},  # to name the event an article reports on
        "news.redirect": ALL,
        "offices.office": {"view"},
        "members.organisation": {"view"},
        "members.person": {"view"},
    },
    # Reviewers edit as Editors do, and approve or return what is submitted.
    REVIEWERS: {
        "news.category": ALL,
        "news.article": ALL | {"review"},
        # Event staff write events and submit them; Reviewers approve or return them (and may edit).
        "events.event": {"view", "change", "review"},
        "news.redirect": ALL,
        "offices.office": {"view"},
        "offices.committee": {"view"},
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
    # Decisions on applications and profile edits are permissions of their own (see the tests below).
    MEMBERSHIP_SECRETARIAT: {
        "membership.membershipapplication": {"view"},
        "membership.profilechange": {"view"},
        "membership.membershipperiod": ALL,
        "membership.memberdocument": ALL,
        "membership.liaison": {"view", "change"},
        "membership.renewalreminder": {"view"},
        "members.organisation": {"view"},
    },
    COUNCIL_APPROVERS: {"membership.membershipapplication": {"view"}},
    SECRETARIAT: {
        "compliance.sitesettings": {"view", "add", "change"},
        "compliance.privacypolicy": ALL,
        "compliance.contactmessage": {"view", "change", "delete"},
    },
}
# What no one does through the admin's forms, superusers included: applications and profile edits
# come from the public form and the portal and change only by decisions; reminders are records.
NEVER = {
    "membership.membershipapplication": {"add", "change"},
    "membership.profilechange": {"add", "change"},
    "membership.renewalreminder": {"add", "change"},
}
# Pages an admin does not offer, denied to everyone: the site settings are one row, made once and
# never deleted; contact messages are written by visitors only.
NOT_OFFERED = {
    "compliance.sitesettings": {"add", "delete", "recover deleted", "recover", "recover post"},
    "compliance.contactmessage": {"add"},
}
STAFF_WITHOUT_PERMISSIONS = "staff without permissions"
ROLES = [
    "anonymous",
    EDITORS,
    REVIEWERS,
    ROSTER_STAFF,
    EVENT_STAFF,
    MEMBERSHIP_SECRETARIAT,
    COUNCIL_APPROVERS,
    SECRETARIAT,
    STAFF_WITHOUT_PERMISSIONS,
    "superuser",
]


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
    if action in NEVER.get(label, ()):
        return False
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
                offered = page not in NOT_OFFERED.get(label, ())
                expected = "open" if offered and may_open(role, label, opening_actions) else "denied"
                got = "denied" if response.status_code == 403 else "open"
                assert response.status_code in (200, 302, 403), (url, response.status_code)
            if got != expected:
                wrong.append(f"{role} {label} {page} ({method.upper()} {url}): expected {expected}, got {got}")
    assert not wrong, "\n".join(wrong)


def run_action(client, model, action, pks):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return client.post(url, {"action": action, "_selected_action": [str(pk) for pk in pks]})


@pytest.mark.parametrize("role", ROLES)
def test_without_review_publishing_actions_are_for_editors_and_superusers(role, db, settings):
    settings.REVIEW_REQUIRED = False
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
def test_under_review_only_approval_publishes_and_pins_are_for_reviewers(role, db):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    public = ArticleFactory()
    client = client_for(role)
    run_action(client, Article, "publish", [draft.pk])
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT, role
    run_action(client, Article, "pin", [public.pk])
    assert Article.objects.get(pk=public.pk).is_pinned == allowed(role, "news.article", "review"), role
    run_action(client, Article, "unpublish", [public.pk])
    unpublished = Article.objects.get(pk=public.pk).status == Article.Status.DRAFT
    assert unpublished == allowed(role, "news.article", "review"), role


@pytest.mark.parametrize("role", ROLES)
def test_the_editorial_pages_answer_each_role_as_intended(role, db):
    writer = UserFactory(groups=[EDITORS])
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=writer)
    services.submit_for_review(article, user=writer)
    client = client_for(role)
    may_view = allowed(role, "news.article", "view")
    may_change = allowed(role, "news.article", "change")

    def answer(response):
        if role == "anonymous":
            assert response.status_code == 302 and "/admin/login/" in response["Location"], response
            return "login"
        return "denied" if response.status_code in (403, 404) else "open"

    pages = {
        "review": client.get(reverse("admin:news_article_review", args=[article.pk])),
        "calendar": client.get(reverse("admin:news_article_calendar")),
    }
    # The calendar shows articles and events: for those who may view either.
    may_see = {"review": may_view, "calendar": may_view or allowed(role, "events.event", "view")}
    for name, response in pages.items():
        assert answer(response) in ({"login"} if role == "anonymous" else {"open" if may_see[name] else "denied"}), name

    autosaved = client.post(
        reverse("admin:news_article_autosave"), {"_autosave_article": article.pk, "title_zh_hans": "自动保存"}
    )
    assert answer(autosaved) in ({"login"} if role == "anonymous" else {"open" if may_change else "denied"})
    assert ArticleAutosave.objects.exists() == (role != "anonymous" and may_change)

    decided = client.post(reverse("admin:news_article_review", args=[article.pk]), {"decision": "approve"})
    assert decided.status_code in (302, 403) or role == "anonymous"
    article.refresh_from_db()
    approved = article.review_state == ReviewState.APPROVED and article.is_published
    assert approved == allowed(role, "news.article", "review"), role

    index = client.get(reverse("admin:index"))
    if role != "anonymous":
        page = index.content.decode()
        assert ('id="editorial-dashboard"' in page) == may_view, role
        # Login throttling is the superusers' (it has no Chinese translation either).
        assert ("/admin/axes/" in page) == (role == "superuser"), role


@pytest.mark.parametrize("role", ROLES)
def test_under_review_events_are_published_by_reviewers_and_cancelled_by_who_may_publish(role, db):
    draft = EventFactory(status=Event.Status.DRAFT, published_at=None)
    public = EventFactory()
    client = client_for(role)
    run_action(client, Event, "publish", [draft.pk])
    assert Event.objects.get(pk=draft.pk).status == Event.Status.DRAFT, role
    run_action(client, Event, "unpublish", [public.pk])
    unpublished = Event.objects.get(pk=public.pk).status == Event.Status.DRAFT
    assert unpublished == allowed(role, "events.event", "review"), role
    run_action(client, Event, "cancel", [public.pk])
    cancelled = Event.objects.get(pk=public.pk).is_cancelled
    assert cancelled == (role in (EVENT_STAFF, REVIEWERS, "superuser")), role  # events.publish_event


@pytest.mark.parametrize("role", ROLES)
def test_without_review_event_staff_publish_events(role, db, settings):
    settings.REVIEW_REQUIRED = False
    draft = EventFactory(status=Event.Status.DRAFT, published_at=None)
    run_action(client_for(role), Event, "publish", [draft.pk])
    published = Event.objects.get(pk=draft.pk).status == Event.Status.PUBLISHED
    assert published == (role in (EVENT_STAFF, REVIEWERS, "superuser")), role


@pytest.mark.parametrize("role", ROLES)
def test_the_event_review_page_answers_each_role_as_intended(role, db):
    writer = UserFactory(groups=[EVENT_STAFF])
    event = EventFactory(status=Event.Status.DRAFT, published_at=None, created_by=writer)
    event_services.submit_for_review(event, user=writer)
    client = client_for(role)
    page = client.get(reverse("admin:events_event_review", args=[event.pk]))
    if role == "anonymous":
        assert page.status_code == 302 and "/admin/login/" in page["Location"]
    else:
        assert (page.status_code == 200) == allowed(role, "events.event", "view"), role
        calendar = client.get(reverse("admin:news_article_calendar"))
        may_calendar = allowed(role, "news.article", "view") or allowed(role, "events.event", "view")
        assert (calendar.status_code == 200) == may_calendar, role
    client.post(reverse("admin:events_event_review", args=[event.pk]), {"decision": "approve"})
    event.refresh_from_db()
    approved = event.review_state == ReviewState.APPROVED and event.is_published
    assert approved == allowed(role, "events.event", "review"), role


@pytest.mark.parametrize("role", ROLES)
def test_ending_council_terms_is_for_roster_staff_and_superusers(role, db):
    seat = CouncilSeatFactory()
    run_action(client_for(role), CouncilSeat, "end_terms_today", [seat.pk])
    seat.refresh_from_db()
    assert (seat.ended_on is not None) == allowed(role, "offices.councilseat", "change")


@pytest.mark.parametrize(
    "role", ["anonymous", "visitor", EDITORS, REVIEWERS, ROSTER_STAFF, EVENT_STAFF, STAFF_WITHOUT_PERMISSIONS]
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
    may_preview = role in (EDITORS, REVIEWERS)
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


MEMBERSHIP_DECISIONS = {
    # action: (stage it is taken in, the one group that may take it)
    "accept": ("submitted", MEMBERSHIP_SECRETARIAT),
    "return": ("submitted", MEMBERSHIP_SECRETARIAT),
    "secretariat_reject": ("submitted", MEMBERSHIP_SECRETARIAT),
    "approve": ("council", COUNCIL_APPROVERS),
    "council_reject": ("council", COUNCIL_APPROVERS),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(MEMBERSHIP_DECISIONS))
def test_each_decision_on_an_application_is_for_its_group_and_superusers(role, action, db):
    from tests.factories import ApplicationFactory

    stage, group = MEMBERSHIP_DECISIONS[action]
    application = ApplicationFactory(stage=stage)
    url = reverse("admin:membership_membershipapplication_decide", args=[application.pk])
    response = client_for(role).post(url, {"action": action, "comment": "理由"})
    application.refresh_from_db()
    may = role in (group, "superuser")
    assert (application.stage != stage) == may, (role, action, response.status_code)
    if not may:
        assert response.status_code in (302, 403)


@pytest.mark.parametrize("role", ROLES)
def test_reviewing_profile_edits_is_for_the_secretariat_and_superusers(role, db):
    from membership.models import ProfileChange
    from tests.factories import ProfileChangeFactory

    change = ProfileChangeFactory()
    url = reverse("admin:membership_profilechange_review", args=[change.pk])
    client_for(role).post(url, {"decision": "approve"})
    change.refresh_from_db()
    published = change.status == ProfileChange.Status.APPROVED
    assert published == (role in (MEMBERSHIP_SECRETARIAT, "superuser")), role


@pytest.mark.parametrize("role", ROLES)
def test_personal_data_export_is_for_the_secretariat_and_superusers(role, db):
    from membership.models import MembershipApplication
    from tests.factories import ApplicationFactory

    application = ApplicationFactory(contact_email="zhao@example.cn")
    response = run_action(client_for(role), MembershipApplication, "export_personal_data_json", [application.pk])
    exported = response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert exported == (role in (MEMBERSHIP_SECRETARIAT, "superuser")), role
    run_action(client_for(role), MembershipApplication, "erase_personal_data", [application.pk])
    response = client_for(role).post(
        reverse("admin:membership_membershipapplication_changelist"),
        {"action": "erase_personal_data", "_selected_action": [str(application.pk)], "confirmed": "yes"},
    )
    application.refresh_from_db()
    assert (application.personal_data_erased_at is not None) == (role in (MEMBERSHIP_SECRETARIAT, "superuser"))


PORTAL_ROLES = ["anonymous", "visitor", "liaison of a member", "liaison of a lapsed member", MEMBERSHIP_SECRETARIAT]


def portal_client(role):
    from membership.models import MembershipPeriod
    from tests.factories import LiaisonFactory

    client = Client()
    if role.startswith("liaison"):
        liaison = LiaisonFactory()
        if role == "liaison of a lapsed member":
            MembershipPeriod.objects.create(
                organisation=liaison.organisation,
                year=2020,
                starts_on=datetime.date(2020, 1, 1),
                ends_on=datetime.date(2020, 12, 31),
            )
        client.force_login(liaison.user)
    elif role == "visitor":
        client.force_login(UserFactory(is_staff=False))
    elif role != "anonymous":
        client.force_login(UserFactory(groups=[role]))
    return client


@pytest.mark.parametrize("role", PORTAL_ROLES)
def test_the_portal_and_member_only_documents_answer_each_role_as_intended(role, db):
    from tests.factories import MemberDocumentFactory

    document = MemberDocumentFactory()
    client = portal_client(role)
    portal = client.get(reverse("membership:portal"))
    profile = client.get(reverse("membership:portal-profile"))
    download = client.get(reverse("membership:document-download", args=[document.pk]))
    listing = client.get(reverse("membership:document-list"))
    is_liaison = role.startswith("liaison")
    expected_portal = 200 if is_liaison else (302 if role == "anonymous" else 403)
    assert (portal.status_code, profile.status_code) == (expected_portal, expected_portal)
    expected_download = {
        "anonymous": 302,
        "visitor": 403,
        "liaison of a member": 200,
        "liaison of a lapsed member": 403,
        MEMBERSHIP_SECRETARIAT: 200,  # staff who keep the documents
    }[role]
    assert download.status_code == expected_download
    assert listing.status_code == 200 and document.title in listing.content.decode()


def test_login_throttling_is_hidden_from_everyone_but_superusers_even_with_its_permissions(db):
    """django-axes has no Chinese translation: an editor given its permissions still never sees it."""
    editor = UserFactory(groups=[EDITORS])
    editor.user_permissions.set(Permission.objects.filter(content_type__app_label="axes"))
    client = Client()
    client.force_login(editor)
    assert "/admin/axes/" not in client.get(reverse("admin:index")).content.decode()
    assert client.get("/admin/axes/").status_code == 404
