"""Deterministic benchmark content, fast: `manage.py generate_bench_data`.

Instances are made from their source fields only; each model's `derive()` sets the rest (slugs,
pinyin sort keys, Traditional Chinese, summaries, search documents, bodies as pages show them,
file sizes), as `save()` does, and the rows are written in bulk (COPY on PostgreSQL, bulk_create
elsewhere). tests/performance/test_bench_data.py re-saves and re-derives generated rows and finds
nothing changed.

The same seed on the same day gives the same rows with the same ids; dates are relative to
today, so the site looks current.
"""

import datetime
import multiprocessing
import random
import time
from dataclasses import dataclass
from itertools import islice

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.utils import timezone, translation
from django.utils.html import escape
from pypinyin import lazy_pinyin
from tqdm import tqdm

from alliance_site.demo import placeholder_photo
from bench import vocabulary as words
from core.cache import bump_content_version
from core.images import RENDITION_FORMATS, RENDITION_WIDTHS, rendition_name
from members.models import AlliancePosition, Organisation, OrganisationKind, Person, Role
from news.models import Article, ArticlePhoto, ArticleViews, Attachment, Category
from offices.models import Committee, CommitteeSeat, CouncilSeat, Office, OfficeMembership

CONTENT_APPS = ("members", "offices", "news")
BATCH = 2000
BODY_LENGTH = 1500  # characters of text per article body, in each language


class ContentExists(Exception):
    pass


class ProgressBar(tqdm):
    monitor_interval = 0  # no monitor thread: the article batches are made in forked processes


def pinyin_word(text):
    return "".join(lazy_pinyin(text)).capitalize()


