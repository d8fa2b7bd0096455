"""What each endpoint answers: the directory's order and filters, councils by rank, an article's
photos with their renditions."""

import pytest

from members.models import OrganisationKind, Role
from tests.api.conftest import get_json
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    AttachmentFactory,
    CouncilSeatFactory,
    OfficeFactory,
    OrganisationFactory,
    PersonFactory,
    image_file,
)


@pytest.mark.django_db
def test_the_directory_is_in_pinyin_order_with_the_pages_filters(client):
    zhong = OrganisationFactory(name_zh_hans="中国移动苏州分公司", name_en="China Mobile Suzhou")
    a = OrganisationFactory(name_zh_hans="阿里云苏州", name_en="Alibaba Cloud Suzhou", kind=OrganisationKind.UNIVERSITY)
    bo = OrganisationFactory(name_zh_hans="博远网络", name_en="Boyuan Network")
    CouncilSeatFactory(office=OfficeFactory(slug="wuzhong"), organisation=bo, role=Role.PRESIDENT)

    def slugs(query=""):
        return [item["slug"] for item in get_json(client, f"/api/v1/organisations/{query}")[1]["results"]]

    assert slugs() == [a.slug, bo.slug, zhong.slug]  # a-li, bo-yuan, zhong-guo
    assert slugs("?lang=en") == [a.slug, bo.slug, zhong.slug]  # Alibaba, Boyuan, China
    assert slugs("?letter=z") == [zhong.slug]
    assert slugs("?kind=university") == [a.slug]
    assert slugs("?office=wuzhong") == [bo.slug]
    assert slugs("?role=president") == [bo.slug]
    assert slugs("?q=博远") == [bo.slug]
    positions = get_json(client, f"/api/v1/organisations/{bo.slug}/")[1]["positions"]
    assert [(p["body"], p["role"], p["office"]["slug"]) for p in positions] == [("council", "president", "wuzhong")]


@pytest.mark.django_db
def test_an_office_lists_its_council_by_rank(client):
    office = OfficeFactory(slug="wuzhong")
    for role in (Role.DIRECTOR, Role.SECRETARY_GENERAL, Role.PRESIDENT, Role.VICE_PRESIDENT):
        CouncilSeatFactory(office=office, role=role, representative=PersonFactory())
    council = get_json(client, "/api/v1/offices/wuzhong/?lang=en")[1]["council"]
    assert [seat["role"] for seat in council] == ["president", "vice_president", "secretary_general", "director"]
    assert council[0]["role_label"] == "President"
    assert get_json(client, "/api/v1/offices/wuzhong/")[1]["council"][0]["role_label"] == "会长"


@pytest.mark.django_db
def test_an_article_has_its_photos_renditions_attachments_and_subjects(client, media_root):
    article = ArticleFactory()
    photo = ArticlePhotoFactory(article=article, image=image_file(size=(1200, 800)))
    attachment = AttachmentFactory(article=article)
    article.organisations.add(OrganisationFactory(slug="boyuan"))
    detail = get_json(client, f"/api/v1/articles/{article.pk}/?lang=en")[1]
    shown = detail["photos"][0]
    assert (shown["width"], shown["height"], shown["caption"], shown["alt"]) == (
        1200,
        800,
        "At the meeting",
        photo.alt_text_en,
    )
    widths = {(r["format"], r["width"], r["height"]) for r in shown["renditions"]}
    assert ("webp", 480, 320) in widths and ("webp", 960, 640) in widths and ("webp", 1200, 800) in widths
    for rendition in shown["renditions"]:
        assert rendition["url"].startswith("http://testserver/media/")
        assert (media_root / rendition["url"].removeprefix("http://testserver/media/")).is_file()  # made at upload
    assert detail["attachments"][0]["url"] == f"http://testserver/en/news/attachments/{attachment.pk}/"
    assert detail["attachments"][0]["title"] == "Evaluation index system"
    assert detail["organisations"][0]["url"] == "http://testserver/en/members/boyuan/"
