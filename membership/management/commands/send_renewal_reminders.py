from django.core.management.base import BaseCommand

from membership.services import send_renewal_reminders


class Command(BaseCommand):
    help = (
        "E-mail liaisons before their membership period ends and after it lapses. Each reminder is "
        "recorded, so running it daily (cron) sends none twice."
    )

    def handle(self, *args, **options):
        sent = send_renewal_reminders()
        self.stdout.write(
            f"Renewal reminders sent: {sent['before_end']} before the period ends, {sent['lapsed']} after lapsing."
        )
