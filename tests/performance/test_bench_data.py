"""generate_bench_data: rows as save() would store them, the same rows for the same seed."""

import datetime
import hashlib
import io

import pytest
from django.core.files.images import get_image_dimensions
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from modeltranslation.translator import translator

from bench.data import BenchData
from bench.management.commands.generate_bench_data import Command as GenerateBenchData
from members.models import AlliancePosition, Organisation, Person
from news.models import Article, ArticlePhoto, Attachment, Category
from offices.models import Committee, CommitteeSeat, CouncilSeat, Office, OfficeMembership

pytestmark = pytest.mark.django_db

SAVED_MODELS = [Category, Organisation, Person, Office, Committee, Article, ArticlePhoto, Attachment]
ALL_MODELS = [*SAVED_MODELS, AlliancePosition, CouncilSeat, CommitteeSeat, OfficeMembership]
TINY_DATA_SET = ["--articles", "5", "--organisations", "10", "--offices", "1", "--images", "1"]
# Where save() derives a slug only when it is empty; emptied here so that it is derived again,
# like the Traditional Chinese fields.
DERIVED_SLUGS = {Organisation, Person, Office, Committee, Article}


def generate(**sizes):
    sizes = {"articles": 80, "organisations": 60, "offices": 3, "seed": 7, "images": 1} | sizes
    data = BenchData(**sizes, progress=False, log=lambda message: None)
    data.generate(replace=True)
    return data


def stored(instance):
    """The row as the database holds it, every column."""
    table = connection.ops.quote_name(instance._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [instance.pk])  # noqa: S608
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def forget_derived_texts(instance):
    """Empty the slug and Traditional Chinese fields that derive() only fills when empty, so that
    they are derived anew (a Traditional field left empty by an editor is None, as in a new row)."""
    if type(instance) in DERIVED_SLUGS:
        instance.slug = ""
    for name in translator.get_options_for_model(type(instance)).all_fields:
        setattr(instance, f"{name}_zh_hant", None)


def test_generated_rows_are_what_save_would_store():
    generate()
    for model in SAVED_MODELS:
        instances = list(model.objects.order_by("pk"))
        assert instances, model
        for instance in instances:
            before = stored(instance)
            forget_derived_texts(instance)
            instance.save()
            after = stored(instance)
            changed = {name for name in before if before[name] != after[name]} - {"updated_at", "version"}
            assert not changed, (model.__name__, instance.pk, {name: (before[name], after[name]) for name in changed})


