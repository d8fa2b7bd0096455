import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from alliance_site.demo import DEMO_LIAISON


def ensure_password(user, password_path):
    """The password kept in `password_path` for `user`; a new one (written there first, then set)
    when the file is missing or no longer matches. Returns it."""
    password = password_path.read_text().strip() if password_path.exists() else ""
    if user.pk is None or not password or not user.check_password(password):
        password = secrets.token_urlsafe(12)
        try:  # before the user is saved, so that a failure changes nothing
            password_path.write_text(password + "\n")
            password_path.chmod(0o600)
        except OSError as error:
            raise CommandError(f"Cannot write the password to {password_path}: {error.strerror}.") from None
        user.set_password(password)
        user.save()
    return password


class Command(BaseCommand):
    help = (
        "Create the local admin user with a generated password, kept in an untracked file, and print it; "
        "print the demo liaison's login too when the demo content is loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password-file", default=".admin-password")
        parser.add_argument("--liaison-password-file", default=".liaison-password")

    def handle(self, *args, username, password_file, liaison_password_file, **options):
        if not username.strip():
            raise CommandError("Give a username (--username NAME).")
        User = get_user_model()
        user = User.objects.filter(username=username).first() or User(username=username, email=f"{username}@localhost")
        if not (user.is_staff and user.is_superuser and user.is_active):
            user.is_staff = user.is_superuser = user.is_active = True
            if user.pk:
                user.save()
        password = ensure_password(user, Path(password_file))
        self.stdout.write(f"Admin login: http://127.0.0.1:8000/admin/  user: {username}  password: {password}")
        liaison = User.objects.filter(username=DEMO_LIAISON, liaison__isnull=False).first()
        if liaison is not None:
            password = ensure_password(liaison, Path(liaison_password_file))
            self.stdout.write(
                f"Liaison login: http://127.0.0.1:8000/portal/  user: {DEMO_LIAISON}  password: {password}"
            )
