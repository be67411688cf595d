"""Getting an extract into PostgreSQL: the header is checked in Python, then the raw bytes
stream through COPY into a temporary staging table of text columns.

Nothing is parsed row by row in Python: a 1,000,000-row file costs what COPY costs. The
staging table numbers its rows so that every later check can name the line it found a
problem on (the header is line 1).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import psycopg

from families.imports.kinds import IDENTIFIED_KINDS, Kind

STAGING_TABLE = "import_staging"
CHUNK_SIZE = 1 << 20
# A header longer than this is not a header of ours; reading stops there.
MAX_HEADER_BYTES = 64 * 1024


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: the line (1 is the header), the column, what is wrong."""

    line: int
    column: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "column": self.column, "message": self.message}


class Rejected(Exception):
    """The file breaks the format: nothing of it may be written."""

    def __init__(
        self, problems: list[Problem], *, total: int | None = None, rows_rejected: int = 0
    ) -> None:
        super().__init__(f"{total or len(problems)} problem(s)")
        self.problems = problems
        self.total = len(problems) if total is None else total
        self.rows_rejected = rows_rejected
        # Set once the rows are staged, so a rejected batch still says how many it read.
        self.rows_read = 0


class HashingReader:
    """Reads a file in chunks, computing its SHA-256 on the way through."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._digest = hashlib.sha256()
        self.bytes_read = 0

    def read(self, size: int = CHUNK_SIZE) -> bytes:
        chunk = self._handle.read(size)
        self._digest.update(chunk)
        self.bytes_read += len(chunk)
        return chunk

    def hexdigest(self) -> str:
        """The file's digest, reading whatever has not been read yet."""
        while self.read():
            pass
        return self._digest.hexdigest()


def _header_names(path: Path) -> list[str]:
    with open(path, "rb") as handle:
        raw = handle.readline(MAX_HEADER_BYTES)
    if not raw.strip():
        raise Rejected([Problem(1, "", "The file is empty: it needs a header row.")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Rejected([Problem(1, "", "The header is not UTF-8 text.")]) from None
    return next(csv.reader([text.rstrip("\r\n")]))


def file_shape(path: Path, kind: Kind, *, source: str) -> Kind:
    """The shape the file's header says it has (linkage.md): ``kind`` itself for a
    referenced file (person_ref), its identified shape for a file naming the partner's own
    people (source_person_id), which needs the name of its ``source``."""
    names = {name.lower() for name in _header_names(path)}
    identified = IDENTIFIED_KINDS.get(kind.name)
    if identified is None or "source_person_id" not in names:
        if source:
            column = "person_ref" if "person_ref" in names else ""
            raise Rejected(
                [
                    Problem(
                        1,
                        column,
                        f"A source ({source}) is only for files that name the partner's own "
                        "people by source_person_id: import a file with person_ref without "
                        "a source.",
                    )
                ]
            )
        return kind
    if "person_ref" in names:
        raise Rejected(
            [
                Problem(
                    1,
                    "source_person_id",
                    "The header has both person_ref and source_person_id: a file names "
                    "either the council's people (person_ref) or the partner's own "
                    "(source_person_id with name and date of birth), not both.",
                )
            ]
        )
    if not source:
        raise Rejected(
            [
                Problem(
                    1,
                    "source_person_id",
                    "The file names the partner's own people (source_person_id): import it "
                    "with the name of the partner system it came from (its source).",
                )
            ]
        )
    return identified


def read_header(path: Path, kind: Kind) -> list[str]:
    """The kind's column names in the order the file gives them, or ``Rejected``.

    Names are matched exactly but in any case; a name the kind does not have is an error
    (a typo must not silently drop a column), and so is a required one that is missing.
    """
    names = _header_names(path)

    known = kind.column_names
    problems: list[Problem] = []
    found: list[str] = []
    for name in names:
        wanted = name.lower()
        if wanted not in known:
            problems.append(
                Problem(
                    1,
                    name,
                    f"is not a column of {kind.name} files (they have {', '.join(known)}).",
                )
            )
        elif wanted in found:
            problems.append(Problem(1, name, "appears more than once in the header."))
        else:
            found.append(wanted)
    for column in kind.columns:
        if column.name not in found and not column.optional:
            problems.append(Problem(1, column.name, "is missing from the header."))
    owner = kind.person_column
    if kind.person_or_household and not {owner, "household_ref"} & set(found):
        problems.append(Problem(1, owner, f"The header needs {owner} or household_ref (or both)."))
    if problems:
        raise Rejected(problems, rows_rejected=0)
    return found


def create_staging(cursor, kind: Kind) -> None:
    columns = ", ".join(f'"{name}" text' for name in kind.column_names)
    cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{STAGING_TABLE}")
    # The header is line 1, so the first row COPY reads is line 2.
    cursor.execute(
        f"CREATE TEMP TABLE {STAGING_TABLE} "
        f"(line bigint GENERATED ALWAYS AS IDENTITY (START WITH 2), {columns})"
    )


def drop_staging(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{STAGING_TABLE}")


def copy_into_staging(
    cursor, reader: HashingReader, columns: list[str], on_chunk: Callable[[int], None]
) -> None:
    """Stream the whole file (header included; COPY skips it) into the staging table.

    A row COPY cannot take (a ragged row, bytes that are not UTF-8, an unclosed quote)
    becomes ``Rejected`` naming its line.
    """
    names = ", ".join(f'"{name}"' for name in columns)
    statement = f"COPY {STAGING_TABLE} ({names}) FROM STDIN (FORMAT csv, HEADER true)"
    try:
        with cursor.copy(statement) as copy:
            while chunk := reader.read():
                copy.write(chunk)
                on_chunk(reader.bytes_read)
    except psycopg.errors.DataError as error:
        raise Rejected([_copy_problem(error)], rows_rejected=1) from None


_CONTEXT = re.compile(r"line (\d+)(?:, column (\w+))?")
_COPY_MESSAGES = [
    (re.compile(r"^extra data after last expected column"), "has more cells than the header."),
    (re.compile(r"^missing data for column"), "has fewer cells than the header."),
    (re.compile(r"^unterminated CSV quoted field"), "has a quote mark that is never closed."),
    (re.compile(r"^invalid byte sequence"), "is not UTF-8 text."),
]


def _copy_problem(error: psycopg.errors.DataError) -> Problem:
    found = _CONTEXT.search(error.diag.context or "")
    line = int(found.group(1)) if found else 0
    column = (found.group(2) or "") if found else ""
    primary = error.diag.message_primary or str(error)
    message = next(
        (friendly for pattern, friendly in _COPY_MESSAGES if pattern.search(primary)),
        f"could not be read: {primary}.",
    )
    return Problem(line, column, message)
