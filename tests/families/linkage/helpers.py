"""Importing identified files in tests, as ``import_data … --source`` does."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

AS_OF = "2014-06-01"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def import_file(kind: str, path: Path, *, source: str = "", as_of: str = AS_OF) -> str:
    out = io.StringIO()
    args = [kind, str(path), "--as-of", as_of] + (["--source", source] if source else [])
    call_command("import_data", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def import_rejected(kind: str, path: Path, *, source: str = "", as_of: str = AS_OF) -> str:
    err = io.StringIO()
    args = [kind, str(path), "--as-of", as_of] + (["--source", source] if source else [])
    with pytest.raises(CommandError) as raised:
        call_command("import_data", *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue() + str(raised.value)


GIVEN = ["Oliver", "Amelia", "Harry", "Isla", "Thomas", "Grace", "Noah", "Ruby", "Arthur", "Ivy"]
FAMILY = ["Fakeworth", "Madeupson", "Samplerby", "Testingley", "Mockford", "Dummyham"]


def crowd(count: int) -> list[tuple[str, str, str, str, str]]:
    """``count`` made-up people, all different: (person_ref, given, family, birth, postcode)."""
    return [
        (
            f"P9{number:04d}",
            GIVEN[number % len(GIVEN)],
            FAMILY[(number // len(GIVEN)) % len(FAMILY)],
            (date(1950, 1, 1) + timedelta(days=137 * number)).isoformat(),
            f"ZZ{number % 9 + 1} {number % 10}AB",
        )
        for number in range(count)
    ]


def crowd_people(count: int) -> str:
    """People rows (no header; the columns of people.csv) for the index."""
    return "".join(
        f"H9{ref[2:]},{ref},{given},{family},{born},U,{postcode},,\n"
        for ref, given, family, born, postcode in crowd(count)
    )


def crowd_offences(count: int) -> str:
    """A police copy of the crowd's first ``count`` people without identifiers (the columns
    source_person_id, given_name, family_name, date_of_birth, postcode, nino, upn, then the
    offence), so that the matcher has a file's worth of records to train on."""
    return "".join(
        f"C{ref[1:]},{given},{family},{born},{postcode},,,R{ref},2014-01-01,,theft\n"
        for ref, given, family, born, postcode in crowd(count)
    )
