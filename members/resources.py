"""CSV / XLSX import and export of organisations (see core.resources)."""

from core.resources import AllOrNothingResource
from members.models import Organisation


class OrganisationResource(AllOrNothingResource):
    """Organisations, matched by slug; a row without a slug adds an organisation."""

    class Meta:
        model = Organisation
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name_zh_hans",
            "name_en",
            "name_zh_hant",
            "short_name_zh_hans",
            "short_name_en",
            "kind",
            "is_member",
            "joined_on",
            "website",
            "address_zh_hans",
            "address_en",
        ]
        skip_unchanged = True
        report_skipped = True
