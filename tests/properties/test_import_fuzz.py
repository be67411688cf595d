"""Generated files thrown at every kind of import: random bytes, wrong encodings, byte-order
marks, enormous fields, spreadsheet formulas, ragged rows. Whatever arrives, the import ends
imported or rejected — never an unhandled error — and a rejected file writes nothing and
says what is wrong."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from families.imports import KINDS, extract_import
from families.imports.kinds import Type
from families.models import ImportBatch
from tests.factories import HouseholdFactory, PersonFactory

# Modest: CI runs the whole suite twice on two cores.
EXAMPLES = 20
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
KNOWN_PEOPLE = ["P900001", "P900002"]
KNOWN_HOUSEHOLDS = ["H900001"]
TABLES = [
    "families_household",
    "families_person",
    "families_membership",
    "families_attendance",
    "families_exclusion",
    "families_educationstatus",
    "families_offence",
    "families_asbevent",
    "families_benefitspell",
    "families_employmentspell",
    "families_workprogress",
    "families_concern",
]

hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "=cmd|' /C calc'!A0",
            '=HYPERLINK("http://example.invalid")',
            "@SUM(1+1)*cmd|' /C calc'!A0",
            "+44 1234",
            "-2+3",
            "\t=1+1",
            '"quoted, with comma"',
            "line\nbreak",
            "\x00",
            "'; DROP TABLE families_person; --",
            "Zoë Ødegård-Łukasz",
            "",
        ]
    ),
    st.text(min_size=1, max_size=3).map(lambda s: s * 20_000),  # an enormous field
)


def cell_for(column) -> st.SearchStrategy[str]:
    """Mostly what the column expects, often not."""
    plausible = {
        Type.REF: st.from_regex(r"[A-Z]{1,2}[0-9]{1,8}", fullmatch=True),
        Type.PERSON: st.sampled_from(KNOWN_PEOPLE + ["P000000", ""]),
        Type.HOUSEHOLD: st.sampled_from(KNOWN_HOUSEHOLDS + ["H000000", ""]),
        Type.TEXT: st.text(max_size=20),
        Type.DATE: st.dates().map(str) | st.sampled_from(["2014-02-30", "31/12/2013", ""]),
        Type.COUNT: st.integers(-5, 10**12).map(str),
        Type.CHOICE: st.sampled_from([*column.choices, "other", ""]),
        Type.ACADEMIC_YEAR: st.sampled_from(["2012/13", "2013/14", "2013/15", "2013"]),
    }[column.type]
    return st.one_of(plausible, plausible, hostile_text)


@st.composite
def csv_files(draw, kind_name: str) -> bytes:
    kind = KINDS[kind_name]
    shape = draw(st.sampled_from(["random bytes", "csv", "csv", "csv"]))
    if shape == "random bytes":
        return draw(st.binary(max_size=2_000))
    header = [c.name for c in kind.columns if not c.optional or draw(st.booleans())]
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    if draw(st.integers(0, 9)) == 0:
        header = [*header, draw(st.sampled_from(["unknown", header[0], "PERSON_REF"]))]
    columns = {c.name: c for c in kind.columns}
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        row = [draw(cell_for(columns[name])) if name in columns else "x" for name in header]
        if draw(st.integers(0, 7)) == 0:  # a ragged row
            row = row[: draw(st.integers(0, len(row)))] + draw(st.lists(st.text(max_size=5)))
        rows.append(row)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator=draw(st.sampled_from(["\r\n", "\n"])))
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    return text.getvalue().encode(encoding, errors="replace")


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"SELECT count(*) FROM {t}" for t in TABLES))
        return dict(zip(TABLES, (row[0] for row in cursor.fetchall()), strict=True))


@pytest.fixture
def known(db):
    household = HouseholdFactory(ref=KNOWN_HOUSEHOLDS[0])
    for ref in KNOWN_PEOPLE:
        PersonFactory(household=household, ref=ref)


@pytest.mark.parametrize("kind_name", sorted(KINDS))
def test_whatever_the_file_the_import_ends_cleanly_and_all_or_nothing(
    known, tmp_path: Path, kind_name
):
    @FUZZ
    @given(content=csv_files(kind_name))
    def check(content: bytes) -> None:
        path = tmp_path / "extract.csv"
        path.write_bytes(content)
        before = row_counts()

        batch = extract_import(kind=kind_name, path=path)

        assert batch.status in (ImportBatch.Status.SUCCEEDED, ImportBatch.Status.REJECTED)
        if batch.status == ImportBatch.Status.REJECTED:
            assert row_counts() == before, "a rejected file wrote something"
            assert batch.errors, "a rejected file must say what is wrong"
            for problem in batch.errors:
                assert isinstance(problem["line"], int) and problem["line"] >= 0
                assert problem["message"].strip()
                assert "Traceback" not in problem["message"]
        else:
            assert batch.rows_read == batch.rows_created + batch.rows_updated + (
                batch.rows_unchanged
            )

    check()
