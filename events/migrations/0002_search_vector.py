from django.db import migrations

from core.search import AddSearchVector


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [AddSearchVector("event")]
