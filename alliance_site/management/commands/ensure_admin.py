import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the local admin user with a generated password, kept in an untracked file, and print it."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password-file", default=".admin-password")

    def handle(self, *args, username, password_file, **options):
        if not username.strip():
            raise CommandError("Give a username (--username NAME).")
        password_path = Path(password_file)
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        password = password_path.read_text().strip() if password_path.exists() else ""
        if user is None or not password or not user.check_password(password):
            password = secrets.token_urlsafe(12)
            try:  # before the user is saved, so that a failure changes nothing
                password_path.write_text(password + "\n")
                password_path.chmod(0o600)
            except OSError as error:
                raise CommandError(f"Cannot write the password to {password_path}: {error.strerror}.") from None
            user = user or User(username=username, email=f"{username}@localhost")
            user.is_staff = user.is_superuser = user.is_active = True
            user.set_password(password)
            user.save()
        self.stdout.write(f"Admin login: http://127.0.0.1:8000/admin/  user: {username}  password: {password}")
