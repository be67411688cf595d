"""CSV exports that are safe to open in a spreadsheet (data-formats.md)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO

# A cell starting with one of these would be read as a formula by a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(value: object) -> str:
    """Text as given, except that a would-be formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(out: IO[str], header: list[str], rows: Iterable[Iterable[object]]) -> int:
    """Write ``header`` and guarded ``rows``; returns the number of data rows written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([guard_cell(value) for value in row])
        count += 1
    return count
