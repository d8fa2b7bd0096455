"""Hostile text through the API: HTML fields come out sanitised (no live markup), text fields come
out as the very text stored, as JSON strings that no browser renders as a page."""

import pytest

from news.models import Article
from tests.api.conftest import get_json
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    AttachmentFactory,
    CategoryFactory,
    CommitteeFactory,
    CommitteeSeatFactory,
    CouncilSeatFactory,
    OfficeFactory,
    OrganisationFactory,
    PersonFactory,
    image_file,
)
from tests.security.markup import live_markup_in_fragment, load_payloads

PAYLOADS = load_payloads()


def assert_is_json(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_article_bodies_are_sanitised_and_text_fields_are_the_text_stored(client):
    category = CategoryFactory(name_zh_hans=PAYLOADS[0][:100], description_zh_hans="\n".join(PAYLOADS))
    articles = []
    for payload in PAYLOADS:
        article = ArticleFactory(
            category=category,
            title_zh_hans=payload[:200],
            summary_zh_hans=payload[:500],
            body_zh_hans=f"<p>正文</p>{payload}<p>{payload}</p>",
            source_zh_hans=payload[:200],
            author=payload[:100],
        )
        articles.append(Article.objects.get(pk=article.pk))
    photo = ArticlePhotoFactory(
        article=articles[0],
        image=image_file(size=(40, 30)),
        caption_zh_hans=PAYLOADS[1][:300],
        alt_text_zh_hans=PAYLOADS[2][:300],
        credit=PAYLOADS[3][:100],
    )
    AttachmentFactory(article=articles[0], title_zh_hans=PAYLOADS[4][:200])

    listed = {}
    page = "/api/v1/articles/"
    while page:
        response, data = get_json(client, page)
        assert_is_json(response)
        listed.update({item["id"]: item for item in data["results"]})
        page = data["next"]
    assert len(listed) == len(PAYLOADS)

    problems = {}
    for article in articles:
        item = listed[article.pk]
        assert (item["title"], item["summary"]) == (article.title_zh_hans, article.summary_zh_hans)
        response, detail = get_json(client, f"/api/v1/articles/{article.pk}/")
        assert_is_json(response)
        assert (detail["source"], detail["author"]) == (article.source_zh_hans, article.author)
        assert detail["category"]["name"] == category.name_zh_hans
        if found := live_markup_in_fragment(detail["body_html"]):
            problems[article.title_zh_hans] = found
        assert "正文" in detail["body_html"]
    assert not problems, problems

    detail = get_json(client, f"/api/v1/articles/{articles[0].pk}/")[1]
    photo.refresh_from_db()
    assert (detail["photos"][0]["caption"], detail["photos"][0]["alt"], detail["photos"][0]["credit"]) == (
        photo.caption_zh_hans,
        photo.alt_text_zh_hans,
        photo.credit,
    )
    assert detail["attachments"][0]["title"] == PAYLOADS[4][:200]
    categories = get_json(client, "/api/v1/categories/")[1]
    assert categories[0]["description"] == category.description_zh_hans


@pytest.mark.django_db
def test_roster_text_comes_back_as_stored(client):
    payloads = iter(PAYLOADS * 2)
    office = OfficeFactory(
        slug="wuzhong",
        name_zh_hans=next(payloads)[:200],
        short_name_zh_hans=next(payloads)[:100],
        district_zh_hans=next(payloads)[:100],
        description_zh_hans="\n".join(PAYLOADS),
    )
    organisation = OrganisationFactory(
        slug="boyuan",
        name_zh_hans=next(payloads)[:200],
        short_name_zh_hans=next(payloads)[:100],
        description_zh_hans="\n".join(PAYLOADS),
        website="javascript:alert(1)",
    )
    person = PersonFactory(name_zh_hans=next(payloads)[:100], job_title_zh_hans=next(payloads)[:100])
    CouncilSeatFactory(office=office, organisation=organisation, representative=person)
    committee = CommitteeFactory(office=office, name_zh_hans=next(payloads)[:200], focus_zh_hans="\n".join(PAYLOADS))
    CommitteeSeatFactory(committee=committee, organisation=organisation)
    for row in (office, organisation, person, committee):
        row.refresh_from_db()

    response, data = get_json(client, "/api/v1/offices/wuzhong/")
    assert_is_json(response)
    assert (data["name"], data["short_name"], data["district"], data["description"]) == (
        office.name_zh_hans,
        office.short_name_zh_hans,
        office.district_zh_hans,
        office.description_zh_hans,
    )
    seat = data["council"][0]
    assert seat["organisation"]["name"] == organisation.name_zh_hans
    assert (seat["representative"]["name"], seat["representative"]["job_title"]) == (
        person.name_zh_hans,
        person.job_title_zh_hans,
    )
    assert (data["committees"][0]["name"], data["committees"][0]["focus"]) == (
        committee.name_zh_hans,
        committee.focus_zh_hans,
    )
    detail = get_json(client, "/api/v1/organisations/boyuan/")[1]
    assert (detail["name"], detail["short_name"], detail["description"]) == (
        organisation.name_zh_hans,
        organisation.short_name_zh_hans,
        organisation.description_zh_hans,
    )
    assert detail["website"] == ""  # only http(s) addresses are links, as on the page
    listed = get_json(client, "/api/v1/organisations/")[1]["results"]
    assert listed[0]["name"] == organisation.name_zh_hans
