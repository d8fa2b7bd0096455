"""The API's shortcut to article addresses gives each article's own address, in every language."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from api.endpoints import article_path
from tests.factories import ArticleFactory


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en", "zh-hant"])
def test_article_paths_are_the_articles_own_addresses(language):
    request = RequestFactory().get("/api/v1/articles/")
    with translation.override(language):
        for article in (ArticleFactory(), ArticleFactory(slug="lian-meng-1")):
            assert article_path(request, article) == article.get_absolute_url()
