"""Mainland-China readiness in Chromium: the footer's record numbers in each language (screenshots),
the elderly-friendly mode at phone and desktop widths, and the contact form end to end."""

import urllib.request

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from compliance.services import CONTACT_LIMIT
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, new_context, screenshots_key

pytestmark = pytest.mark.browser

# Whether <html> had the elderly class when <body> was first inserted, i.e. before anything could be painted.
RECORD_CLASS_BEFORE_BODY = """
new MutationObserver((records, observer) => {
  if (document.body) {
    window.__elderlyBeforeBody = document.documentElement.classList.contains("elderly");
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""

TEXT_METRICS = """() => {
  const p = document.querySelector("main p");
  const style = getComputedStyle(p);
  return {
    fontSize: parseFloat(style.fontSize),
    lineHeight: parseFloat(style.lineHeight),
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    buttonHeight: document.querySelector("main button, header button").getBoundingClientRect().height,
  };
}"""


def fetch(live_server, path):
    """What the next anonymous visitor is served: the body and whether it came from the page cache."""
    with urllib.request.urlopen(live_server.url + path) as response:  # noqa: S310 - the live test server
        return response.read(), response.headers.get("X-Page-Cache")


@pytest.mark.parametrize(("language", "prefix"), [("zh-hans", ""), ("en", "/en"), ("zh-hant", "/zh-hant")])
def test_the_footer_shows_the_record_numbers_with_their_links(page, demo, request, language, prefix):
    page.goto(prefix + "/")

    footer = page.locator("footer.site-footer")
    icp = footer.locator("a.icp-record")
    expect(icp).to_have_text("苏ICP备00000000号-1")
    expect(icp).to_have_attribute("href", "https://beian.miit.gov.cn/")
    expect(icp).to_have_attribute("target", "_blank")
    police = footer.locator("a.public-security-record")
    expect(police).to_have_attribute("href", "https://beian.mps.gov.cn/#/query/webSearch?code=00000000000000")
    expect(police.locator("img")).to_be_visible()
    expect(footer.locator(".footer-qr img")).to_be_visible()
    footer.scroll_into_view_if_needed()
    path = SCREENSHOTS / f"footer-{language}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    footer.screenshot(path=path)
    request.config.stash.setdefault(screenshots_key, []).append(path)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_elderly_mode_enlarges_text_keeps_the_page_the_same_for_everyone(
    browser, live_server, demo, privacy_policy, settings, screenshot, viewport
):
    settings.PAGE_CACHE_ENABLED = True
    before, _ = fetch(live_server, "/")
    assert fetch(live_server, "/") == (before, "hit")
    context, watch = new_context(browser, live_server, viewport=viewport)
    context.add_init_script(RECORD_CLASS_BEFORE_BODY)
    page = context.new_page()
    try:
        page.goto("/")
        normal = page.evaluate(TEXT_METRICS)

        for _ in range(6):  # skip link, brand, then the switch: reachable by keyboard
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "elderly-toggle":
                break
        assert page.evaluate("document.activeElement.id") == "elderly-toggle"
        page.keyboard.press("Enter")
        expect(page.locator("html")).to_have_class("elderly")
        expect(page.locator("#elderly-toggle")).to_have_attribute("aria-pressed", "true")

        for path in ("/", "/news/", "/en/about/", "/zh-hant/contact/"):
            page.goto(path)
            assert page.evaluate("window.__elderlyBeforeBody") is True, f"{path}: class set before first paint"
            large = page.evaluate(TEXT_METRICS)
            if path == "/":
                assert round(large["fontSize"] / normal["fontSize"], 3) >= 1.3, (normal, large)
            assert large["lineHeight"] >= 1.5 * large["fontSize"], large
            assert large["buttonHeight"] >= 48, large
            assert large["scrollWidth"] <= large["clientWidth"], f"{path} scrolls sideways: {large}"
            results = Axe().run(page)
            serious = [
                f"{v['id']} ({v['impact']})"
                for v in results.response["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            assert not serious, f"{path}: {serious}"

        page.reload()
        expect(page.locator("html")).to_have_class("elderly")
        served = page.goto("/")
        screenshot(page, f"elderly-{viewport['width']}")
        assert served.body() == before, "the browser in elderly mode gets the page everyone gets"
        assert fetch(live_server, "/") == (before, "hit"), "the next anonymous visitor: same bytes, same entry"

        page.locator("#elderly-toggle").click()
        page.reload()
        expect(page.locator("html")).not_to_have_class("elderly")
    finally:
        context.close()
    assert not watch.problems(), watch.problems()


def send_contact(page, message):
    page.goto("/contact/")
    page.get_by_label("您的姓名").fill("王小明")
    page.get_by_label("用于答复的电子邮箱或手机").fill("13800000000")
    page.get_by_label("留言内容").fill(message)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="发送").click()


def test_the_contact_form_end_to_end(browser, live_server, mailoutbox, demo, privacy_policy, screenshot):
    context, watch = new_context(browser, live_server)
    page = context.new_page()
    page.goto("/")
    page.locator("footer").get_by_role("link", name="联系我们").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("联系秘书处")

    # 1: no message, no consent
    page.get_by_label("您的姓名").fill("王小明")
    page.get_by_label("用于答复的电子邮箱或手机").fill("138 0000 0000")
    page.get_by_role("button", name="发送").click()
    expect(page.locator("#id_message_error")).to_have_text("请填写留言内容。")
    expect(page.locator(".consent .errorlist")).to_contain_text("请勾选同意隐私政策")
    expect(page.get_by_label("您的姓名")).to_have_value("王小明")

    # 2: the trap field filled, as a robot filling every field would
    page.get_by_label("留言内容").fill("请问如何申请入会？")
    page.get_by_role("checkbox").check()
    page.locator("#id_website").fill("http://spam.example/", force=True)
    page.get_by_role("button", name="发送").click()
    expect(page.locator(".form-refused")).to_contain_text("此项请留空")

    # 3: sent
    page.locator("#id_website").fill("", force=True)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="发送").click()
    expect(page.locator(".form-done")).to_contain_text("您的留言已发送至联盟秘书处")
    screenshot(page, "sent")
    assert len(mailoutbox) == 1
    assert "请问如何申请入会？" in mailoutbox[0].body
    assert "13800000000" in mailoutbox[0].body
    assert mailoutbox[0].to == ["secretariat@example.org"]

    # Every submission counts towards the limit, refused or not: the next beyond it is refused.
    for _ in range(CONTACT_LIMIT - 3):
        send_contact(page, "再问一次。")
    send_contact(page, "第四次。")
    expect(page.locator(".form-refused")).to_contain_text("请稍等一分钟再试")
    assert len(mailoutbox) == 1 + max(CONTACT_LIMIT - 3, 0)
    context.close()
    # Chromium reports a page answered 429 Too Many Requests as a failed load: that one is expected.
    expected = [error for error in watch.console_errors if "status of 429" in error]
    assert len(expected) == 1, watch.console_errors
    watch.console_errors = [error for error in watch.console_errors if error not in expected]
    assert not watch.problems(), watch.problems()
