"""axe-core, as shipped by axe-playwright-python, finds no accessibility violations on the public pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from membership.models import MembershipApplication, Stage
from membership.services import status_token
from news.models import Article
from tests.factories import ArticleFactory, image_file

pytestmark = pytest.mark.browser

LANGUAGE_PREFIXES = {"zh-hans": "", "en": "/en", "zh-hant": "/zh-hant"}


def public_pages():
    """The pages every visitor meets, in the states the demo content puts them in."""
    article = Article.objects.get(title_zh_hans__startswith="吴中区办事处成立大会")
    office = article.offices.get()
    organisation = office.council_seats.get(role="president").organisation
    return {
        "home": "/",
        "news list": "/news/",
        "category": article.category.get_absolute_url(),
        "article": article.get_absolute_url(),
        "offices": "/offices/",
        "office": office.get_absolute_url(),
        "directory": "/members/",
        "organisation": organisation.get_absolute_url(),
        "search": "/search/?q=吴中",
        "search without results": "/search/?q=没有这样的内容",
        "membership application form": "/members/apply/",
        "membership application returned for information": reverse(
            "membership:application-status",
            kwargs={"token": status_token(MembershipApplication.objects.get(stage=Stage.RETURNED))},
        ),
        "member-only documents": "/members/documents/",
        "member portal sign-in": "/portal/sign-in/",
    }


def describe(violation, language, path):
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
    return f"{language} {path}: {violation['id']} ({violation['impact']}) {violation['help']} at {targets}"


def test_public_pages_have_no_accessibility_violations_in_any_language(page, demo):
    # A pinned article with a cover, so that the pinned badge and card images are checked too.
    ArticleFactory(is_pinned=True, cover=image_file("cover.jpg"), cover_alt_zh_hans="会场", cover_alt_en="The hall")
    axe = Axe()
    violations = []
    for language, prefix in LANGUAGE_PREFIXES.items():
        for path in public_pages().values():
            response = page.goto(prefix + path)
            assert response.status == 200, f"{prefix}{path} answered {response.status}"
            result = axe.run(page)
            violations += [describe(v, language, prefix + path) for v in result.response["violations"]]
    assert not violations, "\n".join(violations)
