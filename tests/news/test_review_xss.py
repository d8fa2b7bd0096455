"""The XSS corpus as review comments: shown on the review page and in the history as text, never markup."""

import pytest

from core.groups import EDITORS, REVIEWERS
from news import services
from news.models import Article
from tests.factories import ArticleFactory, UserFactory
from tests.news.pages import parse_html
from tests.security.markup import live_markup, load_payloads

pytestmark = pytest.mark.django_db
PAYLOADS = load_payloads()


def test_every_payload_as_a_review_comment_is_shown_as_the_text_typed(client):
    writer, reviewer = UserFactory(groups=[EDITORS]), UserFactory(groups=[REVIEWERS])
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=writer)
    for payload in PAYLOADS:
        services.submit_for_review(article, user=writer, comment=payload)
        services.send_back(article, user=reviewer, comment=payload)
    client.force_login(reviewer)
    for url in (f"/admin/news/article/{article.pk}/review/", f"/admin/news/article/{article.pk}/history/"):
        response = client.get(url)
        assert response.status_code == 200
        assert live_markup(response) == [], url
        shown = [
            cell.get_text("\n") for cell in parse_html(response.content).select(".review-steps tbody td:nth-of-type(4)")
        ]
        assert shown == [payload.strip() for payload in PAYLOADS for _ in range(2)], url
