"""CSV / XLSX import and export of office rosters: member units and council seats.

Rows are matched by id (empty for a new row); offices, organisations and people are named by
slug. The name columns are written for people reading the file and ignored on import.
"""

from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, widgets

from core.resources import AllOrNothingResource, slug_field
from members.models import Organisation, Person, Role
from offices.models import CouncilSeat, Office, OfficeMembership


class RoleWidget(widgets.Widget):
    """A council role given as its code (`vice_president`) or its label (副会长, Vice-President)."""

    def __init__(self, roles):
        super().__init__()
        self.roles = roles

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        for role in self.roles:
            labels = set()
            for language in ("zh-hans", "en", "zh-hant"):
                with translation.override(language):
                    labels.add(str(role.label).casefold())
            if text == role.value or text.casefold() in labels:
                return role.value
        allowed = ", ".join(role.value for role in self.roles)
        raise ValueError(
            _("“%(value)s” is not a council role; use one of: %(allowed)s.") % {"value": text, "allowed": allowed}
        )

    def render(self, value, obj=None, **kwargs):
        return value or ""


def name_column(attribute):
    return fields.Field(attribute=f"{attribute}__name_zh_hans", column_name=f"{attribute}_name", readonly=True)


class OfficeMembershipResource(AllOrNothingResource):
    office = slug_field("office", Office)
    organisation = slug_field("organisation", Organisation)
    organisation_name = name_column("organisation")

    class Meta:
        model = OfficeMembership
        fields = ["id", "office", "organisation", "organisation_name", "joined_on", "batch", "left_on"]
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return super().get_queryset().select_related("office", "organisation")


class CouncilSeatResource(AllOrNothingResource):
    office = slug_field("office", Office)
    organisation = slug_field("organisation", Organisation)
    organisation_name = name_column("organisation")
    role = fields.Field(attribute="role", column_name="role", widget=RoleWidget(Role.council_roles()))
    representative = slug_field("representative", Person)
    representative_name = name_column("representative")
    sort_order = fields.Field(
        attribute="sort_order", column_name="sort_order", widget=widgets.IntegerWidget(), default=0
    )

    class Meta:
        model = CouncilSeat
        fields = [
            "id",
            "office",
            "role",
            "organisation",
            "organisation_name",
            "representative",
            "representative_name",
            "started_on",
            "ended_on",
            "sort_order",
        ]
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return super().get_queryset().select_related("office", "organisation", "representative")
