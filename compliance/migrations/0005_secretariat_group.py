from django.db import migrations

from core.groups import ALL_ACTIONS, SECRETARIAT, grant, remove

SECRETARIAT_PERMISSIONS = [
    ("compliance", "sitesettings", ("add", "change", "view")),
    ("compliance", "privacypolicy", ALL_ACTIONS),
    ("compliance", "contactmessage", ("change", "delete", "view")),
]


def create_group(apps, schema_editor):
    grant(apps, SECRETARIAT, SECRETARIAT_PERMISSIONS)


def delete_group(apps, schema_editor):
    remove(apps, SECRETARIAT)


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0004_site_settings"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
