"""The read-only API (/api/v1/): django-ninja endpoints over the apps' public querysets.

Every endpoint answers only what the pages show (published(), members(), current seats), in the
language of `?lang=` or Accept-Language (api.middleware writes it into the query), each translated
field with the language it is shown in (`languages`). Answers are cached and revalidated like pages
(core.cache.public_page, see api/urls.py).
"""

from datetime import date, datetime
from functools import wraps
from typing import Literal

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Count, Prefetch, Q
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.renderers import JSONRenderer
from pydantic import BaseModel

from api.articles import PAGE_SIZE, article_detail_queryset, article_filters
from api.language import languages
from core.cache import VersionedCountPaginator
from core.images import RENDITION_FORMATS, RENDITION_WIDTHS, rendition_url
from core.search import filter_by_search, search_text
from events.models import Event, EventKind, Registration
from events.views import registration_counts
from members.models import AlliancePosition, Organisation, OrganisationKind, Role
from members.views import DIRECTORY_ROLES, initial_letter
from news.models import Category
from offices.models import Committee, CommitteeSeat, CouncilSeat, Office, role_holders
from offices.views import OfficeDirectoryFilter


class Utf8JSONRenderer(JSONRenderer):
    """JSON with Chinese as UTF-8, not as \\u escapes: a third of the size."""

    media_type = "application/json"
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8JSONRenderer(),
    title="Suzhou Industrial Internet Industry Alliance API",
    version="1",
    description=(
        "Read-only data of the alliance's public site: news, categories, district offices and the member "
        "directory. Only what the public pages show. Language by `?lang=` or `Accept-Language`; each "
        "translated field's language is given in `languages` (the fallback language when the text is "
        "not translated)."
    ),
    urls_namespace="api",
    docs_url="/docs/",
    openapi_url="/openapi.json",
)

Language = Literal["zh-hans", "en", "zh-hant"]


class Output(BaseModel):
    """What endpoints answer: built as dicts by the endpoints, so plain pydantic models, without
    ninja Schema's attribute lookup on ORM objects (a third of an uncached list's time)."""


class Error(Output):
    detail: str


class InvalidParameters(Output):
    detail: list[dict] = Field(description="One entry per parameter refused, with where it is and why.")


# What every endpoint may answer besides its 200.
ERRORS = {404: Error, 422: InvalidParameters, 429: Error}
ArticleId = Path(..., ge=1, le=2_147_483_647)
Slug = Path(..., pattern=r"^[-a-zA-Z0-9_]+$", max_length=100)


