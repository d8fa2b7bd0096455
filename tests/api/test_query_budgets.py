"""Every endpoint runs a fixed number of queries: the same for 5 rows as for 500."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.cache import content_version
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    AttachmentFactory,
    CategoryFactory,
    CommitteeFactory,
    CommitteeSeatFactory,
    CouncilSeatFactory,
    OfficeFactory,
    OrganisationFactory,
    PersonFactory,
    image_file,
)

# At most this many queries per endpoint, whatever the number of rows. Lists: the rows, and their
# count (once per content version). The article: it, its photos, attachments, offices,
# organisations, people. The office: it, its council, its committees, their seats.
BUDGETS = {
    "categories": 1,
    "articles": 2,
    "articles, filtered": 2,
    "articles, search": 2,
    "article": 6,
    "offices": 1,
    "office": 4,
    "organisations": 2,
    "organisations, by role": 2,
    "organisation": 4,
}


def add_rows(count, category, office, committee, article):
    organisations = OrganisationFactory.create_batch(count)
    for organisation in organisations:
        CouncilSeatFactory(office=office, organisation=organisation)
        CommitteeSeatFactory(committee=committee, organisation=organisation)
    for new in ArticleFactory.create_batch(count, category=category, title_zh_hans="吴中区工业互联网新闻"):
        new.offices.add(office)
    article.organisations.add(*organisations[:count])
    article.people.add(*PersonFactory.create_batch(count))


def measure(client, article, organisation):
    urls = {
        "categories": "/api/v1/categories/",
        "articles": "/api/v1/articles/",
        "articles, filtered": "/api/v1/articles/?office=wuzhong&category=industry-news&since=2000-01-01",
        "articles, search": "/api/v1/articles/?q=吴中",
        "article": f"/api/v1/articles/{article.pk}/?lang=en",
        "offices": "/api/v1/offices/",
        "office": "/api/v1/offices/wuzhong/",
        "organisations": "/api/v1/organisations/?lang=en",
        "organisations, by role": "/api/v1/organisations/?role=director&office=wuzhong",
        "organisation": f"/api/v1/organisations/{organisation.slug}/",
    }
    counts = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = len(queries)
    return counts


@pytest.mark.django_db
def test_every_endpoint_runs_the_same_queries_for_5_and_for_500_rows(client, django_capture_on_commit_callbacks):
    category, office = CategoryFactory(), OfficeFactory(slug="wuzhong")
    committee = CommitteeFactory(office=office)
    article = ArticleFactory(category=category, title_zh_hans="吴中区办事处成立")
    article.offices.add(office)
    for order in range(2):
        ArticlePhotoFactory(article=article, image=image_file(size=(40, 30)), order=order)
    AttachmentFactory.create_batch(2, article=article)
    organisation = OrganisationFactory()
    CouncilSeatFactory(office=office, organisation=organisation, representative=PersonFactory())
    CommitteeSeatFactory(committee=committee, organisation=organisation)

    add_rows(4, category, office, committee, article)
    content_version()
    small = measure(client, article, organisation)
    with django_capture_on_commit_callbacks(execute=True):
        add_rows(495, category, office, committee, article)
    large = measure(client, article, organisation)

    assert large == small
    over = {name: (count, BUDGETS[name]) for name, count in large.items() if count > BUDGETS[name]}
    assert not over, f"over budget (queries, budget): {over}"
