"""``manage.py import_data KIND FILE [--source NAME] [--as-of YYYY-MM-DD]`` (data-formats.md,
linkage.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from families.imports import KINDS, extract_import
from families.models import ImportBatch, LinkMethod


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
        parser.add_argument(
            "--source",
            default="",
            help="The partner system an identified file (source_person_id, no person_ref) "
            "came from: lowercase letters, digits and _, e.g. county_police.",
        )

    def handle(self, *args, kind, file, as_of, source, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            batch = extract_import(kind=kind, path=file, as_of=as_of, source=source)
        except ValueError as error:
            raise CommandError(str(error)) from None
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
        if batch.linking:
            self.stdout.write(linking_line(batch.linking))


def linking_line(linking: dict) -> str:
    """``Source persons: 12 linked (8 by nino, …), 2 possible matches, 1 unlinked.``"""
    by_method = linking["linked"]
    linked = sum(by_method.values())
    methods = ", ".join(f"{by_method.get(method, 0)} by {method}" for method in LinkMethod.values)
    return (
        f"Source persons: {linked} linked ({methods}), {linking['possible']} possible "
        f"matches to review, {linking['unlinked']} unlinked."
    )
