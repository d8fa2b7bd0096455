from django.db import migrations

from core.groups import ALL_ACTIONS, ROSTER_STAFF, grant, remove

ROSTER_PERMISSIONS = [
    ("members", "organisation", ALL_ACTIONS),
    ("members", "person", ALL_ACTIONS),
    ("members", "allianceposition", ALL_ACTIONS),
    ("offices", "office", ALL_ACTIONS),
    ("offices", "councilseat", ALL_ACTIONS),
    ("offices", "committee", ALL_ACTIONS),
    ("offices", "committeeseat", ALL_ACTIONS),
    ("offices", "officemembership", ALL_ACTIONS),
]


def create_group(apps, schema_editor):
    grant(apps, ROSTER_STAFF, ROSTER_PERMISSIONS)


def delete_group(apps, schema_editor):
    remove(apps, ROSTER_STAFF)


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0002_search_vector"),
        ("members", "0002_search_vector"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
