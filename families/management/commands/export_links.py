"""``manage.py export_links --out FILE.csv`` (linkage.md, "Command line")."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from audit.models import AuditEntry
from audit.services import audit_record
from families.linkage.selectors import LINK_EXPORT_HEADER, link_export_rows
from tfp.csv_export import write_csv


class Command(BaseCommand):
    help = "Write every source person's link (status, person, method, probability) to a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the CSV file to write")

    def handle(self, *args, out, **options):
        with open(out, "w", newline="", encoding="utf-8") as handle:
            count = write_csv(handle, LINK_EXPORT_HEADER, link_export_rows())
        audit_record(
            action=AuditEntry.Action.EXPORT,
            summary=f"Links exported to {out}",
            details={"rows": count},
        )
        self.stdout.write(f"Wrote {count} source persons to {out}.")
