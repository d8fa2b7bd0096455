from functools import reduce
from operator import or_
from string import ascii_lowercase
from urllib.parse import urlsplit

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, Lower, NullIf, Substr
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from pilkit.processors import ResizeToFit

from core.images import UprightImageField, add_renditions, rendition_spec
from core.models import unique_slug
from core.text import TraditionalFilledModel, pinyin_slug, pinyin_sort_key, search_document
from core.uploads import UploadPath, validate_image_upload


class Role(models.TextChoices):
    """Positions an organisation can hold, in rank order (the order of declaration)."""

    CO_PRESIDENT = "co_president", _("Co-Chair")
    PRESIDENT = "president", _("President")
    EXECUTIVE_VICE_PRESIDENT = "executive_vice_president", _("Executive Vice-President")
    VICE_PRESIDENT = "vice_president", _("Vice-President")
    SECRETARY_GENERAL = "secretary_general", _("Secretary-General")
    DIRECTOR = "director", _("Director")
    MEMBER = "member", _("Member")
    CHAIR = "chair", _("Chair")
    DEPUTY_CHAIR = "deputy_chair", _("Deputy Chair")

    @property
    def rank(self):
        return list(Role).index(self)

    @classmethod
    def rank_expression(cls, field="role"):
        """An ORDER BY expression that sorts rows by role rank."""
        return Case(
            *(When(**{field: role.value}, then=Value(role.rank)) for role in cls),
            default=Value(len(cls)),
            output_field=models.IntegerField(),
        )

    @classmethod
    def alliance_roles(cls):
        return [
            cls.CO_PRESIDENT,
            cls.EXECUTIVE_VICE_PRESIDENT,
            cls.VICE_PRESIDENT,
            cls.SECRETARY_GENERAL,
            cls.DIRECTOR,
            cls.MEMBER,
        ]

    @classmethod
    def council_roles(cls):
        return [cls.PRESIDENT, cls.VICE_PRESIDENT, cls.SECRETARY_GENERAL, cls.DIRECTOR]

    @classmethod
    def committee_roles(cls):
        return [cls.CHAIR, cls.DEPUTY_CHAIR, cls.MEMBER]


class TermQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)

    def past(self):
        return self.filter(ended_on__isnull=False)

    def by_rank(self):
        return self.order_by(Role.rank_expression(), "sort_order", "started_on", "pk")


class Term(models.Model):
    """A position held for a term. A seat is current until its term is ended (members.services.end_term)."""

    started_on = models.DateField(_("term started"), null=True, blank=True)
    ended_on = models.DateField(
        _("term ended"),
        null=True,
        blank=True,
        help_text=_("Leave empty while the term runs. Ending a term keeps it in the history."),
    )
    sort_order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Order among seats of the same role.")
    )

    objects = TermQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_current(self):
        return self.ended_on is None

    @classmethod
    def term_constraints(cls, prefix):
        return [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(started_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name=f"{prefix}_term_ends_after_start",
                violation_error_message=_("A term cannot end before it starts."),
            )
        ]


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    TELECOM_OPERATOR = "telecom_operator", _("Telecom operator")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    UNIVERSITY = "university", _("University")
    GOVERNMENT = "government", _("Government body")
    ASSOCIATION = "association", _("Association")
    OTHER = "other", _("Other")


class OrganisationQuerySet(models.QuerySet):
    def members(self):
        """The one definition of the public member directory."""
        return self.filter(is_member=True)

    def alphabetical(self):
        """A-Z in the current language (see `alphabetical_key`), each row with its `sort_name`."""
        return self.annotate(sort_name=alphabetical_key()).order_by("sort_name", "pk")

    def holding(self, role, *elsewhere):
        """Organisations currently holding `role` in the alliance or in any of `elsewhere`.

        Args:
            role: a `Role` value.
            *elsewhere: querysets of organisation ids holding `role` in bodies that apps above
                members know (offices.models.role_holders gives the councils' and committees').
        Returns:
            This queryset, filtered.
        """
        alliance = AlliancePosition.objects.current().filter(role=role, organisation__isnull=False)
        holders = Q(pk__in=alliance.values("organisation"))
        for ids in elsewhere:
            holders |= Q(pk__in=ids)
        return self.filter(holders)

    def initials(self):
        """The headings these organisations sort under, in order: '#' (names not in A-Z), then A-Z."""
        firsts = self.order_by().values_list(Substr(alphabetical_key(), 1, 1), flat=True).distinct()
        return sorted({initial_of(first) for first in firsts})

    def starting_with(self, initial):
        """Organisations sorted under `initial`: a letter A-Z, or '#' for names not in A-Z."""
        organisations = self.alias(initial_key=alphabetical_key())
        if initial == OTHER_INITIAL:
            in_a_to_z = reduce(or_, (Q(initial_key__startswith=letter) for letter in ascii_lowercase))
            return organisations.exclude(in_a_to_z)
        return organisations.filter(initial_key__startswith=initial.lower())


def alphabetical_key(relation=""):
    """What organisation names sort by: the pinyin of the Chinese name (so 阿 comes before 中),
    and on English pages the English name, or the pinyin where there is none.

    `relation` reaches the organisation from another model, e.g. "organisation__".
    """
    pinyin = F(f"{relation}name_sort_key")
    if get_language() != "en":
        return pinyin
    return Lower(Coalesce(NullIf(f"{relation}name_en", Value("")), pinyin))


