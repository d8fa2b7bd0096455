"""The watch every browser test runs under reports what it exists to catch."""

import pytest

from tests.browser.conftest import new_context

pytestmark = pytest.mark.browser

MISBEHAVIOUR = """() => {
  const image = new Image();
  image.src = "https://cdn.example.com/logo.png";
  document.body.append(image);
  fetch("https://api.example.com/track").catch(() => {});
  document.body.insertAdjacentHTML("beforeend", '<img src="/missing.png" onerror="alert(1)">');
  console.error("something broke");
  setTimeout(() => { throw new Error("uncaught"); });
  alert("a dialog");
}"""


def test_watch_reports_foreign_requests_console_errors_csp_violations_script_errors_and_dialogs(browser, live_server):
    context, watch = new_context(browser, live_server)
    page = context.new_page()
    page.goto("/")
    assert not watch.problems()

    page.evaluate(MISBEHAVIOUR)
    page.wait_for_timeout(300)
    context.close()

    assert "https://cdn.example.com/logo.png" in " ".join(watch.foreign_requests)
    console = "\n".join(watch.console_errors)
    assert "something broke" in console
    assert "https://api.example.com/track' violates the following Content Security Policy" in console
    assert "inline event handler violates the following Content Security Policy" in console
    assert "404" in console, "the missing image"
    assert any("uncaught" in error for error in watch.script_errors)
    assert [dialog.split(": ", 1)[1] for dialog in watch.dialogs] == ["alert 'a dialog'"]
