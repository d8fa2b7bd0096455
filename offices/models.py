from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from pilkit.processors import ResizeToFill

from core.images import UprightImageField, rendition_spec
from core.models import unique_slug
from core.text import TraditionalFilledModel, pinyin_slug, search_document
from core.uploads import UploadPath, validate_image_upload
from members.models import Organisation, Person, Role, Term


class OfficeQuerySet(models.QuerySet):
    def with_member_count(self):
        current = Q(memberships__left_on__isnull=True)
        return self.annotate(member_count=Count("memberships", filter=current, distinct=True))


class Office(TraditionalFilledModel):
    """A district office (办事处) of the alliance."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=100, blank=True, help_text=_("e.g. 吴中区办事处"))
    slug = models.SlugField(_("slug"), max_length=100, unique=True, blank=True)
    district = models.CharField(_("district"), max_length=100)
    ordinal = models.PositiveSmallIntegerField(
        _("ordinal"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("The alliance's 1st, 2nd ... office, in order of founding."),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    venue = models.CharField(_("founding venue"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    uses_alliance_charter = models.BooleanField(
        _("uses the alliance charter"),
        default=True,
        help_text=_("Untick when the office has a charter of its own, and give its text."),
    )
    charter_text = models.TextField(_("own charter"), blank=True)
    cover = UprightImageField(
        _("cover photo"),
        upload_to=UploadPath("offices/%Y/", fallback="cover"),
        max_length=255,
        blank=True,
        validators=[validate_image_upload],
    )
    cover_web = rendition_spec("cover", ResizeToFill(1200, 630), "webp", {"quality": 82})
    founding_member_count = models.PositiveIntegerField(
        _("member units at founding"),
        null=True,
        blank=True,
        help_text=_("As announced at the founding (首批会员单位). The live roster is kept separately."),
    )
    founding_council_size = models.PositiveSmallIntegerField(
        _("council size at founding"),
        null=True,
        blank=True,
        help_text=_("As announced at the founding, including seats whose holders were not named."),
    )
    search_document = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("district office")
        verbose_name_plural = _("district offices")
        ordering = ["ordinal", "pk"]

    def __str__(self):
        return self.short_name or self.name

    @property
    def str_field(self):
        """The translated field `str()` shows, for marking its language (templates' lang_attr)."""
        return "short_name" if self.short_name else "name"

    def get_absolute_url(self):
        return reverse("offices:office-detail", kwargs={"slug": self.slug})

    def clean(self):
        if not self.uses_alliance_charter and not self.charter_text_zh_hans:
            raise ValidationError(
                {"charter_text_zh_hans": _("Give the office's own charter, or tick “uses the alliance charter”.")}
            )

    def derive(self, taken_slugs=None):
        """Slug (pinyin of the short name, when empty) and search document; see Organisation.derive."""
        if not self.slug:
            base = pinyin_slug(self.short_name_zh_hans or self.name_zh_hans) or "office"
            self.slug = unique_slug(type(self), base, self.pk, taken_slugs)
        self.search_document = search_document(
            self.name_zh_hans, self.name_en, self.short_name_zh_hans, self.district_zh_hans, self.district_en
        )
        return super().derive() | {"slug", "search_document"}


class CouncilSeat(Term):
    """A seat on an office's council (理事会), held by a member organisation."""

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="council_seats")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="council_seats"
    )
    role = models.CharField(_("role"), max_length=30, choices=[(r.value, r.label) for r in Role.council_roles()])
    representative = models.ForeignKey(
        Person,
        verbose_name=_("representative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_seats",
    )

    class Meta:
        verbose_name = _("council seat")
        verbose_name_plural = _("council seats")
        ordering = [Role.rank_expression(), "sort_order", "pk"]
        constraints = [
            *Term.term_constraints("councilseat"),
            models.UniqueConstraint(
                fields=["office"],
                condition=Q(role=Role.PRESIDENT, ended_on__isnull=True),
                name="one_current_president_per_office",
                violation_error_message=_(
                    "An office can have only one current president: end the other president’s term first."
                ),
            ),
            models.UniqueConstraint(
                fields=["office"],
                condition=Q(role=Role.SECRETARY_GENERAL, ended_on__isnull=True),
                name="one_current_secretary_general_per_office",
                violation_error_message=_(
                    "An office can have only one current secretary-general: end the other term first."
                ),
            ),
            models.UniqueConstraint(
                fields=["office", "organisation"],
                condition=Q(ended_on__isnull=True),
                name="one_current_council_seat_per_organisation",
                violation_error_message=_(
                    "An organisation can hold only one current seat on a council: end its other seat’s term first."
                ),
            ),
            models.CheckConstraint(condition=Q(role__in=Role.council_roles()), name="councilseat_role_is_council_role"),
        ]
        indexes = [models.Index(fields=["office", "ended_on"], name="councilseat_office_current_idx")]

    def __str__(self):
        return f"{self.office} · {Role(self.role).label} · {self.organisation}"


class Committee(TraditionalFilledModel):
    """A special committee (专委会); alliance-level when it belongs to no office."""

    office = models.ForeignKey(
        Office, verbose_name=_("office"), null=True, blank=True, on_delete=models.PROTECT, related_name="committees"
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, blank=True)
    focus = models.TextField(_("focus"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("special committee")
        verbose_name_plural = _("special committees")
        ordering = ["founded_on", "pk"]

    def __str__(self):
        return self.name

    @property
    def str_field(self):
        """The translated field `str()` shows, for marking its language (templates' lang_attr)."""
        return "name"

    def get_absolute_url(self):
        if self.office_id:
            return f"{self.office.get_absolute_url()}#committee-{self.slug}"
        return reverse("offices:office-list") + f"#committee-{self.slug}"

    def derive(self, taken_slugs=None):
        """Slug (pinyin of the short name, when empty); see Organisation.derive."""
        if not self.slug:
            base = pinyin_slug(self.short_name_zh_hans or self.name_zh_hans) or "committee"
            self.slug = unique_slug(type(self), base, self.pk, taken_slugs)
        return super().derive() | {"slug"}


class CommitteeSeat(Term):
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="seats"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="committee_seats"
    )
    role = models.CharField(_("role"), max_length=30, choices=[(r.value, r.label) for r in Role.committee_roles()])
    representative = models.ForeignKey(
        Person,
        verbose_name=_("representative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_seats",
    )

    class Meta:
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")
        ordering = [Role.rank_expression(), "sort_order", "pk"]
        constraints = [
            *Term.term_constraints("committeeseat"),
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(role=Role.CHAIR, ended_on__isnull=True),
                name="one_current_chair_per_committee",
                violation_error_message=_(
                    "A committee can have only one current chair: end the other chair’s term first."
                ),
            ),
            models.UniqueConstraint(
                fields=["committee", "organisation"],
                condition=Q(ended_on__isnull=True),
                name="one_current_committee_seat_per_organisation",
                violation_error_message=_(
                    "An organisation can hold only one current seat on a committee: end its other seat’s term first."
                ),
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.committee_roles()), name="committeeseat_role_is_committee_role"
            ),
        ]

    def __str__(self):
        return f"{self.committee} · {Role(self.role).label} · {self.organisation}"


class OfficeMembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(left_on__isnull=True)


class OfficeMembership(models.Model):
    """A member unit (会员单位) of an office: the live roster that every count is taken from."""

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="office_memberships"
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    batch = models.PositiveSmallIntegerField(
        _("batch"), null=True, blank=True, help_text=_("1 for the first batch (首批) of member units.")
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = OfficeMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("office member unit")
        verbose_name_plural = _("office member units")
        ordering = ["organisation__name_sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "organisation"],
                condition=Q(left_on__isnull=True),
                name="one_current_membership_per_office",
                violation_error_message=_("This organisation is already a member unit of this office."),
            ),
        ]

    def __str__(self):
        return f"{self.office} · {self.organisation}"


def role_holders(role):
    """The ids of organisations holding `role` on a council or a committee now.

    Args:
        role: a `members.models.Role` value.
    Returns:
        Two querysets of organisation ids, for `OrganisationQuerySet.holding(role, *role_holders(role))`.
    """
    return (
        CouncilSeat.objects.current().filter(role=role).values("organisation"),
        CommitteeSeat.objects.current().filter(role=role).values("organisation"),
    )
