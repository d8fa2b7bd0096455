"""CSV / XLSX import and export of organisations (django-import-export).

Rows are matched by slug. Every row is validated like an admin form (full_clean), and an import
with any invalid row saves nothing: see `import_rows`.
"""

from import_export import resources

from members.models import Organisation


class OrganisationResource(resources.ModelResource):
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
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False


def import_rows(resource, dataset, dry_run):
    """Import `dataset` all or nothing: any error or invalid row rolls the whole import back.

    Returns the import-export Result, whose rows carry their numbers and errors.
    """
    return resource.import_data(
        dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True, raise_errors=False
    )
