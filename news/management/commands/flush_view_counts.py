from django.core.management.base import BaseCommand

from news.counting import flush_view_counts


class Command(BaseCommand):
    help = (
        "Add the pending article views (in Redis, or in the database without Redis) to the stored counts. "
        "Run it every minute; it is safe to repeat and to run on several servers at once."
    )

    def handle(self, *args, **options):
        added = flush_view_counts()
        self.stdout.write(f"Views added: {sum(added.values())} (articles: {len(added)}).")
