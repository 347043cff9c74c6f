"""Demo accounts for `make run`: one per role, with a password made on this machine.

No default password exists anywhere: each account gets a random password the
first time, kept in the git-ignored file .demo-accounts beside manage.py.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from meetings.roles import CHAIR, SECRETARIAT

DEMO_ACCOUNTS = [
    # username, group, superuser
    ("chair", CHAIR, False),
    ("secretariat", SECRETARIAT, False),
    ("admin", None, True),
]


class Command(BaseCommand):
    help = "Create the demo accounts of each role (development only) and print how to sign in."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=settings.BASE_DIR / ".demo-accounts", help="Password file."
        )

    def handle(self, *args, file: Path, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for development only: set DJANGO_DEBUG=1.")
        passwords = read_passwords(file)
        User = get_user_model()
        for username, group_name, superuser in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(username=username)
            password = passwords.get(username)
            if created or password is None or not user.check_password(password):
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                passwords[username] = password
            user.is_staff = user.is_superuser = superuser
            user.is_active = True
            user.save()
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
        write_passwords(file, passwords)
        self.stdout.write(self.style.SUCCESS("Demo accounts (sign in at /accounts/login/):"))
        for username, group_name, _superuser in DEMO_ACCOUNTS:
            role = group_name or "superuser, Django admin at /admin/"
            self.stdout.write(f"  {username:<12} {passwords[username]:<18} {role}")


def read_passwords(file: Path) -> dict[str, str]:
    if not file.exists():
        return {}
    lines = (line.split("\t", 1) for line in file.read_text().splitlines() if "\t" in line)
    return {username: password for username, password in lines}


def write_passwords(file: Path, passwords: dict[str, str]) -> None:
    file.write_text("".join(f"{user}\t{password}\n" for user, password in passwords.items()))
    file.chmod(0o600)
