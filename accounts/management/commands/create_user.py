"""Create a user with a role. The password is read from standard input, never an argument."""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.roles import Role
from accounts.services import user_create


class Command(BaseCommand):
    help = "Create a user with one role. The password is read from standard input."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=", ".join(r.value for r in Role))
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args, **options):
        try:
            role = Role.parse(options["role"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        if get_user_model().objects.filter(username=options["username"]).exists():
            raise CommandError(f"A user called {options['username']!r} already exists.")
        password = self._read_password()
        try:
            user = user_create(
                username=options["username"],
                password=password,
                role=role,
                first_name=options["first_name"],
                last_name=options["last_name"],
                email=options["email"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Created {user.username} ({role.label}).")

    def _read_password(self) -> str:
        if sys.stdin.isatty():
            first = getpass.getpass("Password: ")
            if first != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
            return first
        lines = sys.stdin.read().splitlines()
        if not lines or not lines[0]:
            raise CommandError("Give the password on standard input.")
        if len(lines) > 1 and lines[1] and lines[1] != lines[0]:
            raise CommandError("The passwords do not match.")
        return lines[0]
