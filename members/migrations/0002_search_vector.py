from django.db import migrations

from alliance_site.search import AddSearchVector


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [AddSearchVector("organisation")]