def translated(name, zh, en):
    """A translated field's source columns; `derive()` fills the Traditional Chinese one."""
    return {f"{name}_zh_hans": zh, f"{name}_en": en}


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph in both languages, as HTML, with the length of its text."""

    zh: str
    en: str
    length: int
    length_en: int

    @classmethod
    def make(cls, zh, en):
        return cls(f"<p>{escape(zh)}</p>", f"<p>{escape(en)}</p>", len(zh), len(en))


def photo_figure(photo, language):
    """A body's figure showing `photo`, as the editor inserts one (the img refers to the photo by id)."""
    alt, caption = getattr(photo, f"alt_text_{language}"), getattr(photo, f"caption_{language}")
    return (
        f'<figure><img src="{escape(photo.image.url)}" alt="{escape(alt)}" data-file="{photo.pk}">'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


class Table:
    """Instances of one model with the ids given here, written in bulk: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, model):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.last_id = 0

    def new(self, **values):
        """An unsaved instance with the next id and these field values."""
        self.last_id += 1
        return self.model(id=self.last_id, **values)

    def write(self, instances):
        """Insert `instances` as they are: nothing is derived here (call `derive()` first)."""
        if connection.vendor != "postgresql":
            self.model.objects.bulk_create(instances)
            return
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in self.fields)
        copy_rows = f"COPY {quote(self.model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_rows) as copy:
            for instance in instances:
                copy.write_row([field.get_prep_value(field.value_from_object(instance)) for field in self.fields])


class DeferredIndexes:
    """PostgreSQL: the secondary indexes of some tables, dropped before a bulk load and built once after it.

    Building an index over loaded rows is one sort (or, for the GIN search index, one pass over
    the search vectors) instead of an update per row; the search index above all is many times
    faster built once. Only indexes backing no constraint are dropped (primary keys, unique
    constraints and foreign keys stay and check every row); they are created again from their
    own definitions as the catalogue gives them, so they come back exactly as migrations made them.
    Elsewhere this does nothing.
    """

    def __init__(self, models):
        self.tables = [model._meta.db_table for model in models]
        self.definitions = []

    def drop(self):
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
                "ORDER BY 1",
                [self.tables],
            )
            self.definitions = cursor.fetchall()
            for name, _definition in self.definitions:
                cursor.execute(f"DROP INDEX {name}")

    def create(self):
        """Build the dropped indexes; with the memory to sort each in one go (this session only)."""
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in self.definitions:
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")
        self.definitions = []


class BenchData:
    def __init__(
        self,
        articles,
        organisations,
        offices,
        seed=1,
        images=4,
        jobs=1,
        batch=BATCH,
        now=None,
        progress=True,
        log=print,
    ):
        self.sizes = {"articles": articles, "organisations": max(10, organisations), "offices": max(1, offices)}
        self.image_count = images
        self.seed = seed
        self.jobs = jobs
        self.batch = batch
        self.rng = random.Random(seed)
        self.progress = progress
        self.log = log
        self.now = (now or timezone.now()).replace(microsecond=0)
        self.today = timezone.localdate(self.now)
        self.tables = {}

    def table(self, model):
        if model not in self.tables:
            self.tables[model] = Table(model)
        return self.tables[model]

    def write(self, model, rows):
        self.table(model).write(rows)

    def generate(self, replace=False):
        with translation.override(settings.LANGUAGE_CODE):
            indexes = DeferredIndexes(self.article_models())
            # Forked processes need connections of their own: not inside a transaction of the caller.
            if self.jobs > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block:
                with transaction.atomic():
                    self.make_everything_but_articles(replace)
                    indexes.drop()
                try:
                    self.make_articles_in_parallel()
                finally:
                    self.build(indexes)
                with transaction.atomic():
                    self.finish()
            else:
                with transaction.atomic(), self.bar(None, "articles", total=self.sizes["articles"]) as bar:
                    self.make_everything_but_articles(replace)
                    indexes.drop()
                    for batch in self.batches():
                        bar.update(self.write_batch(batch))
                    self.build(indexes)
                    self.finish()
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.log("Updating planner statistics ...")
            with connection.cursor() as cursor:
                for model in self.content_models():
                    table = connection.ops.quote_name(model._meta.db_table)
                    # The large columns need no vacuuming after a load; their statistics are still gathered.
                    cursor.execute(f"VACUUM (ANALYZE, PROCESS_TOAST FALSE) {table}")

    @staticmethod
    def article_models():
        """The tables the article batches fill: articles, their views, photos, attachments and links."""
        through = [field.remote_field.through for field in Article._meta.local_many_to_many]
        photo_links = [field.remote_field.through for field in ArticlePhoto._meta.local_many_to_many]
        return [Article, ArticleViews, ArticlePhoto, Attachment, *through, *photo_links]

    def build(self, indexes):
        if indexes.definitions:
            started = time.monotonic()
            self.log(f"Building {len(indexes.definitions)} indexes of the article tables ...")
            indexes.create()
            self.log(f"Indexes built in {time.monotonic() - started:.0f} s.")

    def make_everything_but_articles(self, replace):
        self.make_room(replace)
        self.make_categories()
        self.make_organisations()
        self.make_people()
        self.make_offices()
        self.make_alliance_positions()
        self.make_rosters()
        self.make_media()
        self.make_paragraphs()

    def finish(self):
        self.pin_latest()
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), self.content_models()):
                cursor.execute(statement)
        bump_content_version()

    @staticmethod
    def content_models():
        models = [model for label in CONTENT_APPS for model in apps.get_app_config(label).get_models()]
        return models + [field.remote_field.through for model in models for field in model._meta.local_many_to_many]

    def make_room(self, replace):
        """Empty the content tables, so that a seed always gives the same rows with the same ids."""
        models = self.content_models()
        if any(model.objects.exists() for model in models):
            if not replace:
                raise ContentExists(
                    "The database already has content. Use --replace to delete all of it "
                    "(organisations, offices, news and their history) and generate anew."
                )
            self.log("Deleting the existing content ...")
        tables = [model._meta.db_table for model in models] + ["reversion_version", "reversion_revision"]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no table is emptied under pending checks
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
        )

    def bar(self, iterable, description, total=None):
        return ProgressBar(iterable, total=total, desc=description, unit="", disable=not self.progress, leave=True)

    # Members

    def make_categories(self):
        table = self.table(Category)
        self.categories = {
            slug: table.new(slug=slug, order=order, **translated("name", zh, en))
            for order, (slug, zh, en) in enumerate(words.CATEGORIES)
        }
        for category in self.categories.values():
            category.derive()
        self.write(Category, list(self.categories.values()))

    def organisation_names(self):
        for zh, en, short in words.OPERATORS:
            yield zh, en, short, pinyin_word(short), OrganisationKind.TELECOM_OPERATOR
        for zh, en in words.UNIVERSITIES:
            yield zh, en, "", "", OrganisationKind.UNIVERSITY
        cities = [
            ("苏州", "Suzhou"),
            ("苏州市", "Suzhou"),
            ("江苏", "Jiangsu"),
            ("昆山", "Kunshan"),
            ("常熟", "Changshu"),
        ]
        combinations = len(cities) * len(words.BRANDS) * len(words.FIELDS) * len(words.FORMS)
        for round_ in range(10**6):
            suffix = str(round_ + 1) if round_ else ""
            for number in self.rng.sample(range(combinations), combinations):
                number, form = divmod(number, len(words.FORMS))
                number, field = divmod(number, len(words.FIELDS))
                city, brand = divmod(number, len(words.BRANDS))
                (city_zh, city_en), brand = cities[city], words.BRANDS[brand]
                (field_zh, field_en), (form_zh, form_en, kind) = words.FIELDS[field], words.FORMS[form]
                yield (
                    f"{city_zh}{brand}{field_zh}{form_zh}{suffix}",
                    f"{city_en} {pinyin_word(brand)} {field_en} {form_en}{suffix}",
                    brand,
                    pinyin_word(brand),
                    kind,
                )

    def make_organisations(self):
        rng, count, table = self.rng, self.sizes["organisations"], self.table(Organisation)
        taken_slugs = set()
        self.organisations = []
        with self.bar(None, "organisations", total=count) as bar:
            for zh, en, short_zh, short_en, kind in islice(self.organisation_names(), count):
                field_zh, field_en = rng.choice(words.FIELDS)
                description_zh, description_en = rng.choice(words.DESCRIPTIONS)
                district_zh, district_en, _ = rng.choice(words.OFFICES)
                street_zh, street_en = rng.choice(words.STREETS)
                number = rng.randint(1, 999)
                organisation = table.new(
                    kind=OrganisationKind(kind).value,
                    is_member=rng.random() < 0.92,
                    joined_on=self.today - datetime.timedelta(days=rng.randint(30, 2400)),
                    updated_at=self.now,
                    **translated("name", zh, en),
                    **translated("short_name", short_zh, short_en),
                    **translated(
                        "description",
                        description_zh.format(field=field_zh),
                        description_en.format(field_en=field_en.lower()),
                    ),
                    **translated(
                        "address",
                        f"苏州市{district_zh}{street_zh}{number}号",
                        f"{number} {street_en}, {district_en}, Suzhou",
                    ),
                )
                organisation.derive(taken_slugs=taken_slugs)
                organisation.website = f"https://www.{organisation.slug[:40].rstrip('-')}.cn"
                self.organisations.append(organisation)
                bar.update()
        self.write(Organisation, self.organisations)
        self.members = [o for o in self.organisations if o.is_member] or self.organisations

    def make_people(self):
        rng, table, taken_slugs = self.rng, self.table(Person), set()
        employers = rng.sample(self.organisations, k=max(1, len(self.organisations) * 3 // 10))
        names = []
        for organisation in employers:
            family, given = rng.choice(words.FAMILY_NAMES), rng.choice(words.GIVEN_NAMES)
            names.append((organisation, family + given, f"{pinyin_word(family)} {pinyin_word(given)}"))
        self.representatives = {}
        people = []
        for organisation, zh, en in names:
            job_zh, job_en = rng.choice(words.JOB_TITLES)
            person = table.new(
                organisation_id=organisation.pk,
                **translated("name", zh, en),
                **translated("job_title", job_zh, job_en),
            )
            person.derive(taken_slugs=taken_slugs)
            people.append(person)
            self.representatives.setdefault(organisation.pk, person.pk)
        self.write(Person, people)

    # Offices

    def make_offices(self):
        rng, table, self.offices = self.rng, self.table(Office), []
        alliance = "苏州市工业互联网产业联盟"
        for index in range(self.sizes["offices"]):
            district_zh, district_en, founded = words.OFFICES[index % len(words.OFFICES)]
            if index >= len(words.OFFICES):
                district_zh, district_en = f"{district_zh}{index // len(words.OFFICES) + 1}", f"{district_en} {index}"
            venue_zh, venue_en = rng.choice(words.VENUES)
            name_zh, short_zh = f"{alliance}{district_zh}办事处", f"{district_zh}办事处"
            name_en = f"{district_en} Office of the Suzhou Industrial Internet Industry Alliance"
            self.offices.append(
                table.new(
                    ordinal=index + 1,
                    founded_on=datetime.date.fromisoformat(founded),
                    uses_alliance_charter=True,
                    founding_member_count=rng.randint(40, 90),
                    founding_council_size=16,
                    updated_at=self.now,
                    **translated("name", name_zh, name_en),
                    **translated("short_name", short_zh, f"{district_en} Office"),
                    **translated("district", district_zh, district_en),
                    **translated("venue", venue_zh, venue_en),
                    **translated(
                        "description",
                        f"{alliance}在{district_zh}设立的第{index + 1}个办事处。",
                        f"The alliance's office No. {index + 1}, in {district_en}.",
                    ),
                )
            )
        taken_slugs = set()
        for office in self.offices:
            office.derive(taken_slugs=taken_slugs)
        self.write(Office, self.offices)

    def make_alliance_positions(self):
        roles = [Role.CO_PRESIDENT] * 3 + [Role.EXECUTIVE_VICE_PRESIDENT] * 5 + [Role.VICE_PRESIDENT] * 15
        roles += [Role.SECRETARY_GENERAL] + [Role.DIRECTOR] * 40
        holders = self.rng.sample(self.organisations, k=min(len(roles), len(self.organisations)))
        table = self.table(AlliancePosition)
        self.write(
            AlliancePosition,
            [
                table.new(
                    role=role.value,
                    organisation_id=organisation.pk,
                    representative_id=self.representatives.get(organisation.pk),
                    started_on=datetime.date(2019, 1, 18),
                    sort_order=order,
                )
                for order, (role, organisation) in enumerate(zip(roles, holders, strict=False))
            ],
        )

    def make_rosters(self):
        rng, members = self.rng, self.members
        per_office = min(len(members), max(20, len(members) * 11 // 10 // len(self.offices)))
        memberships, seats, committees = [], [], []
        council = [Role.PRESIDENT] + [Role.VICE_PRESIDENT] * 4 + [Role.SECRETARY_GENERAL] + [Role.DIRECTOR] * 10
        for office in self.offices:
            roster = rng.sample(members, k=per_office)
            founded = office.founded_on
            for position, organisation in enumerate(roster):
                joined = min(
                    self.today, founded + datetime.timedelta(days=0 if position < 76 else rng.randint(30, 1200))
                )
                left = joined + datetime.timedelta(days=rng.randint(200, 900)) if rng.random() < 0.03 else None
                memberships.append(
                    self.table(OfficeMembership).new(
                        office_id=office.pk,
                        organisation_id=organisation.pk,
                        joined_on=joined,
                        batch=1 if position < 76 else None,
                        left_on=left if left and left < self.today else None,
                    )
                )
            for order, (role, organisation) in enumerate(zip(council, roster, strict=False)):
                seats.append(
                    self.table(CouncilSeat).new(
                        office_id=office.pk,
                        organisation_id=organisation.pk,
                        role=role.value,
                        representative_id=self.representatives.get(organisation.pk),
                        started_on=founded,
                        sort_order=order,
                    )
                )
            for order, organisation in enumerate(roster[len(council) : len(council) + 6]):
                seats.append(
                    self.table(CouncilSeat).new(
                        office_id=office.pk,
                        organisation_id=organisation.pk,
                        role=Role.DIRECTOR.value,
                        started_on=founded - datetime.timedelta(days=3 * 365),
                        ended_on=founded,
                        sort_order=order,
                    )
                )
            committees.append((office, words.COMMITTEES[office.ordinal % len(words.COMMITTEES)], roster[-12:]))
        for spec in words.COMMITTEES[:3]:
            committees.append((None, spec, rng.sample(members, k=min(len(members), 12))))
        self.write(OfficeMembership, memberships)
        self.write(CouncilSeat, seats)

        rows = []
        for office, (name_zh, name_en, focus_zh, focus_en), _ in committees:
            prefix_zh, prefix_en = (office.district_zh_hans, office.district_en) if office else ("联盟", "Alliance")
            founded = office.founded_on if office else datetime.date(2019, 1, 18)
            rows.append(
                self.table(Committee).new(
                    office_id=office.pk if office else None,
                    founded_on=founded + datetime.timedelta(days=180),
                    **translated("name", f"{prefix_zh}{name_zh}", f"{prefix_en} {name_en}"),
                    **translated("short_name", name_zh, name_en),
                    **translated("focus", focus_zh, focus_en),
                )
            )
        taken_slugs = set()
        for committee in rows:
            committee.derive(taken_slugs=taken_slugs)
        self.write(Committee, rows)
        roles = [Role.CHAIR] + [Role.DEPUTY_CHAIR] * 2 + [Role.MEMBER] * 9
        self.write(
            CommitteeSeat,
            [
                self.table(CommitteeSeat).new(
                    committee_id=committee.pk,
                    organisation_id=organisation.pk,
                    role=role.value,
                    representative_id=self.representatives.get(organisation.pk),
                    started_on=committee.founded_on,
                    sort_order=order,
                )
                for committee, (_, _, seated) in zip(rows, committees, strict=True)
                for order, (role, organisation) in enumerate(zip(roles, seated, strict=False))
            ],
        )

    # News

    def make_media(self):
        """A few covers and photos with their renditions, made once and shared by all articles."""
        self.images = {"covers": [], "photos": []}
        for kind, size in (("covers", (1600, 900)), ("photos", (1200, 800))):
            for index in range(self.image_count):
                caption_zh, caption_en = words.CAPTIONS[index % len(words.CAPTIONS)]
                name = f"bench/{kind}-{index + 1}.jpg"
                if not default_storage.exists(name):
                    default_storage.save(name, placeholder_photo({"zh-hans": caption_zh, "en": caption_en}, size))
                self.images[kind].append((name, *size))
        self.log("Making image renditions (once per image) ...")
        for (cover, *_), (photo, *_) in zip(self.images["covers"], self.images["photos"], strict=True):
            for instance, field in ((Article(cover=cover), "cover"), (ArticlePhoto(image=photo), "image")):
                for image_format in RENDITION_FORMATS:
                    for width in RENDITION_WIDTHS:
                        getattr(instance, rendition_name(field, image_format, width)).generate()
        attachment = "bench/attachment.pdf"
        if not default_storage.exists(attachment):
            default_storage.save(attachment, ContentFile(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))
        self.attachment = attachment

    def slots(self):
        rng = self.rng
        pairs = {
            "topic": rng.choice(words.TOPICS),
            "list": rng.choice(words.LISTS),
            "program": rng.choice(words.PROGRAMS),
            "event": rng.choice(words.EVENTS),
            "industry": rng.choice(words.INDUSTRIES),
            "thing": rng.choice(words.THINGS),
            "policy": rng.choice(words.POLICIES),
            "venue": rng.choice(words.VENUES),
        }
        office = rng.choice(self.offices)
        # Large members are in the news more often than the rest.
        first, second = rng.sample(self.organisations[:400] if rng.random() < 0.5 else self.organisations, k=2)
        values = {name: zh for name, (zh, _) in pairs.items()} | {f"{name}_en": en for name, (_, en) in pairs.items()}
        values |= {
            "office": office.short_name_zh_hans,
            "office_en": office.short_name_en,
            "district": office.district_zh_hans,
            "district_en": office.district_en,
            "district_short": office.district_zh_hans[:2],
            "org": first.short_name_zh_hans or first.name_zh_hans,
            "org_en": first.short_name_en or first.name_en,
            "org2": second.short_name_zh_hans or second.name_zh_hans,
            "org2_en": second.short_name_en or second.name_en,
            "year": rng.randint(2019, self.today.year),
            "month": rng.randint(1, 12),
            "day": rng.randint(1, 28),
            "n": rng.randint(2, 60),
            "n2": rng.randint(2, 9),
            "pct": rng.randint(10, 45),
            "pct2": rng.randint(5, 30),
        }
        return values, office, (first, second)

    def make_paragraphs(self):
        self.paragraphs = {"leads": [], "body": []}
        for pool, templates, fills in (("leads", words.LEADS, 30), ("body", words.PARAGRAPHS, 24)):
            for zh, en in templates:
                for _ in range(fills):
                    values, *_ = self.slots()
                    self.paragraphs[pool].append(Paragraph.make(zh.format(**values), en.format(**values)))

    def body(self):
        """A lead and enough other paragraphs for the length; the English version is as long."""
        paragraphs, chosen = [self.rng.choice(self.paragraphs["leads"])], set()
        length = paragraphs[0].length
        while length < BODY_LENGTH:
            index = self.rng.randrange(len(self.paragraphs["body"]))
            if index not in chosen:
                chosen.add(index)
                paragraphs.append(self.paragraphs["body"][index])
                length += paragraphs[-1].length
        english, length = [], 0
        for paragraph in paragraphs:
            english.append(paragraph)
            length += paragraph.length_en
            if length >= BODY_LENGTH and len(english) >= 2:
                break
        return paragraphs, english

    def publication(self, index):
        """Oldest first, so ids grow with time: eight years of news, a few drafts, a few scheduled."""
        count = self.sizes["articles"]
        if index >= count - max(1, count // 200):
            return Article.Status.PUBLISHED, self.now + datetime.timedelta(days=1 + index % 30, hours=9)
        if self.rng.random() < 0.02:
            return Article.Status.DRAFT, None
        start = self.now - datetime.timedelta(days=8 * 365)
        span = (self.now - datetime.timedelta(hours=2) - start).total_seconds()
        return Article.Status.PUBLISHED, start + datetime.timedelta(
            seconds=int(span * (index + self.rng.random()) / count)
        )

    def make_article(self, index):
        """Article number `index` with its views, photos and attachments, derived as save() derives them.

        Returns:
            (Article, dict of the ids of the offices, organisations and people it is about, photos,
            attachments, ArticleViews)
        """
        rng = self.rng
        status, published_at = self.publication(index)
        category, title_zh, title_en = rng.choice(words.TITLES)
        values, office, organisations = self.slots()
        title_zh, title_en = title_zh.format(**values), title_en.format(**values)
        paragraphs, english = self.body()
        source_zh, source_en = rng.choice(words.SOURCES)
        cover = {}
        if rng.random() < 0.6:
            name, width, height = rng.choice(self.images["covers"])
            alt_zh, alt_en = rng.choice(words.CAPTIONS)
            cover = {
                "cover": name,
                "cover_width": width,
                "cover_height": height,
                **translated("cover_alt", alt_zh, alt_en),
            }
        author = rng.choice(words.AUTHORS)
        views = ArticleViews(article_id=index + 1, count=min(int(rng.paretovariate(1.2) * 40), 250_000))
        article = Article(
            id=index + 1,
            category_id=self.categories[category].pk,
            author=author,
            status=status.value,
            published_at=published_at,
            created_at=self.now,
            updated_at=self.now,
            **translated("title", title_zh, title_en),
            **translated("source", source_zh, source_en),
            **cover,
        )
        people = [self.representatives.get(organisations[0].pk)] if rng.random() < 0.3 else []
        links = {
            "offices": [office.pk] if "{office" in title_zh or rng.random() < 0.3 else [],
            "organisations": [o.pk for o in organisations[: rng.randint(0, 2)]],
            "people": [person for person in people if person],
        }
        photos = self.photos(article)
        for photo in photos:
            photo.derive()
        # The first photo, if any, is shown in the text after the lead; the others below it.
        figure = {language: photo_figure(photos[0], language) if photos else "" for language in ("zh_hans", "en")}
        article.body_zh_hans = paragraphs[0].zh + figure["zh_hans"] + "".join(p.zh for p in paragraphs[1:])
        article.body_en = english[0].en + figure["en"] + "".join(p.en for p in english[1:])
        article.derive(photos=photos)
        attachments = self.attachments(article)
        for attachment in attachments:
            attachment.derive()
        return article, links, photos, attachments, views

    def batches(self):
        return range((self.sizes["articles"] + self.batch - 1) // self.batch)

    def make_articles_in_parallel(self):
        """Batches made and written by forked processes, one database connection each.

        Each article's derive() in Python and the search vectors PostgreSQL computes for it are
        most of the work: processes use every core. Each batch is its own transaction; a
        failed run leaves a partial data set that the next run (with --replace) deletes.
        """
        global _generating
        connections.close_all()  # no connection may be shared with the forked processes
        _generating = self
        try:
            with (
                multiprocessing.get_context("fork").Pool(self.jobs) as pool,
                self.bar(None, "articles", total=self.sizes["articles"]) as bar,
            ):
                for written in pool.imap_unordered(_write_batch, self.batches()):
                    bar.update(written)
        finally:
            _generating = None

    def write_batch(self, number):
        """Articles [number × batch size, ...) with their photos, attachments and links, the same whoever makes them.

        Every batch has a random generator of its own and ids derived from the article's; a
        through row or a photo has id 4 × article id + its place (at most 3 of each kind).
        """
        self.rng = random.Random(f"{self.seed}:{number}")
        start = number * self.batch
        end = min(start + self.batch, self.sizes["articles"])
        rows = {Article: [], ArticleViews: [], ArticlePhoto: [], Attachment: []}
        for index in range(start, end):
            article, links, photos, attachments, views = self.make_article(index)
            rows[Article].append(article)
            rows[ArticleViews].append(views)
            rows[ArticlePhoto] += photos
            rows[Attachment] += attachments
            for name, targets in links.items():
                field = Article._meta.get_field(name)
                through = field.remote_field.through
                source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
                rows.setdefault(through, []).extend(
                    through(**{"id": 4 * article.pk + place, source: article.pk, target: pk})
                    for place, pk in enumerate(targets)
                )
        with transaction.atomic():
            for model, instances in rows.items():
                self.table(model).write(instances)
        return end - start

    def photos(self, article):
        if self.rng.random() >= 0.25:
            return []
        photos = []
        for order in range(self.rng.randint(1, 3)):
            name, width, height = self.rng.choice(self.images["photos"])
            caption_zh, caption_en = self.rng.choice(words.CAPTIONS)
            photos.append(
                ArticlePhoto(
                    id=4 * article.pk + order,
                    article_id=article.pk,
                    image=name,
                    image_width=width,
                    image_height=height,
                    order=order,
                    **translated("caption", caption_zh, caption_en),
                    **translated("alt_text", caption_zh, caption_en),
                )
            )
        return photos

    def attachments(self, article):
        if article.category_id != self.categories["notices"].pk or self.rng.random() >= 0.8:
            return []
        title_zh, title_en = self.rng.choice(words.ATTACHMENT_TITLES)
        return [
            Attachment(
                id=article.pk,
                article_id=article.pk,
                file=self.attachment,
                original_name=f"{title_zh}.pdf",
                content_type="application/pdf",
                **translated("title", title_zh, title_en),
            )
        ]

    def pin_latest(self):
        latest = Article.objects.published().filter(category__slug="alliance-news").order_by("-published_at", "-pk")
        pinned = list(latest.values_list("pk", flat=True)[:3])
        Article.objects.filter(pk__in=pinned).update(is_pinned=True)
        Article.objects.filter(pk__in=pinned[:1]).update(pinned_until=self.now + datetime.timedelta(days=60))


_generating = None  # the BenchData the forked processes of make_articles_in_parallel work for


def _write_batch(number):
    try:
        return _generating.write_batch(number)
    finally:
        connections.close_all()
