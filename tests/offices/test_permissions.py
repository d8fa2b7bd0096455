"""Who may change what in the admin: Roster staff the rosters, Editors the news, nobody else anything."""

import pytest
import reversion
from django.contrib import admin
from django.urls import URLPattern, URLResolver, reverse
from reversion.admin import VersionAdmin
from reversion.models import Version

from members.models import Organisation
from news.models import Article, Redirect
from tests.factories import (
    AlliancePositionFactory,
    ArticleFactory,
    CommitteeFactory,
    CouncilSeatFactory,
    EventFactory,
    OfficeMembershipFactory,
    PersonFactory,
    SiteSettingsFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROSTER_MODELS = [
    "members/organisation",
    "members/person",
    "members/allianceposition",
    "offices/office",
    "offices/councilseat",
    "offices/committee",
    "offices/officemembership",
]
NEWS_MODELS = ["news/article", "news/category"]


@pytest.fixture
def rows():
    """One row of each roster model, an article with a redirect to it, an event and the site settings."""
    seat = CouncilSeatFactory()
    OfficeMembershipFactory(office=seat.office, organisation=seat.organisation)
    CommitteeFactory(office=seat.office)
    AlliancePositionFactory(
        organisation=seat.organisation, representative=PersonFactory(organisation=seat.organisation)
    )
    article = ArticleFactory()
    Redirect.objects.create(old_path="/news/show-1.html", article=article)
    EventFactory()
    SiteSettingsFactory()
    return {"organisation": seat.organisation, "office": seat.office, "article": article}


# --- Roster staff -------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ROSTER_MODELS)
def test_roster_staff_manage_every_roster_model(roster_client, rows, model):
    assert roster_client.get(f"/admin/{model}/").status_code == 200
    assert roster_client.get(f"/admin/{model}/add/").status_code == 200


def test_roster_staff_cannot_see_or_change_articles(roster_client, rows):
    article = rows["article"]
    for model in NEWS_MODELS:
        assert roster_client.get(f"/admin/{model}/").status_code == 403
        assert roster_client.get(f"/admin/{model}/add/").status_code == 403
    assert roster_client.get(f"/admin/news/article/{article.pk}/change/").status_code == 403
    response = roster_client.post(f"/admin/news/article/{article.pk}/change/", {"title_zh_hans": "改过的标题"})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title_zh_hans != "改过的标题"
    assert 'href="/admin/news/' not in roster_client.get("/admin/").content.decode()


def test_roster_staff_may_import_and_export_rosters(roster_client):
    for model in ["members/organisation", "offices/councilseat", "offices/officemembership"]:
        assert roster_client.get(f"/admin/{model}/import/").status_code == 200
        assert roster_client.get(f"/admin/{model}/export/").status_code == 200


# --- Editors ------------------------------------------------------------------------------------


def test_editors_manage_articles(editor_client, rows):
    assert editor_client.get("/admin/news/article/").status_code == 200
    assert editor_client.get(f"/admin/news/article/{rows['article'].pk}/change/").status_code == 200


@pytest.mark.parametrize(
    "model", ["members/allianceposition", "offices/councilseat", "offices/committee", "offices/officemembership"]
)
def test_editors_cannot_open_roster_seats_and_memberships(editor_client, rows, model):
    assert editor_client.get(f"/admin/{model}/").status_code == 403
    assert editor_client.get(f"/admin/{model}/add/").status_code == 403


def test_editors_may_look_up_organisations_for_articles_but_not_change_them(editor_client, rows):
    organisation = rows["organisation"]
    url = f"/admin/members/organisation/{organisation.pk}/change/"
    page = editor_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode(), "read-only: no save button"
    response = editor_client.post(url, {"name_zh_hans": "改过的名称", "kind": "enterprise"})
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name_zh_hans != "改过的名称"
    assert editor_client.post("/admin/members/organisation/add/", {"name_zh_hans": "新公司"}).status_code == 403
    assert not Organisation.objects.filter(name_zh_hans="新公司").exists()
    office_url = f"/admin/offices/office/{rows['office'].pk}/change/"
    assert editor_client.post(office_url, {"name_zh_hans": "改过的办事处"}).status_code == 403


def test_editors_cannot_import_rosters(editor_client, rows):
    assert editor_client.get("/admin/members/organisation/import/").status_code == 403
    assert editor_client.post("/admin/members/organisation/process_import/", {}).status_code == 403
    assert editor_client.get("/admin/offices/councilseat/import/").status_code == 403


def test_editors_cannot_delete_organisations(editor_client, rows):
    organisation = rows["organisation"]
    url = f"/admin/members/organisation/{organisation.pk}/delete/"
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert Organisation.objects.filter(pk=organisation.pk).exists()


# --- Anonymous visitors -------------------------------------------------------------------------

SAMPLE_ARGUMENTS = {"id": "1", "object_id": "1", "version_id": "1", "content_type_id": "1", "app_label": "members"}
OPEN_TO_ALL = {"login", "logout"}


def admin_urls():
    """Every named URL of the admin site, with sample arguments."""

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name and pattern.name not in OPEN_TO_ALL:
                regex = pattern.pattern.regex
                if regex.groupindex:
                    yield reverse(
                        f"admin:{pattern.name}", kwargs={name: SAMPLE_ARGUMENTS[name] for name in regex.groupindex}
                    )
                else:
                    yield reverse(f"admin:{pattern.name}", args=["1"] * regex.groups)

    return sorted(set(walk(admin.site.get_urls())))


def test_the_admin_has_many_pages_to_check():
    urls = admin_urls()
    assert len(urls) > 60
    assert "/admin/offices/councilseat/import/" in urls
    assert "/admin/members/organisation/1/history/" in urls


def test_anonymous_visitors_reach_no_admin_page(client, rows):
    reached = []
    for url in admin_urls():
        for response in (client.get(url), client.post(url, {})):
            if response.status_code != 302 or not response["Location"].startswith("/admin/login/?next="):
                reached.append((response.request["REQUEST_METHOD"], url, response.status_code))
    assert reached == []
    assert Article.objects.count() == 1 and Organisation.objects.count() == 1


# --- History, revision and recover pages --------------------------------------------------------


def recorded_version(row):
    with reversion.create_revision():
        reversion.add_to_revision(row)
    return Version.objects.get_for_object(row).order_by("-pk").first()


def test_staff_without_permissions_reach_no_history_page(client, rows):
    client.force_login(UserFactory())
    reached = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, VersionAdmin):
            continue
        row = model._default_manager.first()
        assert row is not None, f"the rows fixture makes no {model._meta.label}: add one"
        version = recorded_version(row)
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls = [
            reverse(f"{info}_history", args=[row.pk]),
            reverse(f"{info}_revision", args=[row.pk, version.pk]),
            reverse(f"{info}_recoverlist"),
            reverse(f"{info}_recover", args=[version.pk]),
        ]
        for url in urls:
            for response in (client.get(url), client.post(url, {})):
                if response.status_code != 403:
                    reached.append((response.request["REQUEST_METHOD"], url, response.status_code))
    assert reached == []


def test_editors_cannot_revert_or_recover_organisations(editor_client, rows):
    organisation = rows["organisation"]
    version = recorded_version(organisation)
    Organisation.objects.filter(pk=organisation.pk).update(name_zh_hans="改过的名称")
    revert_url = f"/admin/members/organisation/{organisation.pk}/history/{version.pk}/"
    assert editor_client.get(revert_url).status_code == 200, "they may read the history"
    assert editor_client.post(revert_url, {"name_zh_hans": organisation.name_zh_hans}).status_code == 403
    assert editor_client.get(f"/admin/members/organisation/recover/{version.pk}/").status_code == 403
    assert Organisation.objects.get(pk=organisation.pk).name_zh_hans == "改过的名称"


def test_roster_staff_cannot_open_article_versions(roster_client, rows):
    article = rows["article"]
    version = recorded_version(article)
    assert roster_client.get(f"/admin/news/article/{article.pk}/history/{version.pk}/").status_code == 403
    assert roster_client.get(f"/admin/news/article/recover/{version.pk}/").status_code == 403
    assert roster_client.get(f"/admin/offices/office/{article.pk}/history/{version.pk}/").status_code == 404
    assert roster_client.get(f"/admin/offices/office/recover/{version.pk}/").status_code == 404
