from django.conf import settings
from django.core.management.base import BaseCommand

from membership.services import erase_rejected_applications


class Command(BaseCommand):
    help = (
        "Erase the contact person and licence of applications rejected more than "
        "MEMBERSHIP_APPLICATION_RETENTION_DAYS ago (Personal Information Protection Law). Safe to run daily."
    )

    def handle(self, *args, **options):
        count = erase_rejected_applications()
        days = settings.MEMBERSHIP_APPLICATION_RETENTION_DAYS
        self.stdout.write(f"Personal data erased from {count} application(s) rejected more than {days} days ago.")
