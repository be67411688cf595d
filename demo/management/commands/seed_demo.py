"""``manage.py seed_demo [--households N] [--reset-passwords]``: demo users and families."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from demo.programme import ATTACHMENTS_FROM
from demo.services import DEFAULT_HOUSEHOLDS, DEMO_DAY, demo_seed


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
            imported = [b for b in seeded.batches if b.status == b.Status.SUCCEEDED]
            self.stdout.write(
                f"Imported {len(imported)} partner extracts "
                f"({sum(b.rows_created for b in imported):,} rows) from "
                f"{imported[0].as_of:%-d %B %Y} to {imported[-1].as_of:%-d %B %Y}."
            )
            self.stdout.write(
                f"{seeded.households_eligible} families eligible on {DEMO_DAY:%-d %B %Y}; "
                f"{len(seeded.attached)} attached since {ATTACHMENTS_FROM:%B %Y}; claim packs "
                + ", ".join(pack.window.name for pack in seeded.packs)
                + " paid."
            )
            self.stdout.write(
                f"The demo's service date is {DEMO_DAY:%-d %B %Y}: "
                f"run it with SERVICE_DATE={DEMO_DAY.isoformat()} (make run sets it)."
            )
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING(
                "Demo sign-ins. The passwords are shown this once and stored nowhere else:"
            )
        )
        for username, (role, password) in seeded.passwords.items():
            self.stdout.write(f"  {username:<20} {role.label:<16} {password}")