def in_language(view):
    """Run `view` in the request's language (`lang`, always set by api.middleware)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with translation.override(request.GET.get("lang") or None):
            return view(request, *args, **kwargs)

    return wrapper


def page_of(request, queryset, name, number):
    """One page of `queryset` (PAGE_SIZE rows), counted once per content version; 404 past the end."""
    paginator = VersionedCountPaginator(queryset, PAGE_SIZE, name=name)
    try:
        page = paginator.page(number)
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page.") from None
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "next": link_to_page(request, page.next_page_number()) if page.has_next() else None,
        "previous": link_to_page(request, page.previous_page_number()) if page.has_previous() else None,
        "results": page.object_list,
    }


def link_to_page(request, number):
    query = QueryDict(mutable=True)
    query.update(request.GET)
    query["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


class Link(Output):
    slug: str
    name: str = Field(description="Plain text.")
    url: str = Field(description="The page on the site, in the language asked for.")
    languages: dict[str, str]


def absolute(request, path):
    """`path` on the host the request was made to: what build_absolute_uri makes, the host worked out once."""
    if not path.startswith("/") or path.startswith("//"):  # a URL already (media in object storage)
        return request.build_absolute_uri(path)
    base = getattr(request, "absolute_base", None)
    if base is None:
        base = request.absolute_base = request.build_absolute_uri("/")[:-1]
    return base + path


def article_path(request, article):
    """`article.get_absolute_url()`, from one reverse() per request and language: a list's twenty
    reverse() calls took a tenth of its time."""
    paths = request.__dict__.setdefault("article_paths", {})
    language = translation.get_language()
    if language not in paths:
        paths[language] = reverse("news:article-detail", kwargs={"pk": 1, "slug": "-"}).removesuffix("1/-/")
    return f"{paths[language]}{article.pk}/{article.slug or '-'}/"


def link(request, obj, field="name"):
    return {
        "slug": obj.slug,
        "name": getattr(obj, field),
        "url": absolute(request, obj.get_absolute_url()),
        "languages": languages(obj, field),
    }


class Rendition(Output):
    format: str = Field(description="avif or webp.")
    width: int
    height: int
    url: str


class Image(Output):
    width: int | None = Field(description="Of the upload, upright.")
    height: int | None
    alt: str = Field(description="Plain text.")
    renditions: list[Rendition]


def image(request, instance, field_name, alt):
    """An image field's renditions (every format and web width up to the upload's), or None."""
    if not getattr(instance, field_name):
        return None
    width = getattr(instance, f"{field_name}_width", None)
    height = getattr(instance, f"{field_name}_height", None)
    renditions = []
    for image_format in RENDITION_FORMATS:
        for rendition_width in RENDITION_WIDTHS:
            shown = min(rendition_width, width) if width else rendition_width
            renditions.append(
                {
                    "format": image_format,
                    "width": shown,
                    "height": round(height * shown / width) if width and height else shown,
                    "url": absolute(request, rendition_url(instance, field_name, image_format, rendition_width)),
                }
            )
            if width and rendition_width >= width:
                break
    return {"width": width, "height": height, "alt": alt, "renditions": renditions}


# Categories ----------------------------------------------------------------------------------


class CategoryItem(Output):
    slug: str
    name: str = Field(description="Plain text.")
    description: str = Field(description="Plain text.")
    url: str
    languages: dict[str, str]


@api.get("/categories/", response={200: list[CategoryItem], **ERRORS}, tags=["news"], summary="News categories")
@in_language
def list_categories(request, lang: Language | None = None):
    """Every category, in the order of the site's menus."""
    return [
        {
            **link(request, category),
            "description": category.description,
            "languages": languages(category, "name", "description"),
        }
        for category in Category.objects.all()
    ]


# Articles ------------------------------------------------------------------------------------


class CategoryRef(Output):
    slug: str
    name: str


class ArticleItem(Output):
    id: int
    url: str = Field(description="The article's page on the site, in the language asked for.")
    api_url: str
    title: str = Field(description="Plain text.")
    summary: str = Field(description="Plain text.")
    category: CategoryRef
    published_at: datetime
    pinned: bool
    cover: Image | None
    languages: dict[str, str] = Field(description="The language (BCP 47) of each translated field as shown.")


class ArticlePage(Output):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[ArticleItem]


class ArticleFilters(Schema):
    page: int = Field(1, ge=1, le=100_000)
    category: str = Field("", max_length=100, description="A category's slug.")
    office: str = Field("", max_length=100, description="A district office's slug.")
    organisation: str = Field("", max_length=100, description="An organisation's slug.")
    q: str = Field("", max_length=100, description="Search text.")
    since: date | None = Field(None, description="Published on or after this day.")
    until: date | None = Field(None, description="Published on or before this day.")
    lang: Language | None = None


def article_item(request, article):
    return {
        "id": article.pk,
        "url": absolute(request, article_path(request, article)),
        "api_url": absolute(request, f"/api/v1/articles/{article.pk}/"),
        "title": article.title,
        "summary": article.summary,
        "category": {"slug": article.category.slug, "name": article.category.name},
        "published_at": article.published_at,
        "pinned": article.is_pinned_now,
        "cover": image(request, article, "cover", article.cover_alt),
        "languages": languages(article, "title", "summary"),
    }


