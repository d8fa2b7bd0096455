"""The API's documentation works in a browser under the site's CSP, from the site's own files."""

import pytest

from tests.browser.conftest import csp_violations, record_csp_violations
from tests.factories import ArticleFactory

pytestmark = pytest.mark.browser


def test_the_api_documentation_runs_under_the_csp_with_no_other_host(page):
    ArticleFactory()
    record_csp_violations(page.context)
    page.goto("/api/v1/docs/", wait_until="networkidle")
    # Swagger UI fetched the OpenAPI document and drew an operation for every endpoint.
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/articles/" in path for path in paths), paths
    assert csp_violations(page) == []
    # Requests to another host and console errors fail the test through the page's watch.
