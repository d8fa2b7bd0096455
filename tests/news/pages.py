"""Pages as a browser reads them: elements with attributes, not substrings; addresses per language."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from xml.etree import ElementTree

from django.conf import settings
from django.utils import translation

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)  # Elements and strings

    def iter(self, tag=None):
        """This element and every element below it, in document order."""
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter(tag)

    def find_all(self, tag=None, **attrs):
        """Elements with these attributes: class_="card" matches one of the classes, rel="prev" the value."""
        wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
        return [element for element in self.iter(tag) if all(element.has(n, v) for n, v in wanted.items())]

    def has(self, name, value):
        if name == "class":
            return value in self.attrs.get("class", "").split()
        return self.attrs.get(name) == value

    def find(self, tag=None, **attrs):
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    @property
    def text(self):
        return "".join(child if isinstance(child, str) else child.text for child in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(markup):
    if isinstance(markup, bytes):
        markup = markup.decode()
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


def body_blocks(markup):
    """An article body as [("p", text) | ("caption", text) | ("photo", data-file)], in order."""
    blocks = []
    for element in parse_html(markup).iter():
        if element.tag == "p":
            blocks.append(("p", element.text))
        elif element.tag == "figcaption":
            blocks.append(("caption", element.text))
        elif element.tag == "img" and element.attrs.get("data-file"):
            blocks.append(("photo", element.attrs["data-file"]))
    return blocks


def url_of(instance, language=settings.LANGUAGE_CODE):
    """The instance's address in a language, whatever language the last request switched to."""
    with translation.override(language):
        return instance.get_absolute_url()


def get_page(client, url, status=200):
    """The response and its parsed HTML; fails unless the status is as expected."""
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    return response, parse_html(response.content)


def parse_xml(content):
    """A feed or sitemap of this site; parsing fails on anything that is not well-formed XML."""
    return ElementTree.fromstring(content)  # noqa: S314 - the site's own output


def form_data(document, form_id):
    """What a browser submits for a form on the page, unchanged: {name: [values]}."""
    form = document.find("form", id=form_id)
    assert form is not None, f"no form #{form_id}"
    data = {}
    for element in form.iter():
        name = element.attrs.get("name")
        if not name:
            continue
        if element.tag == "input":
            kind = element.attrs.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                continue
            if kind in {"checkbox", "radio"} and "checked" not in element.attrs:
                continue
            values = [element.attrs.get("value", "on" if kind in {"checkbox", "radio"} else "")]
        elif element.tag == "textarea":
            values = [element.text.removeprefix("\n")]  # the newline after <textarea> is not content
        elif element.tag == "select":
            values = [
                option.attrs.get("value", option.text)
                for option in element.iter("option")
                if "selected" in option.attrs
            ]
        else:
            continue
        data.setdefault(name, []).extend(values)
    return data
