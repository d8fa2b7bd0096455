from django.conf import settings
from django.core.management.base import BaseCommand

from events.services import erase_personal_data


class Command(BaseCommand):
    help = (
        "Erase the personal data of registrants of events that ended more than EVENT_PERSONAL_DATA_DAYS "
        "days ago (names, organisations, job titles, mobile numbers, e-mail addresses); counts are kept. "
        "Run daily; safe to repeat."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="Days after an event's end (default: EVENT_PERSONAL_DATA_DAYS)."
        )

    def handle(self, *args, days=None, **options):
        days = settings.EVENT_PERSONAL_DATA_DAYS if days is None else days
        if days < 0:
            self.stderr.write("--days must be 0 or more.")
            return
        erased = erase_personal_data(days)
        self.stdout.write(f"{erased} registrations erased (events ended more than {days} days ago).")
