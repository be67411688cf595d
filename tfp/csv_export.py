"""CSV exports that are safe to open in a spreadsheet (data-formats.md).

Every export of the service (files and streamed downloads) writes through this module, so
the formula guard and the line endings are the same everywhere.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import IO

from django.http import StreamingHttpResponse

# A cell starting with one of these would be read as a formula by a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# CRLF line ends (RFC 4180) also make the writer quote a cell holding a lone CR.
LINE_END = "\r\n"


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
    writer = csv.writer(out, lineterminator=LINE_END)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([guard_cell(value) for value in row])
        count += 1
    return count


class _Echo:
    """A file-like object whose ``write`` hands the line back, for a streamed CSV."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    writer = csv.writer(_Echo(), lineterminator=LINE_END)
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([guard_cell(value) for value in row])


def csv_download(filename: str, header: list[str], rows: Iterable[Iterable[object]]):
    """A streamed CSV download: rows are written as they are read, never all held at once."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
