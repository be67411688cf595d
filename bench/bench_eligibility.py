"""How fast eligibility is recalculated over the large county, against PostgreSQL alone.

    DATABASE_URL=postgres://... python bench/bench_eligibility.py [--data bench/data/large]
        [--as-of 2014-11-15]

On the large county population (scale.md; imported once with the import service):

- the floor: the plain GROUP BY passes any rules engine needs at least (attendance per
  person over three terms, exclusions, offences, ASB, open benefits, open concerns, people
  per household), timed in the same run;
- a full ``recalculate_all`` (what ``recalculate_eligibility`` and the nightly task run),
  and its ratio to the floor (target: 3x, and under 60 s), twice: as the nightly run finds
  things (the previous day's picture in place) and as a first run (no picture yet);
- a 1% increment: about 20,000 new records over about 2,000 households in six kinds,
  imported with ``import_data``'s service, each import recalculating only the households it
  touched (target: under 5 s in all).

Python and Django start-up is measured separately and reported beside the figures.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    LARGE,
    ensure_large_files,
    line,
    load_population,
    require_database_url,
    setup_django,
    start_up,
    timed,
)

FLOOR_PASSES = {
    "attendance per person, three terms": """
        SELECT person_id, sum(unauthorised_sessions), sum(possible_sessions)
        FROM families_attendance WHERE term_start BETWEEN %(terms_start)s AND %(terms_end)s
        GROUP BY person_id""",
    "exclusions per person, three terms": """
        SELECT person_id, count(*) FROM families_exclusion
        WHERE start_date BETWEEN %(terms_start)s AND %(terms_end)s GROUP BY person_id""",
    "offences per person, 12 months": """
        SELECT person_id, count(*) FROM families_offence
        WHERE offence_date > %(year_ago)s AND offence_date <= %(as_of)s GROUP BY person_id""",
    "ASB per person or household, 12 months": """
        SELECT person_id, household_id, count(*) FROM families_asbevent
        WHERE event_date > %(year_ago)s AND event_date <= %(as_of)s
        GROUP BY person_id, household_id""",
    "open benefits per person": """
        SELECT person_id, count(*) FROM families_benefitspell
        WHERE start_date <= %(as_of)s AND (end_date IS NULL OR end_date >= %(as_of)s)
        GROUP BY person_id""",
    "open concerns per person or household": """
        SELECT person_id, household_id, count(*) FROM families_concern
        WHERE start_date <= %(as_of)s AND (end_date IS NULL OR end_date >= %(as_of)s)
        GROUP BY person_id, household_id""",
    "people per household": """
        SELECT household_id, count(*) FROM families_membership
        WHERE valid_from <= %(as_of)s AND (valid_to IS NULL OR valid_to > %(as_of)s)
        GROUP BY household_id""",
}

INCREMENT_HOUSEHOLDS = 2000


def floor_seconds(as_of: date, *, report: bool = True) -> float:
    from django.db import connection

    from families.dates import last_three_terms, months_before

    terms = last_three_terms(as_of)
    params = {
        "as_of": as_of,
        "year_ago": months_before(as_of, 12),
        "terms_start": terms[0].start,
        "terms_end": terms[-1].end,
    }
    total = 0.0
    with connection.cursor() as cursor:
        for label, sql in FLOOR_PASSES.items():
            seconds, _ = timed(lambda s=sql: (cursor.execute(s, params), cursor.fetchall()))
            if report:
                line(f"  floor: {label}", seconds)
            total += seconds
    return total


def write_increment(folder: Path, as_of: date) -> dict[str, Path]:
    """About 20,000 new records for 2,000 households' members, in six kinds.

    New each time the benchmark runs (keys and days follow the number of imports so far),
    so a second run measures new records too, not an import that changes nothing.
    """
    from families.models import ImportBatch, Membership

    seed = ImportBatch.objects.count()
    rng = random.Random(seed)
    members = list(
        Membership.objects.filter(valid_to__isnull=True)
        .order_by("household_id", "person__ref")
        .values_list("household__ref", "person__ref", "person__date_of_birth")
    )
    by_household: dict[str, list[tuple[str, date]]] = {}
    for household, person, dob in members:
        by_household.setdefault(household, []).append((person, dob))
    chosen = rng.sample(sorted(by_household), INCREMENT_HOUSEHOLDS)
    day = (as_of - timedelta(days=20 + seed % 200)).isoformat()
    year = 1990 + seed % 20
    academic_year = f"{year}/{(year + 1) % 100:02d}"
    rows: dict[str, list[list[str]]] = {
        k: [] for k in ("attendance", "exclusions", "offences", "asb", "benefits", "concerns")
    }
    for n, household in enumerate(chosen):
        for person, dob in by_household[household]:
            if (as_of - dob).days < 18 * 365:
                rows["attendance"].append(
                    [person, academic_year, "autumn", "120", str(rng.randint(0, 40))]
                )
                rows["attendance"].append(
                    [person, academic_year, "spring", "110", str(rng.randint(0, 40))]
                )
                rows["exclusions"].append([person, day, "fixed", "2"])
                rows["offences"].append([person, f"OFF-{seed}-{n}-{person}", day, day, "theft"])
            else:
                rows["benefits"].append([person, "JSA", day, ""])
            rows["asb"].append([person, "", f"ASB-{seed}-{n}-{person}", day, "incident"])
        rows["concerns"].append(["", household, "other", day, ""])
    headers = {
        "attendance": "person_ref,academic_year,term,possible_sessions,unauthorised_sessions",
        "exclusions": "person_ref,start_date,exclusion_type,sessions",
        "offences": "person_ref,source_ref,offence_date,outcome_date,offence_type",
        "asb": "person_ref,household_ref,source_ref,event_date,event_type",
        "benefits": "person_ref,benefit,start_date,end_date",
        "concerns": "person_ref,household_ref,concern,start_date,end_date",
    }
    paths = {}
    for kind, kind_rows in rows.items():
        paths[kind] = folder / f"{kind}.csv"
        with open(paths[kind], "w", newline="") as out:
            out.write(headers[kind] + "\n")
            csv.writer(out, lineterminator="\n").writerows(kind_rows)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=LARGE)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2014, 11, 15))
    parser.add_argument("--rounds", type=int, default=3, help="best of this many runs each")
    args = parser.parse_args(argv)
    require_database_url()
    data = ensure_large_files(args.data)
    setup_django()
    load_population(data)

    from families.identification import recalculate_all
    from families.imports import extract_import
    from families.models import CurrentEligibility, Household

    households = Household.objects.count()
    print(f"{households:,} households, as of {args.as_of}, {os.cpu_count()} cores")
    boot = start_up()
    # Each figure is the best of a few rounds, the floor's too: on a shared machine a
    # neighbour's burst of work then weighs on one round, not on one side of the ratio.
    floor = min(floor_seconds(args.as_of, report=round_ == 0) for round_ in range(args.rounds))
    line("floor: the GROUP BY passes together", floor)
    nightly = first = float("inf")
    for _ in range(args.rounds):
        # The nightly case: yesterday's picture is in place, most households keep their row.
        recalculate_all(as_of=args.as_of - timedelta(days=1), trigger="bench")
        seconds, run = timed(lambda: recalculate_all(as_of=args.as_of, trigger="bench"))
        nightly = min(nightly, seconds)
        # The first run: no current picture yet, so every row is new.
        CurrentEligibility.objects.all().delete()
        seconds, _ = timed(lambda: recalculate_all(as_of=args.as_of, trigger="bench"))
        first = min(first, seconds)
    line(
        "full recalculate_eligibility, nightly",
        nightly,
        f"{nightly / floor:.1f}x the floor; {run.households_eligible:,} eligible, "
        f"{run.households_meeting_any:,} meet a criterion",
    )
    line("full recalculate_eligibility, first run", first, f"{first / floor:.1f}x the floor")
    with tempfile.TemporaryDirectory() as folder:
        paths = write_increment(Path(folder), args.as_of)
        total = 0.0
        records = 0
        for kind, path in paths.items():
            seconds, batch = timed(lambda k=kind, p=path: extract_import(kind=k, path=p))
            total += seconds
            records += batch.rows_read
            line(f"  increment: {kind} + touched households", seconds, f"{batch.rows_read:,} rows")
        line("1% increment: imports + recalculation", total, f"{records:,} records in all")
    line("Python + Django start-up (per command)", boot)


if __name__ == "__main__":
    main()
