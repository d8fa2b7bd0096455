"""The API shows only what the public pages show: never drafts, scheduled articles, non-members'
directory entries, ended seats or anything pages keep to staff."""

import datetime
import json

import pytest
from django.utils import timezone

from news.models import Article
from tests.api.conftest import get_json
from tests.factories import (
    ArticleFactory,
    AttachmentFactory,
    CategoryFactory,
    CouncilSeatFactory,
    OfficeFactory,
    OrganisationFactory,
    PersonFactory,
)

SECRET = "未公开的秘密标题"


@pytest.fixture
def hidden_and_public(db):
    category, office = CategoryFactory(), OfficeFactory(slug="wuzhong")
    organisation = OrganisationFactory(slug="boyuan", staff_notes="内部备注：联系人电话 13800000000")
    public = ArticleFactory(category=category, title_zh_hans="公开的新闻标题")
    draft = ArticleFactory(category=category, title_zh_hans=SECRET + "草稿", status=Article.Status.DRAFT)
    scheduled = ArticleFactory(
        category=category,
        title_zh_hans=SECRET + "定时",
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    for article in (public, draft, scheduled):
        article.offices.add(office)
        article.organisations.add(organisation)
        AttachmentFactory(article=article, title_zh_hans=f"{article.title_zh_hans}附件")
    return public, draft, scheduled


def everything_listed(client):
    urls = [
        "/api/v1/articles/",
        "/api/v1/articles/?office=wuzhong",
        "/api/v1/articles/?organisation=boyuan",
        "/api/v1/articles/?category=industry-news",
        f"/api/v1/articles/?q={SECRET[:4]}",
        "/api/v1/articles/?since=2000-01-01&until=2100-01-01",
        "/api/v1/articles/?lang=en",
        "/api/v1/articles/?lang=zh-hant",
        "/api/v1/offices/wuzhong/",
        "/api/v1/organisations/boyuan/",
    ]
    return {url: get_json(client, url)[1] for url in urls}


def test_drafts_and_scheduled_articles_appear_in_no_list_filter_search_or_detail(client, hidden_and_public):
    public, draft, scheduled = hidden_and_public
    for url, data in everything_listed(client).items():
        text = json.dumps(data, ensure_ascii=False)
        assert "未公开" not in text and "未公開" not in text, url
        assert f"/{draft.pk}/" not in text and f"/{scheduled.pk}/" not in text, url
    listed = get_json(client, "/api/v1/articles/")[1]
    assert [item["id"] for item in listed["results"]] == [public.pk]
    assert listed["count"] == 1
    get_json(client, f"/api/v1/articles/{public.pk}/")
    for hidden in (draft, scheduled):
        get_json(client, f"/api/v1/articles/{hidden.pk}/", status=404)


def test_a_scheduled_article_appears_when_its_time_comes(client, hidden_and_public, time_machine):
    _public, _draft, scheduled = hidden_and_public
    get_json(client, f"/api/v1/articles/{scheduled.pk}/", status=404)
    time_machine.move_to(scheduled.published_at + datetime.timedelta(minutes=1))
    get_json(client, f"/api/v1/articles/{scheduled.pk}/")


def test_staff_signed_in_see_no_drafts_either(editor_client, hidden_and_public):
    """Previews are for pages; the API is public data whoever asks."""
    _public, draft, _scheduled = hidden_and_public
    get_json(editor_client, f"/api/v1/articles/{draft.pk}/", status=404)
    assert len(get_json(editor_client, "/api/v1/articles/")[1]["results"]) == 1


def test_the_directory_lists_members_only_and_no_staff_notes(client, db):
    OrganisationFactory(name_zh_hans="会员单位甲", slug="member-a")
    OrganisationFactory(name_zh_hans="非会员单位乙", slug="not-member", is_member=False)
    data = get_json(client, "/api/v1/organisations/")[1]
    assert [item["slug"] for item in data["results"]] == ["member-a"]
    detail = get_json(client, "/api/v1/organisations/member-a/")[1]
    assert "staff_notes" not in detail and "内部备注" not in json.dumps(detail, ensure_ascii=False)


def test_an_office_shows_its_current_council_only(client, db):
    office = OfficeFactory(slug="wuzhong")
    current = CouncilSeatFactory(office=office, organisation=OrganisationFactory(slug="now"))
    CouncilSeatFactory(
        office=office, organisation=OrganisationFactory(slug="before"), ended_on=datetime.date(2024, 1, 1)
    )
    council = get_json(client, "/api/v1/offices/wuzhong/")[1]["council"]
    assert [seat["organisation"]["slug"] for seat in council] == [current.organisation.slug]


def test_people_carry_only_what_pages_show(client, db):
    article = ArticleFactory()
    article.people.add(PersonFactory(name_zh_hans="李四"))
    person = get_json(client, f"/api/v1/articles/{article.pk}/")[1]["people"][0]
    assert set(person) == {"name", "job_title", "organisation", "languages"}
