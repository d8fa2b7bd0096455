"""An organisation joins in a real browser: it applies with its licence, the secretariat accepts,
the council approves, it appears in the directory and on its office's page; its liaison sets a
password from the e-mailed link, edits the description, staff approve, and the public page shows
it. Every e-mail is read from the outbox the live server writes to."""

import re

import pytest
from playwright.sync_api import expect

from compliance.models import PrivacyPolicy
from core.groups import COUNCIL_APPROVERS, MEMBERSHIP_SECRETARIAT
from membership.models import MembershipApplication, Stage
from tests.browser.admin_steps import sign_in
from tests.browser.conftest import close_context, new_context
from tests.factories import OfficeFactory, PrivacyPolicyFactory, UserFactory, credit_code

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NAME = "苏州旅程智造科技有限公司"


def link_in(message, pattern):
    match = re.search(pattern, message.body)
    assert match, message.body
    return re.sub(r"^https?://[^/]+", "", match.group(0))


def test_an_organisation_joins_and_its_liaison_keeps_its_profile(
    browser, live_server, page, visitor, staff_groups, mailoutbox, request, screenshot
):
    PrivacyPolicy.objects.current() or PrivacyPolicyFactory()  # browser tests start from an emptied database
    office = OfficeFactory(name_zh_hans="苏州市工业互联网产业联盟吴中区办事处", short_name_zh_hans="吴中区办事处")
    secretariat = UserFactory(username="mishu", groups=[MEMBERSHIP_SECRETARIAT], email="mishu@example.org")
    council = UserFactory(username="lishi", groups=[COUNCIL_APPROVERS])

    # The applicant applies, with the licence as a PDF.
    visitor.goto("/members/apply/")
    visitor.fill("#id_name", NAME)
    visitor.select_option("#id_kind", "enterprise")
    visitor.fill("#id_credit_code", credit_code(7))
    visitor.fill("#id_address", "苏州市吴中区旅程路8号")
    visitor.fill("#id_description", "提供工业互联网平台与智能制造解决方案。")
    visitor.get_by_label("吴中区办事处").check()
    visitor.fill("#id_contact_name", "周联络")
    visitor.fill("#id_contact_title", "总经理助理")
    visitor.fill("#id_contact_mobile", "13912345678")
    visitor.fill("#id_contact_email", "zhou@example.cn")
    visitor.set_input_files("#id_licence", {"name": "营业执照.pdf", "mimeType": "application/pdf", "buffer": PDF})
    visitor.check("#id_consent")
    visitor.get_by_role("button", name="提交申请").click()
    expect(visitor.locator("h1")).to_contain_text("申请已收到")
    application = MembershipApplication.objects.get()
    received = next(m for m in mailoutbox if m.to == ["zhou@example.cn"])
    assert [m.to for m in mailoutbox if m is not received] == [["mishu@example.org"]]
    status_path = link_in(received, r"https?://\S+/members/apply/status/\S+/")
    visitor.goto(status_path)
    expect(visitor.locator(".stage")).to_contain_text("等待秘书处初审")

    # The secretariat accepts it for the council.
    sign_in(page, secretariat)
    page.goto(f"/admin/membership/membershipapplication/{application.pk}/change/")
    expect(page.locator("#decision-form button[value=approve]")).to_have_count(0)
    page.fill("#id_decision_comment", "材料齐全，提交理事会。")
    page.locator("#decision-form button[value=accept]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("秘书处初审通过")
    expect(page.locator("#events-group, .inline-group").first).to_contain_text("材料齐全，提交理事会。")

    # The council approves it.
    council_context, council_watch = new_context(browser, live_server)
    council_page = council_context.new_page()
    sign_in(council_page, council)
    council_page.goto(f"/admin/membership/membershipapplication/{application.pk}/change/")
    council_page.locator("#decision-form button[value=approve]").click()
    expect(council_page.locator(".messagelist .success")).to_contain_text("已批准")
    close_context(council_context, council_watch, request, screenshot)
    application.refresh_from_db()
    assert application.stage == Stage.APPROVED

    # The organisation is in the directory and on its office's page.
    visitor.goto("/members/")
    expect(visitor.locator("main")).to_contain_text(NAME)
    visitor.goto(f"/offices/{office.slug}/")
    expect(visitor.locator("main")).to_contain_text(NAME)

    # The liaison sets a password from the e-mailed link and edits the description.
    invitation = next(m for m in mailoutbox if "/portal/password/" in m.body)
    assert invitation.to == ["zhou@example.cn"]
    visitor.goto(link_in(invitation, r"https?://\S+/portal/password/\S+/"))
    visitor.fill("#id_new_password1", "Lvcheng-Zhizao-2026")
    visitor.fill("#id_new_password2", "Lvcheng-Zhizao-2026")
    visitor.get_by_role("button", name="设置密码").click()
    expect(visitor.locator("h1")).to_contain_text(NAME)
    visitor.get_by_role("link", name="修改资料").click()
    visitor.fill("#id_description_zh_hans", "旅程智造：面向长三角制造企业的工业互联网平台。")
    visitor.get_by_role("button", name="提交审核").click()
    expect(visitor.locator(".messages")).to_contain_text("审核通过后即会显示")
    visitor.goto(application.organisation.get_absolute_url())
    expect(visitor.locator("main")).not_to_contain_text("旅程智造：面向长三角")

    # Staff approve the edit, and the public page shows it.
    page.goto("/admin/membership/profilechange/")
    page.get_by_role("link", name=NAME).first.click()
    expect(page.locator(".profile-diff")).to_contain_text("旅程智造：面向长三角制造企业的工业互联网平台。")
    page.locator("#review-form button[value=approve]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("修改已发布")
    visitor.goto(application.organisation.get_absolute_url())
    expect(visitor.locator("main")).to_contain_text("旅程智造：面向长三角制造企业的工业互联网平台。")
    screenshot(visitor)

    subjects = [message.subject for message in mailoutbox]
    assert any("已通过秘书处初审" in subject for subject in subjects), subjects
    assert any("欢迎加入联盟" in subject for subject in subjects), subjects
