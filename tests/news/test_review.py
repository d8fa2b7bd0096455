"""Review before publication (core.review, adopted by news): the state machine, the services, the
e-mails, pending revisions of published articles, the admin's review page, list filter and history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.groups import EDITORS, REVIEWERS
from core.review import TRANSITIONS, Action, ReviewState, TransitionNotAllowed, next_state
from news import services
from news.models import Article
from tests.factories import ArticleFactory, OfficeFactory, UserFactory
from tests.i18n import zh
from tests.news.pages import form_data, get_page, url_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer():
    return UserFactory(groups=[EDITORS])


@pytest.fixture
def reviewer():
    return UserFactory(groups=[REVIEWERS])


@pytest.fixture
def draft(writer):
    return ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, created_by=writer, title_zh_hans="待审核的考评新闻"
    )


def test_every_step_not_in_the_table_raises():
    allowed = {(state, action) for action, (sources, _target) in TRANSITIONS.items() for state in sources}
    for state in ReviewState:
        for action in Action:
            if (state, action) in allowed:
                assert next_state(state, action) == TRANSITIONS[action][1]
            else:
                with pytest.raises(TransitionNotAllowed):
                    next_state(state, action)
    assert (ReviewState.DRAFT, Action.APPROVED) not in allowed, "nothing is approved without being submitted"


def test_submit_return_resubmit_approve(draft, writer, reviewer, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_for_review(draft, user=writer)
    draft.refresh_from_db()
    assert draft.review_state == ReviewState.SUBMITTED and not draft.is_published
    assert [mail.to for mail in mailoutbox] == [[reviewer.email]]
    assert draft.title in mailoutbox[0].subject

    with pytest.raises(ValidationError) as error:
        services.send_back(draft, user=reviewer, comment="  ")
    assert error.value.messages == [zh("Say what should change: a comment is required.")]
    with django_capture_on_commit_callbacks(execute=True):
        services.send_back(draft, user=reviewer, comment="请补充活动照片。")
    draft.refresh_from_db()
    assert draft.review_state == ReviewState.RETURNED
    assert mailoutbox[-1].to == [writer.email] and "请补充活动照片。" in mailoutbox[-1].body

    with pytest.raises(TransitionNotAllowed):
        services.approve(draft, user=reviewer)  # returned, not resubmitted
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_for_review(draft, user=writer)
        services.approve(draft, user=reviewer, comment="同意发布")
    draft.refresh_from_db()
    assert draft.review_state == ReviewState.APPROVED and draft.is_published
    assert mailoutbox[-1].to == [writer.email] and "同意发布" in mailoutbox[-1].body
    steps = list(draft.review_steps.values_list("action", "user", "comment"))
    assert steps == [
        (Action.SUBMITTED, writer.pk, ""),
        (Action.RETURNED, reviewer.pk, "请补充活动照片。"),
        (Action.SUBMITTED, writer.pk, ""),
        (Action.APPROVED, reviewer.pk, "同意发布"),
        (Action.PUBLISHED, reviewer.pk, ""),
    ]


def test_approval_of_a_future_time_schedules(draft, writer, reviewer):
    later = timezone.now() + datetime.timedelta(days=2)
    draft.published_at = later
    draft.save()
    services.submit_for_review(draft, user=writer)
    services.approve(draft, user=reviewer)
    draft.refresh_from_db()
    assert draft.is_scheduled and draft.published_at == later


def test_no_one_approves_what_they_wrote_or_last_changed_superusers_excepted(draft, writer, reviewer):
    writing_reviewer = UserFactory(groups=[REVIEWERS])
    own = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=writing_reviewer)
    services.submit_for_review(own, user=writing_reviewer)
    with pytest.raises(PermissionError):
        services.approve(own, user=writing_reviewer)
    services.submit_for_review(draft, user=writer)
    Article.objects.filter(pk=draft.pk).update(last_edited_by=reviewer)
    with pytest.raises(PermissionError):
        services.approve(draft, user=reviewer)
    with pytest.raises(PermissionError):
        services.approve(draft, user=writer)  # an Editor is no reviewer
    superuser = UserFactory(is_superuser=True)
    Article.objects.filter(pk=draft.pk).update(last_edited_by=superuser)
    services.approve(draft, user=superuser)
    assert Article.objects.get(pk=draft.pk).is_published


def edit(client, article, **changes):
    _, html = get_page(client, f"/admin/news/article/{article.pk}/change/")
    data = form_data(html, "article_form")
    data.update({name: value if isinstance(value, list) else [value] for name, value in changes.items()})
    return client.post(f"/admin/news/article/{article.pk}/change/", data)


def test_editing_a_published_article_waits_for_review_while_the_published_text_stays(client, writer, reviewer):
    article = ArticleFactory(title_zh_hans="已发布的原标题")
    office = OfficeFactory()
    client.force_login(writer)
    response = edit(client, article, title_zh_hans="修改后的新标题", offices=[str(office.pk)], _submit_review="1")
    assert response.status_code == 302, response.content.decode()[:2000]

    article.refresh_from_db()
    assert article.title_zh_hans == "已发布的原标题" and article.is_published and not article.offices.exists()
    assert article.review_state == ReviewState.SUBMITTED and article.last_edited_by == writer
    client.logout()
    assert "已发布的原标题" in client.get(url_of(article)).content.decode()

    client.force_login(writer)
    _, html = get_page(client, f"/admin/news/article/{article.pk}/change/")
    assert html.find("input", id="id_title_zh_hans")["value"] == "修改后的新标题", "the form edits the revision"

    services.approve(article, user=reviewer)
    article.refresh_from_db()
    assert article.title_zh_hans == "修改后的新标题" and article.pending_revision is None and article.is_published
    assert list(article.offices.all()) == [office]
    client.logout()
    assert "修改后的新标题" in client.get(url_of(article)).content.decode()


def test_without_review_editors_publish_directly_and_the_step_is_recorded(settings, client, writer, draft):
    settings.REVIEW_REQUIRED = False
    client.force_login(writer)
    response = edit(client, draft, status=Article.Status.PUBLISHED, title_zh_hans="直接发布的新闻")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title_zh_hans == "直接发布的新闻" and draft.is_published
    services.unpublish([draft], user=writer)
    assert list(draft.review_steps.values_list("action", flat=True)) == [Action.UNPUBLISHED]


def test_under_review_the_form_does_not_let_editors_publish(client, writer, draft):
    client.force_login(writer)
    _, html = get_page(client, f"/admin/news/article/{draft.pk}/change/")
    assert html.find("select", id="id_status") is None
    assert html.find("input", attrs={"name": "_submit_review"}) is not None
    edit(client, draft, status=Article.Status.PUBLISHED)
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT


def test_the_review_page_history_and_list_filter(client, draft, writer, reviewer):
    services.submit_for_review(draft, user=writer, comment="请审核")
    client.force_login(reviewer)
    _, page = get_page(client, f"/admin/news/article/{draft.pk}/review/")
    assert page.find("button", attrs={"value": "approve"}) is not None
    response = client.post(f"/admin/news/article/{draft.pk}/review/", {"decision": "return", "comment": ""})
    assert zh("Say what should change: a comment is required.") in response.content.decode()
    client.post(f"/admin/news/article/{draft.pk}/review/", {"decision": "return", "comment": "标题太长"})
    assert Article.objects.get(pk=draft.pk).review_state == ReviewState.RETURNED

    _, history = get_page(client, f"/admin/news/article/{draft.pk}/history/")
    rows = [[cell.text.strip() for cell in row.find_all("td")] for row in history.select(".review-steps tbody tr")]
    assert [(row[1], row[3]) for row in rows] == [
        (zh("Submitted for review"), "请审核"),
        (zh("Returned with comments"), "标题太长"),
    ]
    assert rows[1][2] == reviewer.username

    other = ArticleFactory(title_zh_hans="其他考评新闻")
    _, listing = get_page(client, "/admin/news/article/?review=returned")
    titles = [link.text for link in listing.select("#result_list tbody th a")]
    assert titles == [draft.title] and other.title not in titles


def test_the_admin_index_shows_what_awaits_review(client, draft, writer, reviewer):
    services.submit_for_review(draft, user=writer)
    client.force_login(reviewer)
    _, index = get_page(client, "/admin/")
    awaiting = index.find("div", class_="dashboard-awaiting")
    assert awaiting.find("span", class_="dashboard-count").text == "1"
    assert [link.text for link in awaiting.select("li a")] == [draft.title]


def test_two_editors_of_one_pending_revision_the_second_is_told_and_nothing_is_overwritten(client, writer):
    article = ArticleFactory(title_zh_hans="已发布的原标题")
    other = UserFactory(groups=[EDITORS])
    second = type(client)()
    client.force_login(writer)
    second.force_login(other)
    url = f"/admin/news/article/{article.pk}/change/"
    first_form = form_data(get_page(client, url)[1], "article_form")
    second_form = form_data(get_page(second, url)[1], "article_form")
    first_form["title_zh_hans"] = ["第一位编辑的修改"]
    assert client.post(url, first_form).status_code == 302
    second_form["title_zh_hans"] = ["第二位编辑的修改"]
    response = second.post(url, second_form)
    assert response.status_code == 200 and "errornote" in response.content.decode()
    article.refresh_from_db()
    assert article.pending_revision["fields"]["title_zh_hans"] == "第一位编辑的修改"
    assert article.title_zh_hans == "已发布的原标题"
