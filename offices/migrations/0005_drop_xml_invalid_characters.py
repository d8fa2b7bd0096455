from django.db import migrations

from core.text import clean_stored_text


def drop_xml_invalid_characters(apps, schema_editor):
    """Rows saved before text was cleaned on save lose the characters XML cannot carry."""
    clean_stored_text(apps.get_app_config("offices").get_models())


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0004_constraint_messages"),
    ]

    operations = [migrations.RunPython(drop_xml_invalid_characters, migrations.RunPython.noop)]