@api.get("/articles/", response={200: ArticlePage, **ERRORS}, tags=["news"], summary="Published articles")
@in_language
def list_articles(request, filters: Query[ArticleFilters]):
    """Published articles, newest first (ties by id), 20 a page, with links to the next and previous.

    An unknown category, office or organisation matches nothing; a page past the last is a 404.
    """
    articles = article_filters(
        category=filters.category,
        office=filters.office,
        organisation=filters.organisation,
        q=filters.q,
        since=filters.since,
        until=filters.until,
    )
    name = f"api-articles|{filters.category}|{filters.office}|{filters.organisation}|{filters.q}"
    name += f"|{filters.since}|{filters.until}"
    page = page_of(request, articles, name, filters.page)
    page["results"] = [article_item(request, article) for article in page["results"]]
    return page


class Photo(Image):
    caption: str = Field(description="Plain text.")
    credit: str = Field(description="Plain text.")
    languages: dict[str, str]


class AttachmentItem(Output):
    title: str = Field(description="Plain text.")
    url: str = Field(description="The download, while the article is published.")
    size: int = Field(description="Bytes.")
    content_type: str
    languages: dict[str, str]


class PersonItem(Output):
    name: str = Field(description="Plain text.")
    job_title: str = Field(description="Plain text.")
    organisation: Link | None
    languages: dict[str, str]


class ArticleDetail(ArticleItem):
    body_html: str = Field(
        description="The body as the page shows it: sanitised HTML (the editor's allow-list), photos as "
        "<picture> elements with the site's renditions."
    )
    source: str = Field(description="Plain text.")
    author: str = Field(description="Plain text.")
    photos: list[Photo]
    attachments: list[AttachmentItem]
    offices: list[Link]
    organisations: list[Link]
    people: list[PersonItem]


def person_item(request, person):
    return {
        "name": person.name,
        "job_title": person.job_title,
        "organisation": link(request, person.organisation) if person.organisation else None,
        "languages": languages(person, "name", "job_title"),
    }


@api.get("/articles/{int:article_id}/", response={200: ArticleDetail, **ERRORS}, tags=["news"], summary="An article")
@in_language
def get_article(request, article_id: int = ArticleId, lang: Language | None = None):
    """A published article with its body, photos, attachments and what it is about; 404 for any other."""
    article = get_object_or_404(article_detail_queryset(), pk=article_id)
    photos = []
    for photo in article.photos.all():
        photos.append(
            {
                **image(request, photo, "image", photo.alt_text),
                "caption": photo.caption,
                "credit": photo.credit,
                "languages": languages(photo, "caption", "alt_text"),
            }
        )
    return {
        **article_item(request, article),
        "languages": languages(article, "title", "summary", "body_html", "source"),
        "body_html": article.body_html,
        "source": article.source,
        "author": article.author,
        "photos": photos,
        "attachments": [
            {
                "title": attachment.title,
                "url": absolute(request, attachment.get_absolute_url()),
                "size": attachment.size,
                "content_type": attachment.content_type,
                "languages": languages(attachment, "title"),
            }
            for attachment in article.attachments.all()
        ],
        "offices": [link(request, office) for office in article.offices.all()],
        "organisations": [link(request, organisation) for organisation in article.organisations.all()],
        "people": [person_item(request, person) for person in article.people.all()],
    }


# Offices -------------------------------------------------------------------------------------


class Seat(Output):
    role: str = Field(description="The role's code (members.Role), in rank order within the list.")
    role_label: str
    organisation: Link
    representative: PersonItem | None
    started_on: date | None


class CommitteeItem(Output):
    slug: str
    name: str
    focus: str = Field(description="Plain text.")
    url: str
    seats: list[Seat]
    languages: dict[str, str]


class OfficeItem(Output):
    slug: str
    name: str = Field(description="Plain text.")
    short_name: str = Field(description="Plain text.")
    district: str = Field(description="Plain text.")
    founded_on: date | None
    url: str
    api_url: str
    languages: dict[str, str]


