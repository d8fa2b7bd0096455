"""Two app servers sharing PostgreSQL and Redis serve one site: an edit or a view on one is seen on the other.

The edit goes through the admin of server A exactly as an editor's browser sends it; the next
request to server B must show it. Views counted on either server add up on both, and a flush
moves them into the database without losing or doubling one.
"""

import html.parser
import http.cookiejar
import re
import subprocess
import sys
import urllib.parse
import urllib.request

from bench.load import BROWSER
from bench.server import ROOT, AppServer

SHOWN_VIEWS = re.compile(r'<data class="view-count" value="(\d+)">')
TITLE = re.compile(r"<h1>([^<]*)</h1>")


class FormValues(html.parser.HTMLParser):
    """The fields a browser submits with the form `form_id`: inputs, text areas and chosen options."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.values = []
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("file", "submit", "button", "image", "reset"):
                self.values.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.values.append((self.select, attrs.get("value", "")))

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            self.values.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select":
            self.select = None


class Browser:
    def __init__(self, agent=BROWSER):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.opener.addheaders = [("User-Agent", agent)]

    @staticmethod
    def request(url, **kwargs):
        # One public host name, as behind a load balancer: which server answers is not part of it.
        return urllib.request.Request(url, headers={"Host": "localhost", "Referer": url}, **kwargs)  # noqa: S310

    def get(self, url):
        with self.opener.open(self.request(url), timeout=30) as response:
            return response.headers, response.read().decode(), response.url

    def post(self, url, fields):
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(self.request(url, data=data), timeout=30) as response:
            return response.read().decode(), response.url

    def submit(self, url, form_id, changes, button=None):
        _, page, _ = self.get(url)
        form = FormValues(form_id)
        form.feed(page)
        fields = [(name, value) for name, value in form.values if name not in changes] + list(changes.items())
        return self.post(url, fields + ([(button, "1")] if button else []))


def visitor(number):
    """A reader of their own: a visitor's views of an article count once in the view-count window."""
    return Browser(BROWSER.replace("Chrome/", f"Chrome/{number}.", 1))


def check_two_servers(env, article_path, admin_user, admin_password, new_title):
    """Findings of the check, as (what, what was seen, passed)."""
    findings = []
    reader = Browser()  # an anonymous reader: no cookies, pages come from the shared cache
    # The edit of a published article is published at once, as a small team's editors publish: with
    # review required it waits for a reviewer, and the page rightly keeps the published text.
    env = {**env, "REVIEW_REQUIRED": "0"}
    with AppServer(env, 8101, workers=1) as a, AppServer(env, 8102, workers=1) as b:
        reader.get(a.url + article_path)
        headers, page, _ = reader.get(b.url + article_path)
        findings.append(
            (
                "B serves the page A rendered, from the shared cache",
                headers["X-Page-Cache"],
                headers["X-Page-Cache"] == "hit",
            )
        )

        on_a = int(SHOWN_VIEWS.search(visitor(1).get(a.url + article_path)[1]).group(1))
        on_b = int(SHOWN_VIEWS.search(visitor(2).get(b.url + article_path)[1]).group(1))
        findings.append(
            ("a view counted on A shows on B (views shown on A, then B)", f"{on_a}, {on_b}", on_b == on_a + 1)
        )

        editor = Browser()
        editor.submit(a.url + "/admin/login/", "login-form", {"username": admin_user, "password": admin_password})
        change_url = f"{a.url}/admin/news/article/{article_path.split('/')[2]}/change/"
        _, landed = editor.submit(change_url, "article_form", {"title_zh_hans": new_title}, "_save")
        findings.append(
            ("the edit is saved through A's admin", landed.removeprefix(a.url), landed.endswith("/admin/news/article/"))
        )

        headers, page, _ = reader.get(b.url + article_path)
        title = TITLE.search(page).group(1)
        findings.append(
            ("B shows the edit on the next request", f"{title} ({headers['X-Page-Cache']})", title == new_title)
        )
        last_shown = int(SHOWN_VIEWS.search(page).group(1))

        flush = subprocess.run(
            [sys.executable, "manage.py", "flush_view_counts"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        after = int(SHOWN_VIEWS.search(visitor(3).get(a.url + article_path)[1]).group(1))
        findings.append(
            (
                "after flush_view_counts the count goes on from the last one shown (on B, then on A)",
                f"{last_shown}, {after}; {flush.stdout.strip()}",
                after == last_shown + 1,
            )
        )
    return findings
