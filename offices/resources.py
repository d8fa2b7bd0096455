"""CSV / XLSX import and export of office rosters: member units and council seats."""

from import_export import fields, resources, widgets

from members.models import Organisation, Person
from offices.models import CouncilSeat, Office, OfficeMembership


def _by_slug(model):
    return widgets.ForeignKeyWidget(model, field="slug")


class OfficeMembershipResource(resources.ModelResource):
    office = fields.Field(attribute="office", column_name="office", widget=_by_slug(Office))
    organisation = fields.Field(attribute="organisation", column_name="organisation", widget=_by_slug(Organisation))

    class Meta:
        model = OfficeMembership
        fields = ["id", "office", "organisation", "joined_on", "batch", "left_on"]
        clean_model_instances = True
        skip_unchanged = True


class CouncilSeatResource(resources.ModelResource):
    office = fields.Field(attribute="office", column_name="office", widget=_by_slug(Office))
    organisation = fields.Field(attribute="organisation", column_name="organisation", widget=_by_slug(Organisation))
    representative = fields.Field(attribute="representative", column_name="representative", widget=_by_slug(Person))

    class Meta:
        model = CouncilSeat
        fields = ["id", "office", "organisation", "role", "representative", "started_on", "ended_on", "sort_order"]
        clean_model_instances = True
        skip_unchanged = True
