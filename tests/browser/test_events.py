"""A visitor registers for an event with one place left, sees the QR code of the check-in code,
cancels from the private link, and the person on the waitlist is confirmed and e-mailed; at the
door, staff check that person in by typing the code."""

import re

import pytest
from playwright.sync_api import expect

from events.models import Registration
from tests.browser.admin_steps import sign_in
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.browser


def fill_registration(page, name, mobile, email):
    form = page.locator("#registration-form")
    form.get_by_label("姓名").fill(name)
    form.get_by_label("单位").fill("苏州测试科技有限公司")
    form.get_by_label("职务").fill("工程师")
    form.get_by_label("手机").fill(mobile)
    form.get_by_label("电子邮箱").fill(email)
    form.get_by_label("同意按此处所述处理我的个人信息").check()
    with page.expect_navigation():
        form.get_by_role("button").click()


def test_register_cancel_and_the_waitlisted_person_is_confirmed_then_checked_in(
    page, visitor, staff_groups, privacy_policy, mailoutbox, screenshot
):
    event = EventFactory(title_zh_hans="工业互联网安全沙龙", capacity=1)

    visitor.goto(event.get_absolute_url())
    expect(visitor.locator(".places")).to_contain_text("剩余 1 个名额")
    fill_registration(visitor, "张三", "13900000001", "zhang@example.org")
    expect(visitor.locator(".registration-state")).to_have_attribute("data-status", "confirmed")
    first = Registration.objects.get(email="zhang@example.org")
    expect(visitor.locator(".check-in-code")).to_have_text(first.code)
    expect(visitor.locator(".check-in-qr svg")).to_be_visible()
    private_link = visitor.url
    assert re.search(r"/events/registration/[^/]+/$", private_link)

    # A second visitor finds the event full and joins the waitlist.
    page.goto(event.get_absolute_url())
    expect(page.locator(".places")).to_contain_text("候补名单")
    fill_registration(page, "李四", "13900000002", "li@example.org")
    expect(page.locator(".registration-state")).to_have_attribute("data-status", "waitlisted")
    expect(page.locator(".check-in-qr")).to_have_count(0)
    assert [message.to for message in mailoutbox] == [["zhang@example.org"], ["li@example.org"]]

    # The first visitor comes back through the private link and cancels.
    visitor.goto(private_link)
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="取消我的报名").click()
    expect(visitor.locator(".registration-state")).to_have_attribute("data-status", "cancelled")
    second = Registration.objects.get(email="li@example.org")
    assert second.status == Registration.Status.CONFIRMED
    promotion = mailoutbox[-1]
    assert promotion.to == ["li@example.org"] and second.code in promotion.body
    screenshot(visitor, "cancelled")

    # The waitlisted person's page now shows the place and the QR code.
    page.reload()
    expect(page.locator(".registration-state")).to_have_attribute("data-status", "confirmed")
    expect(page.locator(".check-in-qr svg")).to_be_visible()

    # At the door: staff type the code in lower case, as read out.
    staff_page = page.context.new_page()
    sign_in(staff_page, UserFactory(groups=["Event staff"]))
    staff_page.goto(f"/admin/events/event/{event.pk}/check-in/")
    expect(staff_page.locator("#check-in-code")).to_be_focused()
    staff_page.locator("#check-in-code").fill(second.code.lower())
    with staff_page.expect_navigation():
        staff_page.locator("#check-in-code").press("Enter")
    expect(staff_page.locator(".messagelist .success")).to_contain_text("李四 已签到")
    expect(staff_page.locator('[data-count="attended"]')).to_have_text("1")
    second.refresh_from_db()
    assert second.checked_in_at is not None
    screenshot(staff_page, "check-in")