class OfficeDetail(OfficeItem):
    description: str = Field(description="Plain text.")
    council: list[Seat] = Field(description="The current council, by rank.")
    committees: list[CommitteeItem] = Field(description="The office's special committees, with current seats.")


def office_item(request, office):
    return {
        "slug": office.slug,
        "name": office.name,
        "short_name": office.short_name,
        "district": office.district,
        "founded_on": office.founded_on,
        "url": absolute(request, office.get_absolute_url()),
        "api_url": absolute(request, f"/api/v1/offices/{office.slug}/"),
        "languages": languages(office, "name", "short_name", "district"),
    }


def seat(request, seat):
    return {
        "role": seat.role,
        "role_label": str(Role(seat.role).label),
        "organisation": link(request, seat.organisation),
        "representative": person_item(request, seat.representative) if seat.representative else None,
        "started_on": seat.started_on,
    }


@api.get("/offices/", response={200: list[OfficeItem], **ERRORS}, tags=["offices"], summary="District offices")
@in_language
def list_offices(request, lang: Language | None = None):
    """The district offices, in order of founding."""
    return [office_item(request, office) for office in Office.objects.order_by("ordinal", "pk")]


@api.get("/offices/{slug:slug}/", response={200: OfficeDetail, **ERRORS}, tags=["offices"], summary="An office")
@in_language
def get_office(request, slug: str = Slug, lang: Language | None = None):
    """An office with its current council by rank and its committees with their current seats."""
    seats = CouncilSeat.objects.current().by_rank().select_related("organisation", "representative__organisation")
    committee_seats = (
        CommitteeSeat.objects.current().by_rank().select_related("organisation", "representative__organisation")
    )
    office = get_object_or_404(
        Office.objects.prefetch_related(
            Prefetch("council_seats", queryset=seats, to_attr="current_council"),
            Prefetch(
                "committees",
                queryset=Committee.objects.select_related("office").prefetch_related(
                    Prefetch("seats", queryset=committee_seats, to_attr="current_seats")
                ),
            ),
        ),
        slug=slug,
    )
    return {
        **office_item(request, office),
        "description": office.description,
        "languages": languages(office, "name", "short_name", "district", "description"),
        "council": [seat(request, item) for item in office.current_council],
        "committees": [
            {
                "slug": committee.slug,
                "name": committee.name,
                "focus": committee.focus,
                "url": absolute(request, committee.get_absolute_url()),
                "seats": [seat(request, item) for item in committee.current_seats],
                "languages": languages(committee, "name", "focus"),
            }
            for committee in office.committees.all()
        ],
    }


# Organisations -------------------------------------------------------------------------------

OrganisationKindCode = Literal[tuple(OrganisationKind.values)]
DirectoryRole = Literal[tuple(role.value for role in DIRECTORY_ROLES)]


class OrganisationItem(Output):
    slug: str
    name: str = Field(description="Plain text.")
    short_name: str = Field(description="Plain text.")
    kind: str
    url: str
    api_url: str
    languages: dict[str, str]


class OrganisationPage(Output):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[OrganisationItem]


class DirectoryFilters(Schema):
    page: int = Field(1, ge=1, le=100_000)
    q: str = Field("", max_length=100, description="Search text.")
    letter: str = Field("", max_length=1, description="An initial A-Z, or # for names not in A-Z.")
    kind: OrganisationKindCode | None = None
    role: DirectoryRole | None = None
    office: str = Field("", max_length=100, description="A district office's slug: its member units and council.")
    lang: Language | None = None


def organisation_item(request, organisation):
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "short_name": organisation.short_name,
        "kind": organisation.kind,
        "url": absolute(request, organisation.get_absolute_url()),
        "api_url": absolute(request, f"/api/v1/organisations/{organisation.slug}/"),
        "languages": languages(organisation, "name", "short_name"),
    }


