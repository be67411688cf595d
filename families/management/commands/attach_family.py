from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from families.casefiles import AttachmentRefused, case_file_attach
from families.models import Household


class Command(BaseCommand):
    help = "Attach an eligible family to the programme with a key worker on a day."

    def add_arguments(self, parser):
        parser.add_argument("family_ref", help="the household_ref of the family")
        parser.add_argument("--key-worker", required=True, help="the key worker's username")
        parser.add_argument("--date", type=date.fromisoformat, required=True, help="YYYY-MM-DD")

    def handle(self, *args, **options):
        household = Household.objects.filter(ref=options["family_ref"]).first()
        if household is None:
            raise CommandError(f"No family with reference {options['family_ref']!r}.")
        key_worker = get_user_model().objects.filter(username=options["key_worker"]).first()
        if key_worker is None:
            raise CommandError(f"No user called {options['key_worker']!r}.")
        try:
            case_file = case_file_attach(
                household=household, key_worker=key_worker, attached_on=options["date"]
            )
        except AttachmentRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Attached {household.ref} on {case_file.attached_on} with {key_worker.username} "
            f"(baseline: {case_file.baseline_asb_events} ASB events, "
            f"{case_file.baseline_youth_offences} youth offences)."
        )
