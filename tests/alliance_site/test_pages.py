import re

import pytest

pytestmark = pytest.mark.django_db


def header_search_value(response):
    match = re.search(r'<input id="site-search-q"[^>]*value="([^"]*)"', response.content.decode())
    return match.group(1)


def test_the_header_search_box_repeats_a_site_search_only(client, demo):
    assert header_search_value(client.get("/search/?q=吴中")) == "吴中"
    assert header_search_value(client.get("/members/?q=华为")) == "", "the directory has a search box of its own"
    assert header_search_value(client.get("/news/?q=考评")) == ""
