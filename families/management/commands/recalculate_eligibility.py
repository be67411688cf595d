from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from families.identification import RunInProgress, recalculate_all
from tfp import clock


class Command(BaseCommand):
    help = (
        "Recalculate every household's eligibility as of a day (default: today) — the nightly job."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=date.fromisoformat, help="YYYY-MM-DD")

    def handle(self, *args, **options):
        as_of = options["as_of"] or clock.today()
        try:
            run = recalculate_all(as_of=as_of, trigger="command")
        except RunInProgress as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Eligibility as of {run.as_of}: {run.households_assessed} households assessed, "
            f"{run.households_meeting_any} meet a criterion, {run.households_eligible} eligible "
            f"({run.newly_eligible} newly, {run.no_longer_eligible} no longer, "
            f"{run.criteria_changed} with changed criteria)."
        )
