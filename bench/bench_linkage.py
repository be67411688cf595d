"""How well and how fast partner records are linked to the council's people.

    DATABASE_URL=postgres://.../EMPTY python bench/bench_linkage.py --size small|large
        [--seed N] [--population-seed N] [--data DIR] [--police-persons N] [--direct]
        [--kinds offences,attendance]

Generates (once) a population (``bench/generate.py``) and its identified partner files with
the truth kept aside (``bench/linkage/generate.py``), links them, and reports per source and
overall (linkage.md "Quality and speed"):

- automatic links (exact and probabilistic): precision and recall against the truth;
- the review queue's share of source persons, and how often the true person is among a
  queued source person's candidates;
- wrong automatic links, and every outcome, by kind of slip or hard case;
- how long linking took.

The files go through the real import (``extract_import``, what ``import_data KIND FILE
--source NAME`` runs, in-process so that start-up is not counted), into the database of
``DATABASE_URL``, which must hold no source persons and either no people or this data
set's (it is migrated); links are read back with
``export_links`` and the queue's candidates from the database. At the large county the
schools' attendance file is also imported as a referenced file (the same rows, by
``person_ref``), before the identified one, and both timed: linking's cost is their
difference.

``--direct`` follows the same order without the database — exact NINO or UPN with the date
of birth guard, then ``score_candidates`` per source and the default thresholds — and needs
nothing but the files.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

AS_OF = date(2014, 11, 15)
LINK_THRESHOLD = 0.99
REVIEW_THRESHOLD = 0.50
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"


@dataclass
class Links:
    """What linking decided, per (source, source_person_id)."""

    status: dict[tuple[str, str], str] = field(default_factory=dict)
    person: dict[tuple[str, str], str] = field(default_factory=dict)
    method: dict[tuple[str, str], str] = field(default_factory=dict)
    candidates: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def ensure_data(size: str, population_seed: int, seed: int, data: Path, police: int | None):
    from bench.generate import main as generate_population
    from bench.linkage.generate import generate as generate_identified

    population = data / f"{size}-population-{population_seed}"
    if not (population / "people.csv").exists():
        generate_population(
            ["--size", size, "--out", str(population), "--seed", str(population_seed)]
        )
    suffix = f"-police{police}" if police else ""
    identified = data / f"{size}-linkage-{population_seed}-{seed}{suffix}"
    if not (identified / "truth.csv").exists():
        generate_identified(population, identified, seed=seed, police_persons=police)
    return identified


def read_truth(data: Path) -> dict[tuple[str, str], tuple[str, list[str]]]:
    with open(data / "truth.csv", newline="", encoding="utf-8") as handle:
        return {
            (row["source"], row["source_person_id"]): (
                row["person_ref"],
                [case for case in row["cases"].split(";") if case],
            )
            for row in csv.DictReader(handle)
        }


def identified_files(data: Path, kinds: set[str] | None = None) -> list[tuple[str, str, Path]]:
    """(source, kind, path) of every identified file (of ``kinds``), in a stable order."""
    from bench.linkage.generate import PARTNERS

    return [
        (source, kind, data / source / f"{kind}.csv")
        for source, partner in PARTNERS.items()
        for kind in partner.kinds
        if kinds is None or kind in kinds
    ]


# --- Linking without the database -----------------------------------------------------------


def link_direct(data: Path, kinds: set[str] | None) -> Links:
    import duckdb
    import pyarrow as pa

    from families.linkage.probabilistic import score_candidates

    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    con.execute(
        f"""
        CREATE TABLE people AS
        SELECT row_number() OVER () AS id, person_ref, given_name, family_name,
               date_of_birth::DATE AS date_of_birth, postcode,
               upper(replace(coalesce(upn, ''), ' ', '')) AS upn,
               upper(replace(coalesce(nino, ''), ' ', '')) AS nino
        FROM read_csv('{data / "people.csv"}', header = true, all_varchar = true)
        """
    )
    links = Links()
    people = con.sql(
        "SELECT id, given_name, family_name, date_of_birth, postcode FROM people"
    ).to_arrow_table()
    files_by_source = defaultdict(list)
    for source, _kind, path in identified_files(data, kinds):
        files_by_source[source].append(path)
    for source, paths in files_by_source.items():
        started = time.perf_counter()
        union = " UNION ALL ".join(
            f"SELECT source_person_id, given_name, family_name, date_of_birth, postcode, "
            f"upn, nino FROM read_csv('{path}', header = true, all_varchar = true)"
            for path in paths
        )
        con.execute(
            f"""
            CREATE OR REPLACE TABLE source_persons AS
            SELECT row_number() OVER (ORDER BY source_person_id) AS id, source_person_id,
                   any_value(given_name) AS given_name, any_value(family_name) AS family_name,
                   any_value(date_of_birth)::DATE AS date_of_birth,
                   any_value(postcode) AS postcode,
                   upper(replace(coalesce(any_value(upn), ''), ' ', '')) AS upn,
                   upper(replace(coalesce(any_value(nino), ''), ' ', '')) AS nino
            FROM ({union}) GROUP BY source_person_id
            """
        )
        # Exact identifier: held by exactly one person, whose date of birth is the same.
        exact = con.sql(
            """
            WITH holders AS (
                SELECT s.id, 'nino' AS method, 1 AS preference, count(*) AS holders,
                       min(p.person_ref) AS person_ref,
                       bool_and(p.date_of_birth = s.date_of_birth) AS same_day
                FROM source_persons s JOIN people p ON p.nino = s.nino
                WHERE s.nino <> '' GROUP BY s.id
                UNION ALL
                SELECT s.id, 'upn', 2, count(*), min(p.person_ref),
                       bool_and(p.date_of_birth = s.date_of_birth)
                FROM source_persons s JOIN people p ON p.upn = s.upn
                WHERE s.upn <> '' GROUP BY s.id
            )
            SELECT DISTINCT ON (h.id) h.id, s.source_person_id, h.method, h.person_ref
            FROM holders h JOIN source_persons s USING (id)
            WHERE h.holders = 1 AND h.same_day
            ORDER BY h.id, h.preference
            """
        ).fetchall()
        exact_ids = set()
        for row_id, source_person_id, method, person_ref in exact:
            key = (source, source_person_id)
            links.status[key], links.person[key], links.method[key] = "linked", person_ref, method
            exact_ids.add(row_id)
        rest = con.sql(
            "SELECT id, given_name, family_name, date_of_birth, postcode, source_person_id "
            "FROM source_persons"
        ).to_arrow_table()
        keep = pa.array([row_id not in exact_ids for row_id in rest["id"].to_pylist()])
        rest = rest.filter(keep)
        scored_at = time.perf_counter()
        scored = score_candidates(
            source_persons=rest.select(["id", "given_name", "family_name", "date_of_birth",
                                        "postcode"]),
            people=people,
        )  # fmt: skip
        links.seconds[f"{source}: score_candidates ({rest.num_rows:,} source persons)"] = (
            time.perf_counter() - scored_at
        )
        _classify(links, source, rest, scored.candidates, con)
        links.seconds[f"{source}: exact and probabilistic linking"] = time.perf_counter() - started
    return links


def _classify(links: Links, source: str, rest, candidates, con) -> None:
    con.register("scored", candidates)
    con.register("rest", rest)
    rows = con.sql(
        """
        SELECT r.source_person_id, c.rank, c.probability, p.person_ref
        FROM rest r LEFT JOIN scored c ON c.source_person_id = r.id
        LEFT JOIN people p ON p.id = c.person_id
        ORDER BY r.source_person_id, c.rank
        """
    ).fetchall()
    by_source_person = defaultdict(list)
    for source_person_id, rank, probability, person_ref in rows:
        by_source_person[source_person_id].append((rank, probability, person_ref))
    for source_person_id, ranked in by_source_person.items():
        key = (source, source_person_id)
        ranked = [entry for entry in ranked if entry[0] is not None]
        best = ranked[0][1] if ranked else 0.0
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        if best >= LINK_THRESHOLD and second < REVIEW_THRESHOLD:
            links.status[key], links.person[key] = "linked", ranked[0][2]
            links.method[key] = "probabilistic"
        elif best >= REVIEW_THRESHOLD:
            links.status[key] = "possible"
            links.candidates[key] = {entry[2] for entry in ranked}
        else:
            links.status[key] = "unlinked"
    con.unregister("scored")
    con.unregister("rest")


# --- Linking through the import -------------------------------------------------------------


def link_through_import(data: Path, *, compare_referenced: bool, kinds: set[str] | None) -> Links:
    from bench.common import require_database_url, setup_django

    require_database_url()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from families.imports import extract_import
    from families.models import ImportBatch, Person, SourcePerson

    if SourcePerson.objects.exists():
        sys.exit("The database already holds source persons: give DATABASE_URL an empty one.")
    links = Links()

    def load(kind: str, path: Path, source: str = "") -> float:
        started = time.perf_counter()
        batch = extract_import(kind=kind, path=path, as_of=AS_OF, source=source)
        seconds = time.perf_counter() - started
        if batch.status != ImportBatch.Status.SUCCEEDED:
            sys.exit(f"{path} was rejected: {batch.errors[:5]}")
        label = f"{source or 'referenced'}/{kind}: import ({batch.rows_read:,} rows)"
        links.seconds[label] = seconds
        print(f"{label}: {seconds:.1f} s  {batch.linking or ''}", flush=True)
        return seconds

    # People already there are taken to be this data set's index (set-up done earlier).
    if not Person.objects.exists():
        load("people", data / "people.csv")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for source, kind, path in identified_files(data, kinds):
        if compare_referenced and kind == "attendance":
            referenced = load(kind, data / "referenced" / f"{kind}.csv")
            # The identified import then inserts every row too, as the referenced one did.
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM families_attendance")
                cursor.execute("VACUUM ANALYZE families_attendance")
            identified = load(kind, path, source)
            links.seconds["linking's cost over the referenced import (×)"] = (
                identified - referenced
            ) / referenced
        else:
            load(kind, path, source)
    out = data / "export_links.csv"
    call_command("export_links", out=str(out), verbosity=0)
    with open(out, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (row["source"], row["source_person_id"])
            links.status[key], links.person[key] = row["status"], row["person_ref"]
            links.method[key] = row["method"]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT sp.source, sp.source_person_id, p.ref
            FROM families_linkcandidate c
            JOIN families_sourceperson sp ON sp.id = c.source_person_id
            JOIN families_person p ON p.id = c.person_id
            WHERE sp.status = 'possible'
            """
        )
        for source, source_person_id, ref in cursor.fetchall():
            links.candidates.setdefault((source, source_person_id), set()).add(ref)
    return links


