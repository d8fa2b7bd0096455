from django.core.management.base import BaseCommand

from alliance_site.backup import import_site


class Command(BaseCommand):
    help = (
        "Restore a backup written by export_site into an empty, migrated database and the media storage. "
        "All or nothing: a damaged backup changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *args, directory, **options):
        import_site(directory, log=self.stdout.write)
