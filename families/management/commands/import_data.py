"""``manage.py import_data KIND FILE [--as-of YYYY-MM-DD]`` (data-formats.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from families.imports import KINDS, extract_import
from families.models import ImportBatch


def report_lines(batch: ImportBatch) -> list[str]:
    """The rejection report, one line per problem: ``line N, column C: message``."""
    lines = []
    for problem in batch.errors:
        where = f"line {problem['line']}"
        if problem["column"]:
            where += f", column {problem['column']}"
        lines.append(f"{where}: {problem['message']}")
    if batch.error_count > len(batch.errors):
        lines.append(f"… and {batch.error_count - len(batch.errors)} more problems.")
    return lines


class Command(BaseCommand):
    help = "Import one partner extract (CSV) of one kind, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="The day the extract describes (YYYY-MM-DD); default today in Europe/London.",
        )

    def handle(self, *args, kind, file, as_of, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        batch = extract_import(kind=kind, path=file, as_of=as_of)
        if batch.status != ImportBatch.Status.SUCCEEDED:
            for line in report_lines(batch):
                self.stderr.write(line)
            raise CommandError(
                f"{file.name} was rejected ({batch.error_count} problem(s) in "
                f"{batch.rows_rejected} row(s)); nothing was imported."
            )
        self.stdout.write(
            f"{file.name}: {batch.rows_read} rows read, {batch.rows_created} created, "
            f"{batch.rows_updated} updated, {batch.rows_unchanged} unchanged."
        )
