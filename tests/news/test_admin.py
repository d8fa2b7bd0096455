"""The article admin as editors use it: the Editors group, forms, bulk actions, locking, history, photos."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from reversion.models import Version

from core.groups import EDITORS
from news.models import Article, ArticlePhoto
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    CategoryFactory,
    OfficeFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    give_views,
    image_file,
)
from tests.news.pages import form_data, get_page, parse_html, url_of

pytestmark = pytest.mark.django_db


def change_form(client, article):
    """The change form of an article as the browser would submit it untouched."""
    _, html = get_page(client, f"/admin/news/article/{article.pk}/change/")
    return form_data(html, "article_form")


def save(client, article, **changes):
    data = change_form(client, article)
    data.update({name: [value] for name, value in changes.items()})
    return client.post(f"/admin/news/article/{article.pk}/change/", data)


def test_editors_manage_news_and_nothing_else():
    permissions = Group.objects.get(name=EDITORS).permissions.select_related("content_type")
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
    news = {
        f"news.{action}_{model}"
        for model in ("article", "articlephoto", "attachment", "category")
        for action in ("add", "change", "delete", "view")
    }
    assert granted == news | {"news.publish_article", "offices.view_office", "members.view_organisation"} | {
        "members.view_person",
        "events.view_event",
    }, "the views are what linking an article to offices, organisations, people and an event needs"


def test_an_editor_reaches_the_news_admin_only(editor_client):
    office, organisation = OfficeFactory(), OrganisationFactory()
    for url in (
        "/admin/news/article/",
        "/admin/news/article/add/",
        "/admin/news/category/",
        "/admin/news/category/add/",
    ):
        assert editor_client.get(url).status_code == 200, url
    for url in (
        f"/admin/offices/office/{office.pk}/change/",
        f"/admin/members/organisation/{organisation.pk}/change/",
        "/admin/offices/office/add/",
        "/admin/members/organisation/add/",
        "/admin/auth/user/",
        "/admin/auth/group/",
        "/admin/offices/councilseat/",
    ):
        response = editor_client.get(url)
        assert response.status_code == 403 or (
            response.status_code == 200 and b'name="_save"' not in response.content
        ), url
    assert editor_client.post(f"/admin/offices/office/{office.pk}/delete/", {"post": "yes"}).status_code == 403


@pytest.mark.parametrize(
    ("field", "make", "term"),
    [
        ("offices", lambda: OfficeFactory(name_zh_hans="吴中区办事处"), "吴中"),
        ("organisations", lambda: OrganisationFactory(name_zh_hans="苏州浪潮云计算有限公司"), "浪潮"),
        ("people", lambda: PersonFactory(name_zh_hans="潘明"), "潘明"),
    ],
)
def test_autocomplete_finds_offices_organisations_and_people_for_editors(editor_client, field, make, term):
    item = make()
    response = editor_client.get(
        "/admin/autocomplete/", {"app_label": "news", "model_name": "article", "field_name": field, "term": term}
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [result["id"] for result in results] == [str(item.pk)]
    assert results[0]["text"] == str(item)


def test_the_change_form_has_translation_tabs_the_body_editor_and_inlines(editor_client):
    article = ArticleFactory()
    _, html = get_page(editor_client, f"/admin/news/article/{article.pk}/change/")
    form = html.find("form", id="article_form")
    for name in ("title", "summary", "body", "source", "cover_alt"):
        for language in ("zh_hans", "en", "zh_hant"):
            assert form.find_all(attrs={"name": f"{name}_{language}"}), f"{name}_{language}"
    body = form.find("textarea", attrs={"name": "body_zh_hans"})
    config = json.loads(body.attrs["data-django-prose-editor-configurable"])
    assert {"Bold", "Heading", "Link", "Table", "Figure", "Caption", "Image"} <= set(config["extensions"])
    assert config["extensions"]["Figure"] == {"pickerUrl": f"/admin/news/article/{article.pk}/photos/?language=zh_hans"}
    assert form.find("div", id="photos-group") is not None
    assert form.find("div", id="attachments-group") is not None
    for field in ("offices", "organisations", "people"):
        assert "admin-autocomplete" in form.find("select", attrs={"name": field})["class"]


def test_the_admin_loads_nothing_from_outside_the_site(editor_client):
    article = ArticleFactory()
    for url in ("/admin/news/article/add/", f"/admin/news/article/{article.pk}/change/", "/admin/news/article/"):
        _, html = get_page(editor_client, url)
        for element in html.find_all(["script", "link", "img"]):
            for attribute in ("src", "href"):
                value = element.get(attribute, "")
                if value:
                    assert value.startswith("/") and not value.startswith("//"), f"{value} on {url}"
        scripts = [e["src"] for e in html.find_all("script", src=True)]
        if "change" in url or "add" in url:
            assert "/static/alliance_site/vendor/jquery-ui/jquery-ui.min.js" in scripts


def test_an_article_written_in_the_admin(editor, editor_client):
    category = CategoryFactory()
    _, html = get_page(editor_client, "/admin/news/article/add/")
    data = form_data(html, "article_form")
    data |= {
        "title_zh_hans": ["吴中区办事处成立大会顺利举行"],
        "title_en": ["Wuzhong District Office founded"],
        "category": [str(category.pk)],
        "body_zh_hans": ["<p>11月20日上午，大会顺利举行。</p>"],
        "status": [Article.Status.PUBLISHED],
    }
    response = editor_client.post("/admin/news/article/add/", data)
    assert response.status_code == 302, parse_html(response.content).find("div", class_="errornote")

    article = Article.objects.get()
    assert article.slug == "wu-zhong-qu-ban-shi-chu-cheng-li-da-hui-shun-li-ju-xing"
    assert article.created_by == editor
    assert article.title_zh_hant == "吳中區辦事處成立大會順利舉行"
    assert article.body_zh_hant == "<p>11月20日上午，大會順利舉行。</p>"
    assert article.summary_zh_hans == "11月20日上午，大会顺利举行。"
    assert article.is_published and article.published_at <= timezone.now()
    assert Version.objects.get_for_object(article).get().revision.user == editor


def test_traditional_an_editor_wrote_is_kept(editor_client):
    article = ArticleFactory(title_zh_hans="吴中区新闻")
    assert article.title_zh_hant == "吳中區新聞"
    assert save(editor_client, article, title_zh_hant="吳中區要聞").status_code == 302
    assert save(editor_client, article, title_zh_hans="吴中区最新新闻").status_code == 302
    article.refresh_from_db()
    assert (article.title_zh_hans, article.title_zh_hant) == ("吴中区最新新闻", "吳中區要聞")

    assert save(editor_client, article, title_zh_hant="").status_code == 302
    article.refresh_from_db()
    assert article.title_zh_hant == "吳中區最新新聞", "emptied, it follows the Simplified title again"


def test_a_changed_slug_keeps_old_links_working(editor_client, client):
    article = ArticleFactory(title_zh_hans="吴中区新闻")
    old_url = url_of(article)
    assert save(editor_client, article, slug="wuzhong-news").status_code == 302
    article.refresh_from_db()
    response = client.get(old_url)
    assert (response.status_code, response["Location"]) == (301, f"/news/{article.pk}/wuzhong-news/")


def test_the_list_shows_status_schedule_views_and_pins(editor_client):
    ArticleFactory(title_zh_hans="定时文章", published_at=timezone.now() + datetime.timedelta(days=1))
    pinned = ArticleFactory(title_zh_hans="置顶文章", is_pinned=True, category=CategoryFactory(slug="notices"))
    pinned.offices.add(OfficeFactory())
    _, html = get_page(editor_client, "/admin/news/article/")
    headers = [th.get("class", []) for th in html.find("table", id="result_list").find("thead").find_all("th")]
    for column in ("title", "category", "status_label", "published_at", "view_count", "is_pinned"):
        assert any(f"column-{column}" in header for header in headers), column
    with translation.override("zh-hans"):
        assert translation.gettext("Scheduled") in html.find("td", class_="field-status_label").text
    filters = html.find("search", id="changelist-filter").text
    with translation.override("zh-hans"):
        for label in ("status", "category", "offices", "publish at", "pinned"):
            assert translation.gettext(label) in filters, label
    assert html.find("nav", class_="toplinks") is not None, "date hierarchy"


def test_the_list_sorts_by_views_most_read_first_and_the_form_shows_them(editor_client):
    unread = ArticleFactory(title_zh_hans="无人读过")
    for title, views in (("读过几次", 5), ("读得最多", 5000), ("读过一次", 1)):
        give_views(ArticleFactory(title_zh_hans=title), views)

    _, html = get_page(editor_client, "/admin/news/article/?o=-5")
    rows = html.find("table", id="result_list").find("tbody").find_all("tr")
    shown = [(row.find("th").text, row.find("td", class_="field-view_count").text) for row in rows]
    assert shown == [("读得最多", "5000"), ("读过几次", "5"), ("读过一次", "1"), ("无人读过", "0")]

    _, html = get_page(editor_client, f"/admin/news/article/{unread.pk}/change/")
    assert html.find("div", class_="field-view_count").find("div", class_="readonly").text == "0"


def test_the_most_read_are_read_from_the_index_on_postgresql(editor_client):
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's; SQLite sorts the few rows of a test")
    for views in (5, 5000, 0):
        give_views(ArticleFactory(), views)
    with CaptureQueriesContext(connection) as queries:
        get_page(editor_client, "/admin/news/article/?o=-5")
    listing = next(
        query["sql"] for query in queries if "ORDER BY" in query["sql"] and "news_articleviews" in query["sql"]
    )
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_sort = off")
        cursor.execute(f"EXPLAIN {listing}")
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_sort")
    assert "article_views_count_idx" in plan, plan


def test_the_admin_search_finds_title_and_body(editor_client):
    ArticleFactory(title_zh_hans="一则新闻", body_zh_hans="<p>发布了考评指标体系。</p>")
    ArticleFactory(title_zh_hans="别的消息")
    for term in ("考评指标", "考評指標", "一则"):
        _, html = get_page(editor_client, f"/admin/news/article/?q={term}")
        rows = html.find("table", id="result_list").find("tbody").find_all("tr")
        assert [row.find("th").text for row in rows] == ["一则新闻"], term


@pytest.mark.parametrize(
    ("action", "before", "after", "message"),
    [
        (
            "publish",
            {"status": Article.Status.DRAFT, "published_at": None},
            {"status": "published"},
            "已发布 2 篇文章。",
        ),
        ("unpublish", {}, {"status": "draft"}, "已将 2 篇文章改为草稿。"),
        ("pin", {}, {"is_pinned": True}, "已置顶 2 篇文章。"),
        ("unpin", {"is_pinned": True}, {"is_pinned": False, "pinned_until": None}, "已取消置顶 2 篇文章。"),
    ],
)
def test_bulk_actions(editor_client, action, before, after, message):
    chosen = ArticleFactory.create_batch(2, **before)
    other = ArticleFactory(**before)
    response = editor_client.post(
        "/admin/news/article/",
        {"action": action, "_selected_action": [a.pk for a in chosen], "index": 0},
        follow=True,
    )
    assert message in [str(m) for m in response.context["messages"]], "editors read the admin in Chinese"
    for article in chosen:
        article.refresh_from_db()
        assert {name: getattr(article, name) for name in after} == after
        assert Version.objects.get_for_object(article).count() == 1, "each change is in the history"
    other.refresh_from_db()
    assert {name: getattr(other, name) for name in after} != after


def test_publishing_keeps_a_scheduled_time_and_stamps_a_draft(editor_client):
    later = timezone.now() + datetime.timedelta(days=2)
    scheduled = ArticleFactory(status=Article.Status.DRAFT, published_at=later)
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    editor_client.post("/admin/news/article/", {"action": "publish", "_selected_action": [scheduled.pk, draft.pk]})
    scheduled.refresh_from_db()
    draft.refresh_from_db()
    assert scheduled.published_at == later and scheduled.is_scheduled
    assert draft.is_published


def test_without_the_publish_permission_an_editor_writes_drafts_only(client):
    writer = UserFactory()
    writer.user_permissions.set(
        Permission.objects.filter(content_type__app_label="news").exclude(codename="publish_article")
    )
    client.force_login(writer)
    article = ArticleFactory(status=Article.Status.DRAFT)
    _, html = get_page(client, f"/admin/news/article/{article.pk}/change/")
    form = html.find("form", id="article_form")
    assert form.find("select", attrs={"name": "status"}) is None
    assert form.find("input", attrs={"name": "is_pinned"}) is None
    _, html = get_page(client, "/admin/news/article/")
    actions = [option["value"] for option in html.find("select", attrs={"name": "action"}).find_all("option")]
    assert "publish" not in actions and "pin" not in actions

    response = client.post("/admin/news/article/", {"action": "publish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT, response.status_code


def test_someone_who_may_only_view_articles_sees_them_read_only(client):
    reader = UserFactory()
    reader.user_permissions.set(Permission.objects.filter(codename__in=["view_article", "view_articlephoto"]))
    client.force_login(reader)
    article = ArticleFactory(title_zh_hans="只读文章")
    _, html = get_page(client, f"/admin/news/article/{article.pk}/change/")
    assert html.find("textarea", attrs={"name": "body_zh_hans"}) is None
    assert "只读文章" in html.find("div", class_="field-title_zh_hans").text
    assert client.get(f"/admin/news/article/{article.pk}/photos/").status_code == 403


def test_two_editors_saving_the_same_article(editor_client, client):
    article = ArticleFactory(title_zh_hans="原标题")
    other_editor = UserFactory(groups=[EDITORS])
    client.force_login(other_editor)
    mine, theirs = change_form(editor_client, article), change_form(client, article)

    theirs["title_zh_hans"] = ["他们的标题"]
    assert client.post(f"/admin/news/article/{article.pk}/change/", theirs).status_code == 302
    mine["title_zh_hans"] = ["我的标题"]
    response = editor_client.post(f"/admin/news/article/{article.pk}/change/", mine)

    assert response.status_code == 200
    error = parse_html(response.content).find("ul", class_="errorlist").text
    assert error.startswith("在您打开本文之后，其他人已于") and "您的修改尚未保存" in error
    article.refresh_from_db()
    assert article.title_zh_hans == "他们的标题"


def test_history_records_who_and_when_and_a_revert_keeps_the_view_count(editor, editor_client):
    article = ArticleFactory(title_zh_hans="第一版")
    assert save(editor_client, article, title_zh_hans="第二版").status_code == 302
    assert save(editor_client, article, title_zh_hans="第三版").status_code == 302
    give_views(article, 4060)

    _, html = get_page(editor_client, f"/admin/news/article/{article.pk}/history/")
    rows = html.find("table", id="change-history").find("tbody").find_all("tr")
    assert len(rows) == 2
    assert all(editor.username in row.text for row in rows)

    first = Version.objects.get_for_object(article).order_by("pk").first()
    revision_url = f"/admin/news/article/{article.pk}/history/{first.pk}/"
    _, html = get_page(editor_client, revision_url)
    data = form_data(html, "article_form")
    assert data["title_zh_hans"] == ["第二版"]
    assert editor_client.post(revision_url, data).status_code == 302

    article.refresh_from_db()
    assert article.title_zh_hans == "第二版"
    assert article.view_count == 4060, "reverting restores content, not the view count"
    assert article.version == 4, "a revert is one more edit"
    assert save(editor_client, article, title_zh_hans="第四版").status_code == 302, "the form opened after it saves"


def test_preview_and_view_on_site_links(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    published = ArticleFactory()
    _, html = get_page(editor_client, f"/admin/news/article/{draft.pk}/change/")
    preview = html.find("div", class_="field-preview_link").find("a")
    assert preview.attrs["href"] == url_of(draft)
    with translation.override("zh-hans"):
        assert preview.text == translation.gettext("Preview (visible to staff only)")
    assert editor_client.get(preview.attrs["href"]).status_code == 200

    _, html = get_page(editor_client, f"/admin/news/article/{published.pk}/change/")
    with translation.override("zh-hans"):
        assert html.find("div", class_="field-preview_link").find("a").text == translation.gettext("View on site")
    assert html.find("a", class_="viewsitelink") is not None


def test_the_photo_picker_lists_the_articles_photos(editor_client):
    article = ArticleFactory()
    photo = ArticlePhotoFactory(article=article, caption_zh_hans="会场", caption_en="The venue", alt_text_en="Hall")
    ArticlePhotoFactory()  # another article's

    _, html = get_page(editor_client, f"/admin/news/article/{article.pk}/photos/?language=en&CKEditorFuncNum=-1")
    choices = html.find_all("button", class_="photo-picker-choice")
    assert len(choices) == 1
    assert choices[0].attrs["data-photo-id"] == str(photo.pk)
    assert choices[0].attrs["data-caption"] == "The venue"
    assert choices[0].attrs["data-alt"] == "Hall"
    assert choices[0].attrs["data-url"].endswith(".webp")
    scripts = [s.get("src") for s in html.find_all("script")]
    assert "/static/news/admin/photo-picker.js" in scripts


def test_a_photo_uploaded_in_the_picker_joins_the_article(editor_client):
    article = ArticleFactory()
    ArticlePhotoFactory(article=article, order=3)
    url = f"/admin/news/article/{article.pk}/photos/?language=zh_hans&CKEditorFuncNum=-2"
    response = editor_client.post(
        url, {"image": image_file("hall.jpg"), "alt_text_zh_hans": "会场", "caption_zh_hans": "大会现场", "credit": ""}
    )
    assert (response.status_code, response["Location"]) == (302, url)
    photo = article.photos.order_by("-pk").first()
    assert (photo.caption_zh_hans, photo.alt_text_zh_hans, photo.order) == ("大会现场", "会场", 4)
    assert (photo.image_width, photo.image_height) == (800, 600)
    assert Version.objects.get_for_object(article).count() == 1, "the article's history shows the new photo"


def test_the_picker_refuses_a_photo_without_a_description_or_a_fake_image(editor_client):
    article = ArticleFactory()
    url = f"/admin/news/article/{article.pk}/photos/"
    response = editor_client.post(url, {"image": image_file("hall.jpg"), "alt_text_zh_hans": ""})
    assert response.status_code == 200
    assert parse_html(response.content).find("ul", class_="errorlist") is not None
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("hall.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    response = editor_client.post(url, {"image": fake, "alt_text_zh_hans": "会场"})
    assert response.status_code == 200
    assert ArticlePhoto.objects.count() == 0


def test_the_picker_is_for_people_who_may_change_the_article(client):
    article = ArticleFactory()
    assert client.get(f"/admin/news/article/{article.pk}/photos/").status_code == 302, "sign in first"
    client.force_login(UserFactory())
    assert client.get(f"/admin/news/article/{article.pk}/photos/").status_code == 403
    client.force_login(UserFactory(is_superuser=True))
    assert client.get("/admin/news/article/999999/photos/").status_code == 404


def test_the_add_form_has_no_picker_before_the_article_exists(editor_client):
    _, html = get_page(editor_client, "/admin/news/article/add/")
    config = json.loads(html.find("textarea", attrs={"name": "body_zh_hans"})["data-django-prose-editor-configurable"])
    assert config["extensions"]["Figure"] is True
