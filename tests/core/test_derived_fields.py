"""Derived fields are computed in one step per model, and a partial save keeps them consistent."""

import pytest
from django.apps import apps
from django.db import models

from compliance.models import PrivacyPolicy, SiteSettings
from core.models import DerivedFieldsModel
from core.search import filter_by_search
from events.models import Event
from members.models import Organisation, Person
from news.models import Article, ArticlePhoto, Attachment, Category
from offices.models import Committee, Office
from tests import factories

pytestmark = pytest.mark.django_db

FACTORIES = {
    Organisation: factories.OrganisationFactory,
    Person: factories.PersonFactory,
    Office: factories.OfficeFactory,
    Committee: factories.CommitteeFactory,
    Category: factories.CategoryFactory,
    Article: factories.ArticleFactory,
    ArticlePhoto: factories.ArticlePhotoFactory,
    Attachment: factories.AttachmentFactory,
    PrivacyPolicy: factories.PrivacyPolicyFactory,
    SiteSettings: factories.SiteSettingsFactory,
    Event: factories.EventFactory,
}


def source_fields(model):
    """The text and choice fields an editor sets: every one may feed a derived field."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and isinstance(field, models.CharField | models.TextField)
    ]


def changed(field, value):
    if field.choices:
        return next(choice for choice, _ in field.flatchoices if choice != value)
    if isinstance(field, models.SlugField):
        return "a-new-slug"
    if isinstance(field, models.URLField):
        return "https://example.org/new"
    text = f"新{value or '苏州工业园区'}"
    return text[: field.max_length] if field.max_length else text


CASES = [(model, field.attname) for model in FACTORIES for field in source_fields(model)]


def test_every_model_with_derived_fields_is_covered():
    derived = {model for model in apps.get_models() if issubclass(model, DerivedFieldsModel)}
    assert derived == set(FACTORIES)


@pytest.mark.parametrize(("model", "field_name"), CASES, ids=[f"{m.__name__}.{f}" for m, f in CASES])
def test_saving_any_one_source_field_leaves_every_derived_field_consistent(model, field_name):
    instance = FACTORIES[model]()
    edited = model._base_manager.get(pk=instance.pk)
    field = model._meta.get_field(field_name)
    setattr(edited, field_name, changed(field, getattr(edited, field_name)))
    edited.save(update_fields=[field_name])

    stored = model._base_manager.get(pk=instance.pk)
    expected = model._base_manager.get(pk=instance.pk)
    derived = expected.derive()
    assert derived, f"{model.__name__} derives nothing"
    assert getattr(stored, field_name) == getattr(edited, field_name)
    for name in derived:
        assert getattr(stored, name) == getattr(expected, name), f"{name} is stale after saving {field_name}"


def test_a_renamed_office_is_found_by_its_new_name():
    office = factories.OfficeFactory(name_zh_hans="吴中区办事处")
    office.name_zh_hans = "相城区办事处"
    office.save(update_fields=["name_zh_hans"])
    assert list(filter_by_search(Office.objects.all(), "相城")) == [office]


def test_bulk_writes_use_the_same_step():
    organisations = [
        Organisation(name_zh_hans="苏州浪潮云计算有限公司"),
        Organisation(name_zh_hans="苏州浪潮云计算有限公司"),
    ]
    taken = set()
    for organisation in organisations:
        organisation.derive(taken_slugs=taken)
    Organisation.objects.bulk_create(organisations)
    saved = Organisation(name_zh_hans="苏州浪潮云计算有限公司")
    saved.save()
    assert [o.slug for o in Organisation.objects.order_by("pk")] == [
        "su-zhou-lang-chao-yun-ji-suan-you-xian-gong-si",
        "su-zhou-lang-chao-yun-ji-suan-you-xian-gong-si-2",
        "su-zhou-lang-chao-yun-ji-suan-you-xian-gong-si-3",
    ]
    assert {o.search_document for o in Organisation.objects.all()} == {saved.search_document}
