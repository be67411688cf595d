from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand

from audit.models import AuditEntry
from audit.services import audit_record
from families.eligibility import evaluate
from tfp.csv_export import write_csv

HEADER = [
    "family_ref",
    "crime_asb",
    "education",
    "work",
    "local_discretion",
    "criteria_met",
    "eligible",
    "reasons",
]


class Command(BaseCommand):
    help = "Write every household meeting at least one criterion on a day to a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="the CSV file to write")

    def handle(self, *args, **options):
        assessed = evaluate(options["as_of"])
        with open(options["out"], "w", newline="", encoding="utf-8") as out:
            count = write_csv(
                out,
                HEADER,
                (
                    (
                        a.ref,
                        a.crime_asb,
                        a.education,
                        a.work,
                        a.local_discretion,
                        a.criteria_met,
                        a.eligible,
                        a.reasons,
                    )
                    for a in assessed
                ),
            )
        audit_record(
            action=AuditEntry.Action.EXPORT,
            summary=f"Eligibility as of {options['as_of']} exported to {options['out']}",
            details={"rows": count},
        )
        self.stdout.write(f"Wrote {count} families to {options['out']}.")
