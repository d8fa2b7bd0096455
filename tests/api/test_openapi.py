"""The OpenAPI document is valid OpenAPI 3.1, and the API keeps to it: schemathesis generates
requests from the document (a bounded number per operation) and checks every answer against it."""

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.endpoints import api
from tests.api.conftest import get_json
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    AttachmentFactory,
    CommitteeSeatFactory,
    CouncilSeatFactory,
    EventFactory,
    OfficeFactory,
    OrganisationFactory,
    PersonFactory,
    RegistrationFactory,
    image_file,
)

# Requests the document allows (positive data), a bounded number per operation, the same each run.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()
schema.config.generation.update(modes=["positive"], max_examples=30, deterministic=True)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_the_document_is_valid_openapi_3_1(client, db):
    document = get_json(client, "/api/v1/openapi.json")[1]
    assert document["openapi"].startswith("3.1")
    validate(document)
    assert set(document["paths"]) >= {
        "/api/v1/articles/",
        "/api/v1/articles/{article_id}/",
        "/api/v1/categories/",
        "/api/v1/offices/",
        "/api/v1/offices/{slug}/",
        "/api/v1/organisations/",
        "/api/v1/organisations/{slug}/",
        "/api/v1/events/",
        "/api/v1/events/{event_id}/",
    }


def test_the_validator_refuses_a_broken_document(client, db):
    document = get_json(client, "/api/v1/openapi.json")[1]
    document["paths"]["/api/v1/articles/"]["get"]["responses"]["200"] = {"content": "nothing"}
    with pytest.raises(OpenAPIValidationError):
        validate(document)


def test_the_documentation_is_served_by_the_site_under_its_csp(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "cdn" not in response.content.decode().lower()
    for asset in ("swagger-ui-bundle", "swagger-ui-init", "swagger-ui.css"):
        assert f"/static/ninja/{asset}" in response.content.decode(), asset


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests through the WSGI application keep the test's database connection (and its
    transaction) open, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def content(db, wsgi_in_test_transaction):
    office = OfficeFactory(slug="wuzhong")
    organisation = OrganisationFactory(slug="boyuan")
    CouncilSeatFactory(office=office, organisation=organisation, representative=PersonFactory())
    CommitteeSeatFactory(committee__office=office, organisation=organisation)
    article = ArticleFactory(pk=1)
    article.offices.add(office)
    article.organisations.add(organisation)
    article.people.add(PersonFactory(organisation=None))
    ArticlePhotoFactory(article=article, image=image_file(size=(40, 30)))
    AttachmentFactory(article=article)
    ArticleFactory.create_batch(3)
    event = EventFactory(pk=1, capacity=10)
    event.offices.add(office)
    RegistrationFactory(event=event)
    EventFactory(starts_at=timezone.now() - datetime.timedelta(days=3))


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_keeps_to_the_document(case, content):
    """No 5xx, no undocumented status or content type, every body valid against its schema."""
    case.call_and_validate(checks=CHECKS)
