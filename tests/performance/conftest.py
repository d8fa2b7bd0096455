import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request to /en/ leaves English active in the thread."""
    with translation.override("zh-hans"):
        yield
