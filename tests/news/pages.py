"""Pages as a browser reads them: elements with attributes, not substrings; addresses per language.

HTML is parsed with BeautifulSoup ("html.parser"): `find`/`find_all` by tag and attributes,
`class_="card"` matching one of an element's classes, `attrs={"name": ...}` for the name attribute.
"""

from xml.etree import ElementTree

from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import translation

NOT_SUBMITTED_INPUTS = {"submit", "button", "image", "reset", "file"}


def parse_html(markup):
    """The document tree of `markup` (str, or UTF-8 bytes as a response's content)."""
    return BeautifulSoup(markup, "html.parser")


def body_blocks(markup):
    """An article body as [("p", text) | ("caption", text) | ("photo", data-file)], in order."""
    blocks = []
    for element in parse_html(markup).find_all(["p", "figcaption", "img"]):
        if element.name == "p":
            blocks.append(("p", element.text))
        elif element.name == "figcaption":
            blocks.append(("caption", element.text))
        elif element.get("data-file"):
            blocks.append(("photo", element["data-file"]))
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
    """What a browser submits for the form with id `form_id` on the page, unchanged.

    Follows the HTML standard's form data set: unticked boxes, buttons and file inputs send
    nothing, an option without a value sends its text, a textarea loses the newline after its
    start tag. Returns {name: [values]}.
    """
    form = document.find("form", id=form_id)
    assert form is not None, f"no form #{form_id}"
    data = {}
    for element in form.find_all(["input", "textarea", "select"], attrs={"name": True}):
        if not element["name"]:
            continue
        if element.name == "input":
            kind = element.get("type", "text").lower()
            if kind in NOT_SUBMITTED_INPUTS:
                continue
            if kind in {"checkbox", "radio"} and not element.has_attr("checked"):
                continue
            values = [element.get("value", "on" if kind in {"checkbox", "radio"} else "")]
        elif element.name == "textarea":
            values = [element.text.removeprefix("\n")]
        else:
            values = [option.get("value", option.text) for option in element.find_all("option", selected=True)]
        data.setdefault(element["name"], []).extend(values)
    return data
