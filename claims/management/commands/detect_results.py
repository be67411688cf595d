from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditEntry
from audit.services import audit_record
from claims.exports import money
from claims.payments import claimable_for_run
from outcomes.models import ResultType
from outcomes.services import ResultsRefused, results_run
from tfp.csv_export import write_csv

HEADER = [
    "family_ref",
    "attached_on",
    *(result.value for result in ResultType),
    "claimable_amount",
]


class Command(BaseCommand):
    # Lives in claims, not outcomes, because claimable_amount depends on what was claimed.
    help = "Assess every attached family's results on a day and write them, with what could "
    "still be claimed, to a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="the CSV file to write")

    def handle(self, *args, **options):
        try:
            run = results_run(options["as_of"], trigger="command")
        except ResultsRefused as error:
            raise CommandError(str(error)) from error
        families = claimable_for_run(run)
        with open(options["out"], "w", newline="", encoding="utf-8") as out:
            count = write_csv(
                out,
                HEADER,
                (
                    (
                        family.ref,
                        family.attached_on.isoformat(),
                        *(family.family_results[result].state for result in ResultType),
                        money(family.amount),
                    )
                    for family in families
                ),
            )
        audit_record(
            action=AuditEntry.Action.EXPORT,
            obj=run,
            summary=f"Results as of {options['as_of']} exported to {options['out']}",
            details={"rows": count},
        )
        self.stdout.write(f"Wrote {count} families' results as of {run.as_of} to {options['out']}.")
