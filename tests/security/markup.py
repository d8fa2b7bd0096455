"""Structural check of a rendered page for markup an attacker could have put there.

The page is parsed as HTML (stdlib html.parser, which decodes entities in attribute values the
way a browser does) and every element and attribute is judged by rules, so a payload that
survives in any encoding is found whatever its spelling:

- a script element is live unless it is a static file of the site, carries this response's CSP
  nonce, or is a JSON-LD data block whose content parses as JSON;
- any on* attribute, and any element that embeds or redirects (iframe, object, embed, base,
  meta refresh ...), or SVG's scripting elements;
- any URL attribute with a script-capable scheme (javascript:, vbscript:, data:text/html ...);
- any attribute that loads or submits (src, srcset, action, poster ...) to another origin;
- CSS that can run code or load from elsewhere (expression(), behavior, -moz-binding, url()).
"""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

EMBEDDING_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "isindex"}
SVG_ACTIVE_ELEMENTS = {"foreignobject", "animate", "set", "handler", "listener", "use", "animatemotion"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "cite",
    "codebase",
    "lowsrc",
    "dynsrc",
    "ping",
    "xlink:href",
    "manifest",
    "icon",
    "longdesc",
}
LOADING_ATTRIBUTES = URL_ATTRIBUTES - {"href", "cite", "longdesc"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:text/", "data:application/", "data:image/svg")
DANGEROUS_CSS = re.compile(r"expression\s*\(|javascript:|behavior\s*:|-moz-binding|url\s*\(|@import", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def _compact(value):
    return _INVISIBLE.sub("", value or "").lower()


class LiveMarkupFinder(HTMLParser):
    def __init__(self, host, nonce):
        super().__init__(convert_charrefs=True)
        self.host = host
        self.nonce = nonce
        self.problems = []
        self.svg_depth = 0
        self.open_script = None
        self.script_text = []
        self.open_style = False
        self.style_text = []

    def problem(self, tag, attrs, why):
        shown = " ".join(f'{name}="{value}"' for name, value in attrs)
        self.problems.append(f"<{tag} {shown}>: {why}")

    def same_origin(self, url):
        parts = urlsplit(url.strip())
        if parts.scheme == "" and parts.netloc == "":
            return True
        return parts.scheme in ("http", "https") and parts.netloc == self.host

    def handle_starttag(self, tag, attrs):
        self.check(tag, attrs)
        if tag == "svg":
            self.svg_depth += 1
        if tag == "script":
            self.open_script = attrs
            self.script_text = []
        if tag == "style":
            self.open_style = True
            self.style_text = []

    def handle_startendtag(self, tag, attrs):
        self.check(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "svg" and self.svg_depth:
            self.svg_depth -= 1
        if tag == "script" and self.open_script is not None:
            self.check_script(self.open_script, "".join(self.script_text))
            self.open_script = None
        if tag == "style" and self.open_style:
            css = "".join(self.style_text)
            if DANGEROUS_CSS.search(css) or "<" in css:
                # Markup inside a style element is how mutation XSS (math/svg namespaces) hides.
                self.problem("style", [], "style element that runs code, loads from elsewhere or hides markup")
            self.open_style = False

    def handle_data(self, data):
        if self.open_script is not None:
            self.script_text.append(data)
        if self.open_style:
            self.style_text.append(data)

    def check(self, tag, attrs):
        values = dict(attrs)
        if tag in EMBEDDING_ELEMENTS:
            self.problem(tag, attrs, "embedding element")
        if self.svg_depth and tag in SVG_ACTIVE_ELEMENTS and not self.icon_reference(tag, values):
            self.problem(tag, attrs, "active SVG element")
        if tag == "meta" and (values.get("http-equiv") or "").strip().lower() in ("refresh", "set-cookie"):
            self.problem(tag, attrs, "meta http-equiv")
        if tag == "link" and "import" in (values.get("rel") or "").lower():
            self.problem(tag, attrs, "HTML import")
        for name, value in attrs:
            if name.startswith("on"):
                self.problem(tag, attrs, f"event handler {name}")
            if name == "style" and value and DANGEROUS_CSS.search(value):
                self.problem(tag, attrs, "style attribute that runs code or loads from elsewhere")
            if name == "srcdoc":
                self.problem(tag, attrs, "srcdoc")
            if name in URL_ATTRIBUTES and value:
                urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
                for url in urls:
                    if any(scheme in _compact(url) for scheme in SCRIPT_SCHEMES):
                        self.problem(tag, attrs, f"script-capable URL in {name}")
                    elif name in LOADING_ATTRIBUTES and not self.same_origin(url):
                        self.problem(tag, attrs, f"{name} loads from another origin")
        if tag == "script" and values.get("src"):
            self.check_script(attrs, "")

    @staticmethod
    def icon_reference(tag, values):
        """<use href="#icon"> shows a symbol of the same page (the admin's theme icons)."""
        href = values.get("href") or values.get("xlink:href") or ""
        return tag == "use" and href.startswith("#")

    def check_script(self, attrs, text):
        values = dict(attrs)
        src = values.get("src")
        if src:
            parts = urlsplit(src)
            static_path = parts.path.removeprefix(settings.STATIC_URL)
            if self.same_origin(src) and parts.path.startswith(settings.STATIC_URL) and finders.find(static_path):
                return
            if self.same_origin(src) and parts.path.startswith("/admin/jsi18n/"):
                return
            self.problem("script", attrs, "script the site did not put there")
            return
        if self.nonce and values.get("nonce") == self.nonce:
            return
        if (values.get("type") or "").lower() == "application/ld+json":
            try:
                json.loads(text)
            except ValueError:
                self.problem("script", attrs, "JSON-LD block that is not JSON: its content was broken into")
            return
        self.problem("script", attrs, "inline script without this response's nonce")


def csp_nonce(response):
    match = re.search(r"'nonce-([^']+)'", response.get("Content-Security-Policy", ""))
    return match.group(1) if match else None


def live_markup(response, host="testserver"):
    """The problems found in an HTML response; an empty list for a clean page."""
    finder = LiveMarkupFinder(host, csp_nonce(response))
    finder.feed(response.content.decode(response.charset or "utf-8"))
    finder.close()
    return finder.problems


def live_markup_in_fragment(html, host="testserver"):
    finder = LiveMarkupFinder(host, None)
    finder.feed(html)
    finder.close()
    return finder.problems


def load_payloads():
    from pathlib import Path

    text = (Path(__file__).parent / "xss_payloads.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]
