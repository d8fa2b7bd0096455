import pytest

from news.models import Article


@pytest.fixture
def seed_article(demo):
    """The alliance's Wuzhong founding article, as load_demo creates it."""
    return Article.objects.get(title_zh_hans__startswith="吴中区办事处成立大会")