class Organisation(TraditionalFilledModel):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=100, blank=True, help_text=_("The name used in running text, e.g. 移动.")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("Part of the page address. Left empty, it is made from the pinyin of the name."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind, default=OrganisationKind.ENTERPRISE)
    logo = UprightImageField(
        _("logo"),
        upload_to=UploadPath("logos/%Y/", fallback="logo"),
        max_length=255,
        blank=True,
        width_field="logo_width",
        height_field="logo_height",
        validators=[validate_image_upload],
    )
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_web = rendition_spec("logo", ResizeToFit(320, 160, upscale=False), "webp", {"quality": 85})
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    public_contact = models.CharField(
        _("public contact"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the organisation's page: a telephone number or an address for enquiries."),
    )
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        help_text=_("统一社会信用代码 (GB 32100-2015), 18 characters. Applications to join are matched by it."),
    )
    is_member = models.BooleanField(
        _("alliance member"),
        default=False,
        db_index=True,
        help_text=_("Members are listed in the public member directory."),
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    name_sort_key = models.CharField(_("pinyin sort key"), max_length=200, editable=False, db_index=True)
    staff_notes = models.TextField(
        _("staff notes"), blank=True, help_text=_("Internal: sources, doubts, contacts. Never shown publicly.")
    )
    search_document = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_sort_key", "pk"]
        indexes = [models.Index(fields=["is_member", "name_sort_key"], name="organisation_directory_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="organisation_unique_credit_code",
                violation_error_message=_("Another organisation has this unified social credit code."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:organisation-detail", kwargs={"slug": self.slug})

    @property
    def monogram(self):
        """What stands in for a missing logo: the first character of the short name, else of the name."""
        return (self.short_name or self.name or "?")[:1].upper()

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def initial(self):
        """The A-Z heading the organisation is listed under (in the language it was listed in)."""
        return initial_of(getattr(self, "sort_name", self.name_sort_key))

    @property
    def website_link(self):
        """The website as a link target: only an http(s) address (rows saved in code skip form validation)."""
        return self.website if urlsplit(self.website).scheme in ("http", "https") else ""

    def derive(self, taken_slugs=None):
        """Slug (pinyin of the name, when empty), pinyin sort key and search document.

        `taken_slugs`: for bulk writes, the set `core.models.unique_slug` takes.
        """
        if not self.slug:
            base = pinyin_slug(self.name_zh_hans or self.name) or "organisation"
            self.slug = unique_slug(type(self), base, self.pk, taken_slugs)
        self.name_sort_key = pinyin_sort_key(self.name_zh_hans or self.name)
        self.search_document = search_document(
            self.name_zh_hans, self.name_en, self.short_name_zh_hans, self.short_name_en, self.name_sort_key
        )
        return super().derive() | {"slug", "name_sort_key", "search_document"}


# Logos are shown small (a strip on the home page, the directory, the organisation's page head).
LOGO_WIDTHS = (160, 320, 640)
add_renditions(Organisation, "logo", widths=LOGO_WIDTHS)


class Person(TraditionalFilledModel):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, blank=True)
    photo = UprightImageField(
        _("photo"),
        upload_to=UploadPath("people/%Y/", fallback="photo"),
        max_length=255,
        blank=True,
        validators=[validate_image_upload],
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        help_text=_("Current employer, if known."),
    )
    job_title = models.CharField(_("job title"), max_length=100, blank=True, help_text=_("e.g. 总经理"))
    name_sort_key = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_sort_key", "pk"]

    def __str__(self):
        return self.name

    def derive(self, taken_slugs=None):
        """Slug (pinyin of the name, when empty) and pinyin sort key; see Organisation.derive."""
        if not self.slug:
            self.slug = unique_slug(
                type(self), pinyin_slug(self.name_zh_hans or self.name) or "person", self.pk, taken_slugs
            )
        self.name_sort_key = pinyin_sort_key(self.name_zh_hans or self.name)
        return super().derive() | {"slug", "name_sort_key"}


class AlliancePosition(Term):
    """An alliance-level position (联席会长, 常务副会长 ...) held by an organisation or a person."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alliance_positions",
    )
    representative = models.ForeignKey(
        Person,
        verbose_name=_("representative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alliance_positions",
    )
    role = models.CharField(_("role"), max_length=30, choices=[(r.value, r.label) for r in Role.alliance_roles()])

    class Meta:
        verbose_name = _("alliance position")
        verbose_name_plural = _("alliance positions")
        ordering = [Role.rank_expression(), "sort_order", "pk"]
        constraints = [
            *Term.term_constraints("allianceposition"),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(representative__isnull=False),
                name="allianceposition_has_holder",
                violation_error_message=_("Choose an organisation, a representative or both."),
            ),
        ]

    def __str__(self):
        holder = self.representative or self.organisation
        return f"{Role(self.role).label}: {holder}"


OTHER_INITIAL = "#"


def initial_of(sort_key):
    """'lang chao ...' -> 'L'; a key that does not start with a letter a-z -> '#'."""
    first = (sort_key or "")[:1].lower()
    return first.upper() if first and first in ascii_lowercase else OTHER_INITIAL
