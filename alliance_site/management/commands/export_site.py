from django.core.management.base import BaseCommand

from alliance_site.backup import export_site


class Command(BaseCommand):
    help = (
        "Write all content (members, offices, news, users and groups, edit history) and every media file "
        "into DIR, a new or empty directory. Restore with import_site."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *args, directory, **options):
        export_site(directory, log=self.stdout.write)