# --- Figures ---------------------------------------------------------------------------------


def report(links: Links, truth) -> dict[str, dict[str, float]]:
    sources = sorted({source for source, _ in truth})
    figures = {}
    print(
        f"{'source':>16} {'persons':>8} {'in index':>8} {'linked':>8} {'precision':>9} "
        f"{'recall':>7} {'queued':>7} {'queue %':>7} {'true in queue':>13} {'unlinked':>8}"
    )
    for scope in [*sources, "overall"]:
        keys = [key for key in truth if scope in ("overall", key[0])]
        in_index = [key for key in keys if truth[key][0]]
        linked = [key for key in keys if links.status.get(key) == "linked"]
        right = [key for key in linked if links.person.get(key) == truth[key][0]]
        queued = [key for key in keys if links.status.get(key) == "possible"]
        queued_in_index = [key for key in queued if truth[key][0]]
        found = [key for key in queued_in_index if truth[key][0] in links.candidates.get(key, ())]
        unlinked = [key for key in keys if links.status.get(key, "unlinked") == "unlinked"]
        row = {
            "persons": len(keys),
            "precision": len(right) / len(linked) if linked else 1.0,
            "recall": len(right) / len(in_index) if in_index else 1.0,
            "queue_share": len(queued) / len(keys) if keys else 0.0,
            "true_in_queue": len(found) / len(queued_in_index) if queued_in_index else 1.0,
        }
        figures[scope] = row
        print(
            f"{scope:>16} {len(keys):>8,} {len(in_index):>8,} {len(linked):>8,} "
            f"{row['precision']:>9.4f} {row['recall']:>7.4f} {len(queued):>7,} "
            f"{100 * row['queue_share']:>6.2f}% {row['true_in_queue']:>13.4f} {len(unlinked):>8,}"
        )
    methods = Counter(
        links.method.get(key, "") for key in truth if links.status.get(key) == "linked"
    )
    print("automatic links by method:", dict(methods))
    print("\noutcomes by kind of slip or hard case (a source person may have several):")
    print(f"{'case':>18} {'persons':>8} {'linked right':>12} {'linked wrong':>12} "
          f"{'queued':>7} {'unlinked':>8}")  # fmt: skip
    by_case: dict[str, Counter] = defaultdict(Counter)
    for key, (person_ref, cases) in truth.items():
        status = links.status.get(key, "unlinked")
        if status == "linked":
            outcome = "right" if links.person.get(key) == person_ref else "wrong"
        else:
            outcome = status
        for case in cases or ["(none)"]:
            by_case[case][outcome] += 1
            by_case[case]["persons"] += 1
    for case, counts in sorted(by_case.items(), key=lambda item: -item[1]["persons"]):
        print(
            f"{case:>18} {counts['persons']:>8,} {counts['right']:>12,} {counts['wrong']:>12,} "
            f"{counts['possible']:>7,} {counts['unlinked']:>8,}"
        )
    wrong = [key for key in truth if links.status.get(key) == "linked"
             and links.person.get(key) != truth[key][0]]  # fmt: skip
    if wrong:
        print(f"\nwrong automatic links ({len(wrong)}), first 10:")
        for key in wrong[:10]:
            print("  ", key, "->", links.person.get(key), "truth:", truth[key])
    print()
    for what, seconds in links.seconds.items():
        print(f"{what}: {seconds:.2f}" if "×" in what else f"{what}: {seconds:.1f} s")
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["small", "large"], default="small")
    parser.add_argument("--population-seed", type=int, default=2012)
    parser.add_argument("--seed", type=int, default=17, help="the partner files' seed")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--police-persons", type=int)
    parser.add_argument("--direct", action="store_true", help="link without the database")
    parser.add_argument("--kinds", help="only these identified files, e.g. offences,attendance")
    args = parser.parse_args(argv)
    kinds = set(args.kinds.split(",")) if args.kinds else None
    data = ensure_data(args.size, args.population_seed, args.seed, args.data, args.police_persons)
    truth = read_truth(data)
    print(f"data: {data}")
    if args.direct:
        links = link_direct(data, kinds)
    else:
        links = link_through_import(data, compare_referenced=args.size == "large", kinds=kinds)
    # Source persons of files left out (--kinds) are not counted.
    report(links, {key: value for key, value in truth.items() if key in links.status})


if __name__ == "__main__":
    main()
