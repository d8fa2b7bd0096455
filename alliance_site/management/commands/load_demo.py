from django.core.management.base import BaseCommand

from alliance_site.demo import DemoLoader


class Command(BaseCommand):
    help = "Load the demo content (the Wuzhong office founding article and all it names). Safe to repeat."

    def handle(self, *args, **options):
        DemoLoader(log=self.stdout.write).load()
