"""The demo's partner files as the partners would have sent them over the years: one extract
per kind and period, each holding what was known on its last day.

A row appears in the extract of the period its date falls in. What was not known yet then
(a spell's end, an offence's outcome) is left blank there, and the row comes again, complete,
in the extract of the period when it became known, as a partner's next extract would carry
it; the importer updates the row it has. People are a snapshot of everyone born by the day.
Pure Python, like ``demo.population``.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from demo.population import KINDS, TERMS

# The column that dates a row, and the one filled in later if any, per kind.
DATED = {
    "people": ("date_of_birth", None),
    "exclusions": ("start_date", None),
    "education_status": ("start_date", "end_date"),
    "offences": ("offence_date", "outcome_date"),
    "asb": ("event_date", None),
    "benefits": ("start_date", "end_date"),
    "employment": ("start_date", "end_date"),
    "work_progress": ("attached_date", None),
    "concerns": ("start_date", "end_date"),
}
TERM_ENDS = {name: (offset, end) for name, _, end, offset in TERMS}


def _term_end(row: dict[str, str]) -> date:
    offset, (month, day) = TERM_ENDS[row["term"]]
    return date(int(row["academic_year"][:4]) + offset, month, day)


def split_by_period(paths: dict[str, Path], cuts: list[date], out_dir: Path):
    """One extract per kind for each period ending on a day of ``cuts`` (in order): a list
    of (cut, {kind: path}), kinds in import order; a kind with nothing new is left out."""
    periods: list[tuple[date, dict[str, Path]]] = [(cut, {}) for cut in cuts]
    for kind in KINDS:
        with open(paths[kind], newline="", encoding="utf-8") as source:
            reader = csv.DictReader(source)
            rows = list(reader)
            columns = reader.fieldnames or []
        dated, later = DATED.get(kind, (None, None))
        previous = date.min
        for cut, files in periods:
            chosen = []
            for row in rows:
                day = _term_end(row) if kind == "attendance" else date.fromisoformat(row[dated])
                if kind == "people":
                    # A snapshot: everyone born by the day, every time.
                    if day <= cut:
                        chosen.append(row)
                    continue
                known = date.fromisoformat(row[later]) if later and row[later] else None
                if previous < day <= cut:
                    chosen.append(row if known is None or known <= cut else {**row, later: ""})
                elif day <= previous and known is not None and previous < known <= cut:
                    chosen.append(row)
            previous = cut
            if not chosen:
                continue
            path = out_dir / f"{kind}-{cut.isoformat()}.csv"
            with open(path, "w", newline="", encoding="utf-8") as target:
                writer = csv.DictWriter(target, columns, lineterminator="\n")
                writer.writeheader()
                writer.writerows(chosen)
            files[kind] = path
    return periods
