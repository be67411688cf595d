"""The pack's files: CSV exactly as data-formats.md, XLSX read back, PDF rendered and read."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import subprocess
from datetime import date

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from claims.exports import render
from claims.services import claim_pack_build, claim_window_create
from tests.claims.conftest import asb_family, working_family

pytestmark = pytest.mark.django_db


@pytest.fixture
def pack(db):
    asb_family("H20001")
    working_family("H20002", date(2014, 6, 1))
    # A family reference that a spreadsheet would take for a formula.
    asb_family("=HYPERLINK(1)")
    return claim_pack_build(window=claim_window_create(name="2014-10"))


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


def test_the_csv_has_the_spec_columns_one_row_per_claim_sorted_and_a_total_last(pack):
    rows = csv_rows(render(pack, "csv"))
    assert rows[0] == [
        "claim_ref",
        "window",
        "family_ref",
        "result",
        "financial_year",
        "amount",
        "evidence",
    ]
    body = [row[1:6] for row in rows[1:]]
    assert body == [
        ["2014-10", "'=HYPERLINK(1)", "crime_asb_education", "2013/14", "1500.00"],
        ["2014-10", "H20001", "crime_asb_education", "2013/14", "1500.00"],
        ["2014-10", "H20002", "continuous_employment", "2013/14", "1600.00"],
        ["2014-10", "", "", "", "4600.00"],
    ]
    assert rows[-1][0] == "TOTAL"
    refs = [row[0] for row in rows[1:-1]]
    assert len(set(refs)) == len(refs) and all(refs)


def test_no_csv_cell_can_be_read_as_a_formula(pack):
    for row in csv_rows(render(pack, "csv")):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_the_evidence_cell_names_rules_version_and_import_batches(pack):
    evidence = csv_rows(render(pack, "csv"))[2][6]
    assert "ASB: 0 events in the last 6 months against 5" in evidence
    assert "rules tf2012-results-v2" in evidence
    assert "import batches " in evidence and "import batches none" not in evidence


def test_the_workbook_holds_the_same_rows_and_a_summary_by_result(pack):
    workbook = load_workbook(io.BytesIO(render(pack, "xlsx")))
    assert workbook.sheetnames == ["Claims", "Summary by result"]
    claims = list(workbook["Claims"].iter_rows(values_only=True))
    csv_body = csv_rows(render(pack, "csv"))
    as_text = [["" if cell is None else str(cell) for cell in row[:5]] for row in claims]
    assert as_text == [row[:5] for row in csv_body]
    assert [row[5] for row in claims[1:]] == [1500, 1500, 1600, 4600]
    summary = list(workbook["Summary by result"].iter_rows(values_only=True))
    assert summary == [
        ("result", "claims", "amount"),
        ("crime_asb_education", 2, 3000),
        ("progress_to_work", 0, 0),
        ("continuous_employment", 1, 1600),
        ("total", 3, 4600),
    ]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
@override_settings(AUTHORITY_NAME="Testshire County Council")
def test_the_pdf_shows_authority_window_totals_sign_off_and_page_numbers(pack, tmp_path):
    path = tmp_path / "pack.pdf"
    path.write_bytes(render(pack, "pdf"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Testshire County Council" in text
    assert "claim window 2014-10" in text
    assert "£3,000.00" in text  # crime/ASB/education
    assert "£4,600.00" in text  # the total
    assert "Internal audit sign-off" in text and "not yet" in text
    assert "Page 1 of 1" in text
    assert hashlib.sha256(render(pack, "csv")).hexdigest() in text
