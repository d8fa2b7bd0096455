"""Review before publication in the browser: a writer submits, a reviewer returns it with a
comment, the writer amends and resubmits, the reviewer approves and the article is public; a
reviewer cannot approve their own article; the e-mails are sent and the history shows every step."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from core.groups import EDITORS, REVIEWERS
from news.models import Article
from tests.browser.admin_steps import sign_in
from tests.browser.conftest import close_context, new_context
from tests.factories import ArticleFactory, CategoryFactory, UserFactory
from tests.i18n import zh
from tests.news.pages import url_of

pytestmark = pytest.mark.browser
TITLE = "苏州工业互联网标识解析节点通过验收"
AMENDED = "苏州工业互联网标识解析二级节点通过验收"
COMMENT = "请写明是二级节点。"


@pytest.fixture
def reviewer_page(browser, live_server, request, screenshot):
    context, watch = new_context(browser, live_server)
    yield context.new_page()
    close_context(context, watch, request, screenshot)


def submit_from_form(page):
    with page.expect_navigation():
        page.locator('input[name="_submit_review"]').click()
    expect(page.locator(".messagelist .success")).to_contain_text(
        zh("Submitted for review. The reviewers have been told.")
    )


def decide(page, article, decision, comment=""):
    page.goto(f"/admin/news/article/{article.pk}/review/")
    if comment:
        page.locator("#id_comment").fill(comment)
    with page.expect_navigation():
        page.locator(f'button[name="decision"][value="{decision}"]').click()


def test_a_writer_and_a_reviewer_take_an_article_through_review(page, reviewer_page, visitor, staff_groups, screenshot):
    CategoryFactory(name_zh_hans="行业动态")
    writer = UserFactory(groups=[EDITORS])
    reviewer = UserFactory(groups=[REVIEWERS])
    sign_in(page, writer)
    sign_in(reviewer_page, reviewer)

    # The writer writes and submits; the reviewers are told.
    page.goto("/admin/news/article/add/")
    page.fill("#id_title_zh_hans", TITLE)
    page.locator("#id_category").select_option(label="行业动态")
    page.locator("#tab_id_body_zh_hans .tiptap").click()
    page.keyboard.type("节点在吴中区通过专家验收。")
    submit_from_form(page)
    article = Article.objects.get()
    assert article.review_state == "submitted" and not article.is_published
    assert [message.to for message in mail.outbox] == [[reviewer.email]]

    # The reviewer returns it with a comment; the writer is told.
    decide(reviewer_page, article, "return", COMMENT)
    expect(reviewer_page.locator(".review-state")).to_have_text(zh("Returned"))
    assert mail.outbox[-1].to == [writer.email] and COMMENT in mail.outbox[-1].body

    # The writer reads the comment, amends and resubmits.
    page.goto(f"/admin/news/article/{article.pk}/review/")
    expect(page.locator(".review-step-returned")).to_contain_text(COMMENT)
    page.goto(f"/admin/news/article/{article.pk}/change/")
    page.fill("#id_title_zh_hans", AMENDED)
    submit_from_form(page)
    assert len(mail.outbox) == 3 and mail.outbox[-1].to == [reviewer.email]

    # The reviewer cannot approve an article of their own, and approves the writer's.
    own = ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, created_by=reviewer, title_zh_hans="审核人自己的稿件"
    )
    decide(reviewer_page, own, "submit")
    decide(reviewer_page, own, "approve")
    expect(reviewer_page.locator(".messagelist .error")).to_contain_text(
        zh("You wrote or last changed this item: another reviewer must approve it.")
    )
    assert not Article.objects.get(pk=own.pk).is_published
    decide(reviewer_page, article, "approve")
    expect(reviewer_page.locator(".messagelist .success")).to_contain_text(zh("Approved. The writer has been told."))
    assert mail.outbox[-1].to == [writer.email]

    # The article is public.
    article.refresh_from_db()
    visitor.goto(url_of(article))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(AMENDED)

    # The history shows every step, with who and the comment.
    page.goto(f"/admin/news/article/{article.pk}/history/")
    steps = page.locator(".review-steps tbody tr")
    expect(steps).to_have_count(5)
    expected = [
        ("Submitted for review", writer),
        ("Returned with comments", reviewer),
        ("Submitted for review", writer),
        ("Approved", reviewer),
        ("Published", reviewer),
    ]
    for row, (action, user) in zip(steps.all(), expected, strict=True):
        expect(row).to_contain_text(zh(action))
        expect(row).to_contain_text(user.username)
    expect(steps.nth(1)).to_contain_text(COMMENT)
    screenshot(page)
