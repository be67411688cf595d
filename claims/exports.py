"""A claim pack as a file: CSV exactly as data-formats.md, an XLSX workbook (claims and a
summary by result) and the PDF a finance officer sends.

Every text cell of every format goes through the formula guard. Amounts stay numbers: in the
CSV they are written ``1600.00`` (a pack's amounts are never negative: money returned is an
adjustment, not a pack row), in the workbook they are numeric cells, which a spreadsheet never
reads as a formula.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from decimal import Decimal
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from django.conf import settings
from django.template.loader import render_to_string

from claims.models import AuditSample, ClaimPack, PackFile
from claims.selectors import pack_claims, pack_totals
from outcomes.models import ResultType
from tfp.csv_export import guard_cell, write_csv

HEADER = ["claim_ref", "window", "family_ref", "result", "financial_year", "amount", "evidence"]
TOTAL = "TOTAL"


def money(amount: Decimal) -> str:
    """Pounds with two decimals, no thousands separator: ``1600.00``."""
    return f"{amount:.2f}"


def evidence_text(evidence: dict) -> str:
    """The evidence a claim rested on, in one cell."""
    batches = ", ".join(str(batch) for batch in evidence.get("import_batches", []))
    return (
        f"{evidence.get('reason', '')} [rules {evidence.get('rules_version', '')}; "
        f"assessed {evidence.get('assessed_on', '')} in results run "
        f"{evidence.get('results_run', '')}; import batches {batches or 'none'}]"
    )


@dataclass(frozen=True)
class PackRow:
    claim_ref: str
    window: str
    family_ref: str
    result: str
    financial_year: str
    amount: Decimal
    evidence: str


def pack_rows(pack: ClaimPack) -> list[PackRow]:
    """One row per claimed result, sorted by family reference then result."""
    return [
        PackRow(
            claim_ref=claim.claim_ref,
            window=pack.window.name,
            family_ref=claim.household.ref,
            result=claim.result,
            financial_year=claim.financial_year_label,
            amount=claim.amount,
            evidence=evidence_text(claim.evidence),
        )
        for claim in pack_claims(pack)
    ]


def render_csv(pack: ClaimPack, rows: list[PackRow] | None = None) -> bytes:
    rows = pack_rows(pack) if rows is None else rows
    total = sum((row.amount for row in rows), Decimal("0"))
    out = io.StringIO()
    write_csv(
        out,
        HEADER,
        [
            *(
                (
                    r.claim_ref,
                    r.window,
                    r.family_ref,
                    r.result,
                    r.financial_year,
                    money(r.amount),
                    r.evidence,
                )
                for r in rows
            ),
            (TOTAL, pack.window.name, "", "", "", money(total), ""),
        ],
    )
    return out.getvalue().encode("utf-8")


def render_xlsx(pack: ClaimPack) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def heading(sheet, names):
        cells = []
        for name in names:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            cells.append(cell)
        return cells

    def amount(sheet, value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "#,##0.00"
        return cell

    claims = workbook.create_sheet("Claims")
    claims.append(heading(claims, HEADER))
    rows = pack_rows(pack)
    for r in rows:
        claims.append(
            [
                guard_cell(r.claim_ref),
                guard_cell(r.window),
                guard_cell(r.family_ref),
                guard_cell(r.result),
                guard_cell(r.financial_year),
                amount(claims, r.amount),
                guard_cell(r.evidence),
            ]
        )
    claims.append(
        [TOTAL, pack.window.name, None, None, None, amount(claims, sum(r.amount for r in rows))]
    )

    summary = workbook.create_sheet("Summary by result")
    summary.append(heading(summary, ["result", "claims", "amount"]))
    by_result, total = pack_totals(pack)
    for line in [*by_result, total]:
        summary.append([line.result, line.claims, amount(summary, line.amount)])
    # Dated by the pack, not the clock, so the same pack is always the same bytes.
    workbook.properties.created = workbook.properties.modified = pack.built_at.replace(tzinfo=None)
    out = io.BytesIO()
    ExcelWriter(workbook, _SameDatedZip(out, "w", ZIP_DEFLATED)).save()
    return out.getvalue()


class _SameDatedZip(ZipFile):
    """A zip (an XLSX is one) whose members all carry one date, not the time of writing."""

    DATE = (1980, 1, 1, 0, 0, 0)

    def writestr(self, zinfo_or_arcname, data, *args, **kwargs):
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = ZipInfo(zinfo_or_arcname, date_time=self.DATE)
            zinfo_or_arcname.compress_type = self.compression
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename, arcname=None, *args, **kwargs):
        # openpyxl writes each write-only sheet from a temporary file, dated when written.
        with open(filename, "rb") as source:
            self.writestr(arcname or os.path.basename(filename), source.read())


def _name(user) -> str:
    if user is None:
        return "the command line"
    return user.get_full_name() or user.get_username()


def signoffs(pack: ClaimPack) -> list[tuple[str, str, object]]:
    """Who built, signed off, approved and submitted the pack, and when."""
    return [
        ("Built", _name(pack.built_by), pack.built_at),
        ("Internal audit sign-off", _name(pack.signed_off_by), pack.signed_off_at),
        ("Coordinator approval", _name(pack.approved_by), pack.approved_at),
        ("Submitted", _name(pack.submitted_by), pack.submitted_at),
    ]


@dataclass(frozen=True)
class ClaimGroup:
    """Claims of one result, attachment year and amount: the PDF lists their families."""

    label: str
    financial_year: str
    amount: Decimal
    family_refs: list[str]

    @property
    def subtotal(self) -> Decimal:
        return self.amount * len(self.family_refs)


def claim_groups(rows: list[PackRow]) -> list[ClaimGroup]:
    labels = {result.value: result.label for result in ResultType}
    order = list(labels)
    grouped: dict[tuple[str, str, Decimal], list[str]] = {}
    for row in rows:
        grouped.setdefault((row.result, row.financial_year, row.amount), []).append(row.family_ref)
    return [
        ClaimGroup(labels[result], year, amount, refs)
        for (result, year, amount), refs in sorted(
            grouped.items(), key=lambda item: (order.index(item[0][0]), item[0][1], -item[0][2])
        )
    ]


def render_pdf(pack: ClaimPack) -> bytes:
    """The signed-off pack a finance officer sends: totals, sign-off, and every claim by
    result, attachment year and amount, naming the families (the rows with their evidence are
    in the CSV it names by SHA-256). Families are set as running text under each group rather
    than a row each, because laying out thousands of table rows would take WeasyPrint far
    longer than the seconds a pack may take."""
    from weasyprint import HTML

    by_result, total = pack_totals(pack)
    rows = pack_rows(pack)
    html = render_to_string(
        "claims/pack_pdf.html",
        {
            "pack": pack,
            "authority_name": settings.AUTHORITY_NAME,
            "by_result": by_result,
            "total": total,
            "groups": claim_groups(rows),
            "signoffs": signoffs(pack),
            "sample": AuditSample.objects.filter(pack=pack).first(),
            "csv_sha256": hashlib.sha256(render_csv(pack, rows)).hexdigest(),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


RENDERERS = {
    PackFile.Format.CSV: render_csv,
    PackFile.Format.XLSX: render_xlsx,
    PackFile.Format.PDF: render_pdf,
}


def render(pack: ClaimPack, fmt: str) -> bytes:
    return RENDERERS[PackFile.Format(fmt)](pack)
