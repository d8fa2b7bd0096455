"""Structural check of a rendered page for markup an attacker could have put there.

The page is parsed with BeautifulSoup's "html.parser" (entities in attribute values decoded the
way a browser does, every value of an attribute given twice kept) and every element and attribute
is judged by rules, so a payload that
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
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
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


def parse(markup):
    """The tree of `markup` with attribute values as written: a string, or a list of the values of
    an attribute given more than once (a browser uses the first; every one is checked)."""

    def keep_every_value(attrs, name, value):
        attrs[name] = [*attrs[name], value] if isinstance(attrs[name], list) else [attrs[name], value]

    return BeautifulSoup(markup, "html.parser", multi_valued_attributes=None, on_duplicate_attribute=keep_every_value)


def attribute_pairs(element):
    """[(name, value)] of the element's attributes, one pair per value written."""
    return [
        (name, value)
        for name, values in element.attrs.items()
        for value in (values if isinstance(values, list) else [values])
    ]


class LiveMarkupFinder:
    """The problems of a parsed document, given the page's host and its response's CSP nonce."""

    def __init__(self, host, nonce):
        self.host = host
        self.nonce = nonce
        self.problems = []

    def problem(self, tag, attrs, why):
        shown = " ".join(f'{name}="{value}"' for name, value in attrs)
        self.problems.append(f"<{tag} {shown}>: {why}")

    def same_origin(self, url):
        parts = urlsplit(url.strip())
        if parts.scheme == "" and parts.netloc == "":
            return True
        return parts.scheme in ("http", "https") and parts.netloc == self.host

    def find(self, document):
        """Judge every element of `document`; returns the list of problems."""
        for element in document.find_all(True):
            attrs = attribute_pairs(element)
            self.check(element, attrs)
            if element.name == "script" and not element.get("src"):
                self.check_script(attrs, element.get_text())
            if element.name == "style":
                css = element.get_text()
                if DANGEROUS_CSS.search(css) or "<" in css:
                    # Markup inside a style element is how mutation XSS (math/svg namespaces) hides.
                    self.problem("style", [], "style element that runs code, loads from elsewhere or hides markup")
        return self.problems

    def check(self, element, attrs):
        tag = element.name
        values = dict(attrs)
        if tag in EMBEDDING_ELEMENTS:
            self.problem(tag, attrs, "embedding element")
        if tag in SVG_ACTIVE_ELEMENTS and element.find_parent("svg") and not self.icon_reference(tag, values):
            self.problem(tag, attrs, "active SVG element")
        if tag == "meta" and any(
            value.strip().lower() in ("refresh", "set-cookie") for name, value in attrs if name == "http-equiv"
        ):
            self.problem(tag, attrs, "meta http-equiv")
        if tag == "link" and any("import" in value.lower() for name, value in attrs if name == "rel"):
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
        if tag == "script":
            for name, src in attrs:
                if name == "src" and src:
                    self.check_script_source(attrs, src)

    @staticmethod
    def icon_reference(tag, values):
        """<use href="#icon"> shows a symbol of the same page (the admin's theme icons)."""
        href = values.get("href") or values.get("xlink:href") or ""
        return tag == "use" and href.startswith("#")

    def check_script_source(self, attrs, src):
        parts = urlsplit(src)
        static_path = parts.path.removeprefix(settings.STATIC_URL)
        if self.same_origin(src) and parts.path.startswith(settings.STATIC_URL) and finders.find(static_path):
            return
        if self.same_origin(src) and parts.path.startswith("/admin/jsi18n/"):
            return
        self.problem("script", attrs, "script the site did not put there")

    def check_script(self, attrs, text):
        """An inline script is live unless it has this response's nonce or is a JSON-LD block of JSON."""
        values = dict(attrs)
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
    document = parse(response.content.decode(response.charset or "utf-8"))
    return LiveMarkupFinder(host, csp_nonce(response)).find(document)


def live_markup_in_fragment(html, host="testserver"):
    return LiveMarkupFinder(host, None).find(parse(html))


def load_payloads():
    from pathlib import Path

    text = (Path(__file__).parent / "xss_payloads.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]