def sample(model, size=20):
    """Rows spread over the whole table, at most `size` of them."""
    pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
    return list(model.objects.filter(pk__in=pks[:: max(1, len(pks) // size)]).order_by("pk"))


def test_derived_fields_are_a_fresh_derive_of_the_stored_row():
    generate()
    with_photos = list(Article.objects.filter(photos__isnull=False).distinct().order_by("pk")[:10])
    assert with_photos
    for model in SAVED_MODELS:
        instances = sample(model) + (with_photos if model is Article else [])
        assert instances, model
        for instance in instances:
            before = {field.attname: field.value_from_object(instance) for field in model._meta.concrete_fields}
            forget_derived_texts(instance)
            derived = instance.derive()
            assert derived, model
            changed = {name: (before[name], getattr(instance, name)) for name in derived}
            changed = {name: values for name, values in changed.items() if values[0] != values[1]}
            assert not changed, (model.__name__, instance.pk, changed)


def test_article_photos_in_the_text_are_pictures_in_the_stored_body():
    generate()
    articles = Article.objects.filter(photos__isnull=False).distinct()
    assert articles.exists()
    for article in articles:
        first_photo = article.photos.order_by("order", "pk").first()
        for language in ("zh_hans", "en", "zh_hant"):
            body, body_html = getattr(article, f"body_{language}"), getattr(article, f"body_html_{language}")
            assert f'data-file="{first_photo.pk}"' in body
            assert "data-file" not in body_html and body_html.count("<picture") == 1
            assert f'alt="{getattr(first_photo, f"alt_text_{language}")}"' in body_html
            assert body_html.split("<figure>")[0] == body.split("<figure>")[0], "the lead comes first"
        assert article.body_html == article.body_html_zh_hans
    without_photos = Article.objects.exclude(photos__isnull=False).first()
    assert without_photos.body_html_en == without_photos.body_en != ""


def test_images_have_their_real_sizes_and_renditions():
    generate()
    for instance, field in [(a, "cover") for a in Article.objects.exclude(cover="")[:3]] + [
        (p, "image") for p in ArticlePhoto.objects.all()[:3]
    ]:
        file = getattr(instance, field)
        with default_storage.open(file.name) as image:
            assert get_image_dimensions(image) == (
                getattr(instance, f"{field}_width"),
                getattr(instance, f"{field}_height"),
            )
        assert default_storage.exists(getattr(instance, f"{field}_webp_480").name)


def digest():
    """Of every generated row but the times it was written."""
    hashes = hashlib.sha256()
    for model in [*ALL_MODELS, Article.offices.through, Article.organisations.through, Article.people.through]:
        for instance in model.objects.order_by("pk"):
            row = {name: value for name, value in stored(instance).items() if name not in {"created_at", "updated_at"}}
            hashes.update(repr(sorted(row.items())).encode())
    return hashes.hexdigest()


def test_a_seed_gives_the_same_rows_with_the_same_ids():
    now = timezone.now()
    generate(now=now)
    first = digest()
    generate(now=now)
    assert digest() == first
    generate(seed=8, now=now)
    assert digest() != first


def test_a_realistic_mix_of_content():
    data = generate(articles=400, organisations=200, offices=12)
    articles = Article.objects.all()
    assert articles.count() == 400
    assert Article.objects.published().count() > 380
    assert articles.filter(status=Article.Status.DRAFT).exists()
    assert articles.filter(published_at__gt=timezone.now() + datetime.timedelta(hours=12)).exists(), "scheduled"
    assert Article.objects.pinned_now().count() == 3
    bodies = [len(a.body_zh_hans) for a in articles[:50]]
    assert 1400 < sum(bodies) / len(bodies) < 2200
    assert ArticlePhoto.objects.exists() and Attachment.objects.exists()
    assert Article.offices.through.objects.exists() and Article.organisations.through.objects.exists()
    assert Office.objects.count() == 12
    assert CouncilSeat.objects.current().count() == 12 * 16
    assert OfficeMembership.objects.count() >= 12 * 20
    assert Organisation.objects.members().count() > 150
    assert len(data.organisations) == 200


def test_the_command_refuses_a_database_with_content_unless_asked_to_replace_it():
    Category.objects.create(name_zh_hans="已有栏目", slug="existing")
    with pytest.raises(CommandError, match="--replace"):
        call_command(GenerateBenchData(), *TINY_DATA_SET, verbosity=0)
    assert Category.objects.filter(slug="existing").exists()
    out = io.StringIO()
    call_command(GenerateBenchData(), *TINY_DATA_SET, "--replace", stdout=out)
    assert not Category.objects.filter(slug="existing").exists()
    assert "Generated 5 articles, 10 organisations and 1 offices" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_articles_made_by_parallel_processes_are_the_same_rows():
    if connection.vendor != "postgresql":
        pytest.skip("articles are made by parallel processes on PostgreSQL only")
    now = timezone.now()
    migrated = index_definitions()
    generate(articles=250, batch=60, jobs=1, now=now)
    serial = digest()
    assert index_definitions() == migrated, "every index dropped for the load is built again, as migrations made it"
    generate(articles=250, batch=60, jobs=2, now=now)
    assert digest() == serial
    assert index_definitions() == migrated


def index_definitions():
    """{index name: definition} of the tables generate_bench_data loads in bulk (PostgreSQL)."""
    tables = [model._meta.db_table for model in BenchData.article_models()]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [tables])
        found = dict(cursor.fetchall())
    assert "news_article_search_gin" in found
    return found
