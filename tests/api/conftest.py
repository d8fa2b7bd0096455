import pytest


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    """The rate limit is tested on its own (test_http.py); other tests make many requests."""
    settings.API_RATE_LIMIT = 0


def get_json(client, url, status=200, **kwargs):
    """The response and its JSON body; fails unless the status is as expected."""
    response = client.get(url, **kwargs)
    assert response.status_code == status, f"{url}: {response.status_code} {response.content[:300]!r}"
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response, response.json()
