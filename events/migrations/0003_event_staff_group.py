from django.db import migrations

from core.groups import ALL_ACTIONS, EVENT_STAFF, grant, remove

EVENT_STAFF_PERMISSIONS = [
    ("events", "event", [*ALL_ACTIONS, "publish_event", "check_in_registration"]),
    # Registrations come from the public form; staff approve, cancel, correct and export them.
    ("events", "registration", ["change", "view"]),
    # Read-only, to name the offices, committees and organisations organising an event.
    ("offices", "office", ["view"]),
    ("offices", "committee", ["view"]),
    ("members", "organisation", ["view"]),
]


def create_group(apps, schema_editor):
    grant(apps, EVENT_STAFF, EVENT_STAFF_PERMISSIONS)


def delete_group(apps, schema_editor):
    remove(apps, EVENT_STAFF)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_search_vector"),
        ("members", "0002_search_vector"),
        ("offices", "0002_search_vector"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
