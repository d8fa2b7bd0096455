"""Drafts and scheduled articles are read on the site only by those who may view or change articles
in the admin; being staff for another part of the admin is not enough."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from core.groups import EDITORS, ROSTER_STAFF
from news.models import Article
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = "<p>尚未公开的正文</p>"


def user_with(*codenames, **kwargs):
    user = UserFactory(**kwargs)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def unpublished():
    return [
        ArticleFactory(status=Article.Status.DRAFT, published_at=None, body_zh_hans=BODY),
        ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=2), body_zh_hans=BODY),
    ]


@pytest.mark.parametrize(
    "user",
    [
        lambda: UserFactory(),
        lambda: UserFactory(groups=[ROSTER_STAFF]),
        lambda: user_with("view_organisation", "change_office"),
    ],
    ids=["staff without permissions", "roster staff", "staff of other models"],
)
def test_staff_who_may_not_view_articles_cannot_read_drafts(user):
    client = Client()
    client.force_login(user())
    for article in unpublished():
        assert client.get(f"/admin/news/article/{article.pk}/change/").status_code == 403
        response = client.get(article.get_absolute_url())
        assert response.status_code == 404
        assert "尚未公开的正文" not in response.content.decode()


@pytest.mark.parametrize(
    "user",
    [
        lambda: user_with("view_article", is_staff=False),
        lambda: user_with("change_article"),
        lambda: UserFactory(groups=[EDITORS]),
        lambda: UserFactory(is_superuser=True),
    ],
    ids=["may view articles", "may change articles", "editor", "superuser"],
)
def test_those_who_may_view_or_change_articles_preview_them_uncached(user, page_cache):
    client = Client()
    client.force_login(user())
    for article in unpublished():
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert "尚未公开的正文" in response.content.decode()
        assert "X-Page-Cache" not in response
        assert "no-store" in response["Cache-Control"]
