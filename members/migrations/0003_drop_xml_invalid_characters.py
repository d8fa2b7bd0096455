from django.db import migrations

from core.text import clean_stored_text


def drop_xml_invalid_characters(apps, schema_editor):
    """Rows saved before text was cleaned on save lose the characters XML cannot carry."""
    clean_stored_text(apps.get_app_config("members").get_models())


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_search_vector"),
    ]

    operations = [migrations.RunPython(drop_xml_invalid_characters, migrations.RunPython.noop)]
