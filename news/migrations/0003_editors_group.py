from django.db import migrations

from core.groups import ALL_ACTIONS, EDITORS, grant, remove

EDITOR_PERMISSIONS = [
    ("news", "category", ALL_ACTIONS),
    ("news", "article", [*ALL_ACTIONS, "publish_article"]),
    ("news", "articlephoto", ALL_ACTIONS),
    ("news", "attachment", ALL_ACTIONS),
    # Read-only, to link articles to the offices, organisations and people they are about.
    ("offices", "office", ["view"]),
    ("members", "organisation", ["view"]),
    ("members", "person", ["view"]),
]


def create_group(apps, schema_editor):
    grant(apps, EDITORS, EDITOR_PERMISSIONS)


def delete_group(apps, schema_editor):
    remove(apps, EDITORS)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0002_search_vector"),
        ("members", "0002_search_vector"),
        ("offices", "0002_search_vector"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
