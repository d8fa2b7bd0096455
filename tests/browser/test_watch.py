"""The watch every browser test runs under reports what it exists to catch."""

import pytest

from tests.browser.conftest import new_context, record_csp_violations, wait_for_csp_violations

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
    record_csp_violations(context)
    page = context.new_page()
    page.goto("/")
    assert not watch.problems()

    page.evaluate(MISBEHAVIOUR)
    # Each report arrives when the browser gets to it: wait for each, so that none is read too early.
    blocked = wait_for_csp_violations(page, 3)

    def console():
        return "\n".join(watch.console_errors)

    watch.wait_for(page, "the request to another host", lambda: watch.foreign_requests)
    watch.wait_for(page, "the console error", lambda: "something broke" in console())
    watch.wait_for(page, "the blocked fetch", lambda: "https://api.example.com/track' violates" in console())
    watch.wait_for(page, "the blocked inline handler", lambda: "inline event handler violates" in console())
    watch.wait_for(page, "the missing image", lambda: "404" in console())
    watch.wait_for(page, "the uncaught error", lambda: watch.script_errors)
    context.close()

    assert sorted(violation.split()[0] for violation in blocked) == ["connect-src", "img-src", "script-src-attr"]
    assert "https://cdn.example.com/logo.png" in " ".join(watch.foreign_requests)
    assert "the following Content Security Policy directive" in console()
    assert any("uncaught" in error for error in watch.script_errors)
    assert [dialog.split(": ", 1)[1] for dialog in watch.dialogs] == ["alert 'a dialog'"]
