from django.db import migrations

from core.search import AddSearchVector


class Migration(migrations.Migration):
    dependencies = [("offices", "0001_initial")]

    operations = [AddSearchVector("office")]