@api.get("/organisations/", response={200: OrganisationPage, **ERRORS}, tags=["members"], summary="Member directory")
@in_language
def list_organisations(request, filters: Query[DirectoryFilters]):
    """The member directory A-Z by pinyin (English names at ?lang=en), with the directory's filters."""
    organisations = Organisation.objects.members()
    if filters.kind:
        organisations = organisations.filter(kind=filters.kind)
    if filters.role:
        organisations = organisations.holding(filters.role, *role_holders(filters.role))
    if filters.office:
        organisations = OfficeDirectoryFilter().apply(organisations, filters.office)
    if filters.q:
        organisations = filter_by_search(organisations, search_text(filters.q))
    if initial := initial_letter(filters.letter):
        organisations = organisations.starting_with(initial)
    organisations = organisations.alphabetical().defer("search_document", "staff_notes")
    name = f"api-organisations|{filters.kind}|{filters.role}|{filters.office}|{filters.q}|{initial}"
    name += f"|{translation.get_language()}"
    page = page_of(request, organisations, name, filters.page)
    page["results"] = [organisation_item(request, organisation) for organisation in page["results"]]
    return page


class Position(Output):
    body: str = Field(description="alliance, council or committee.")
    role: str
    role_label: str
    office: Link | None
    committee: str | None
    representative: PersonItem | None
    started_on: date | None


class OrganisationDetail(OrganisationItem):
    description: str = Field(description="Plain text.")
    website: str
    positions: list[Position] = Field(description="The positions it holds now: alliance, councils, committees.")


@api.get(
    "/organisations/{slug:slug}/",
    response={200: OrganisationDetail, **ERRORS},
    tags=["members"],
    summary="An organisation",
)
@in_language
def get_organisation(request, slug: str = Slug, lang: Language | None = None):
    """An organisation as its page shows it, with the positions it holds now."""
    organisation = get_object_or_404(Organisation.objects.defer("search_document", "staff_notes"), slug=slug)
    person = "representative__organisation"
    alliance = AlliancePosition.objects.current().filter(organisation=organisation).select_related(person)
    council = (
        CouncilSeat.objects.current()
        .filter(organisation=organisation)
        .select_related("office", person)
        .order_by("office__ordinal", Role.rank_expression(), "pk")
    )
    committees = (
        CommitteeSeat.objects.current()
        .filter(organisation=organisation)
        .select_related("committee__office", person)
        .order_by(Role.rank_expression(), "pk")
    )

    def position(body, item, office=None, committee=None):
        return {
            "body": body,
            "role": item.role,
            "role_label": str(Role(item.role).label),
            "office": link(request, office) if office else None,
            "committee": committee.name if committee else None,
            "representative": person_item(request, item.representative) if item.representative else None,
            "started_on": item.started_on,
        }

    return {
        **organisation_item(request, organisation),
        "description": organisation.description,
        "website": organisation.website_link,
        "languages": languages(organisation, "name", "short_name", "description"),
        "positions": [
            *(position("alliance", item) for item in alliance),
            *(position("council", item, office=item.office) for item in council),
            *(
                position("committee", item, office=item.committee.office, committee=item.committee)
                for item in committees
            ),
        ],
    }


# Events --------------------------------------------------------------------------------------

EventKindCode = Literal[tuple(EventKind.values)]


class EventItem(Output):
    id: int
    url: str = Field(description="The event's page on the site, in the language asked for.")
    api_url: str
    title: str = Field(description="Plain text.")
    summary: str = Field(description="Plain text.")
    kind: str
    starts_at: datetime
    ends_at: datetime
    venue: str = Field(description="Plain text.")
    cancelled: bool
    capacity: int | None = Field(description="Places; null for no limit.")
    places_left: int | None = Field(description="Places not yet taken by confirmed registrations; null for no limit.")
    registration_open: bool
    members_only: bool = Field(description="Only current member organisations may register.")
    cover: Image | None
    languages: dict[str, str]


