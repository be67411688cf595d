"""``manage.py seed_demo [--households N] [--reset-passwords]``: demo users and families."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from demo.services import DEFAULT_HOUSEHOLDS, demo_seed


class Command(BaseCommand):
    help = (
        "Create one demo user per role and a synthetic population (all made up). "
        "Does nothing if the demo users exist, unless --reset-passwords."
    )

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=DEFAULT_HOUSEHOLDS)
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the existing demo users new passwords (printed once).",
        )

    def handle(self, *args, households, reset_passwords, **options):
        seeded = demo_seed(households=households, reset_passwords=reset_passwords)
        if not seeded.created and not seeded.passwords:
            self.stdout.write(
                "The demo users already exist: nothing was done. "
                "Run with --reset-passwords to give them new passwords."
            )
            return
        if seeded.created:
            for batch in seeded.batches:
                self.stdout.write(
                    f"Imported {batch.kind}: {batch.rows_created} rows ({batch.file_name})."
                )
            self.stdout.write(
                f"Eligibility as of {seeded.batches[0].as_of}: "
                f"{seeded.households_eligible} families eligible; "
                f"{len(seeded.attached)} attached to the demo key workers."
            )
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING(
                "Demo sign-ins. The passwords are shown this once and stored nowhere else:"
            )
        )
        for username, (role, password) in seeded.passwords.items():
            self.stdout.write(f"  {username:<20} {role.label:<16} {password}")