class EventPage(Output):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[EventItem]


class EventFilters(Schema):
    page: int = Field(1, ge=1, le=100_000)
    when: Literal["upcoming", "past"] = Field(
        "upcoming", description="upcoming: not yet over, the soonest first; past: over, the latest first."
    )
    office: str = Field("", max_length=100, description="A district office's slug.")
    committee: str = Field("", max_length=100, description="A special committee's slug.")
    kind: EventKindCode | None = None
    lang: Language | None = None


class CommitteeRef(Output):
    slug: str
    name: str
    url: str
    languages: dict[str, str]


class EventDetail(EventItem):
    body_html: str = Field(description="The description: sanitised HTML (the editor's allow-list).")
    address: str = Field(description="Plain text.")
    online_url: str = Field(description="An http(s) address, or empty.")
    registration_closes_at: datetime
    requires_approval: bool
    full: bool = Field(description="No place left, or a waitlist already.")
    offices: list[Link]
    committees: list[CommitteeRef]
    organisations: list[Link]


def event_item(request, event, confirmed):
    return {
        "id": event.pk,
        "url": absolute(request, event.get_absolute_url()),
        "api_url": absolute(request, f"/api/v1/events/{event.pk}/"),
        "title": event.title,
        "summary": event.summary,
        "kind": event.kind,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "venue": event.venue,
        "cancelled": event.is_cancelled,
        "capacity": event.capacity,
        "places_left": event.places_left(confirmed),
        "registration_open": event.registration_is_open,
        "members_only": event.members_only,
        "cover": image(request, event, "cover", event.cover_alt),
        "languages": languages(event, "title", "summary", "venue"),
    }


@api.get("/events/", response={200: EventPage, **ERRORS}, tags=["events"], summary="Published events")
@in_language
def list_events(request, filters: Query[EventFilters]):
    """Published events (cancelled ones too, marked), upcoming or past, 20 a page, with places left."""
    events = Event.objects.published().for_listing()
    if filters.office:
        events = events.filter(offices__slug=filters.office)
    if filters.committee:
        events = events.filter(committees__slug=filters.committee)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    events = events.upcoming() if filters.when == "upcoming" else events.past()
    confirmed = Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED))
    events = events.annotate(confirmed_count=confirmed)
    name = f"api-events|{filters.when}|{filters.office}|{filters.committee}|{filters.kind}"
    page = page_of(request, events, name, filters.page)
    page["results"] = [event_item(request, event, event.confirmed_count) for event in page["results"]]
    return page


@api.get("/events/{int:event_id}/", response={200: EventDetail, **ERRORS}, tags=["events"], summary="An event")
@in_language
def get_event(request, event_id: int = ArticleId, lang: Language | None = None):
    """A published event with its places left; who registered is never shown."""
    event = get_object_or_404(
        Event.objects.published()
        .defer("search_document")
        .prefetch_related(
            "offices", Prefetch("committees", queryset=Committee.objects.select_related("office")), "organisations"
        ),
        pk=event_id,
    )
    counts = registration_counts(event)
    places_left = event.places_left(counts["confirmed"])
    return {
        **event_item(request, event, counts["confirmed"]),
        "languages": languages(event, "title", "summary", "venue", "body", "address"),
        "body_html": event.body,
        "address": event.address,
        "online_url": event.online_link,
        "registration_closes_at": event.registration_closes_at,
        "requires_approval": event.requires_approval,
        "full": places_left == 0 or counts["waitlisted"] > 0,
        "offices": [link(request, office) for office in event.offices.all()],
        "committees": [
            {
                "slug": committee.slug,
                "name": committee.name,
                "url": absolute(request, committee.get_absolute_url()),
                "languages": languages(committee, "name"),
            }
            for committee in event.committees.all()
        ],
        "organisations": [link(request, organisation) for organisation in event.organisations.all()],
    }
