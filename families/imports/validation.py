"""Every rule of data-formats.md checked over the whole staging table in one statement.

Each column gets a ``CASE`` that yields what is wrong with the cell, or NULL. The branches
run in order, so a cell is only cast (``::date``, ``::int``) once the branches before have
proved the cast safe: PostgreSQL 15 has no ``pg_input_is_valid``, and an exception handler
per row would be far slower than a regular expression and some arithmetic.
"""

from __future__ import annotations

import json
from datetime import date

from families.imports.kinds import Column, Kind, Type
from families.imports.staging import STAGING_TABLE, Problem, Rejected

# Errors kept in the report; the total is kept beside them however many there are.
MAX_STORED_ERRORS = 1000

DATE_PATTERN = "'^[0-9]{4}-[0-9]{2}-[0-9]{2}$'"
COUNT_PATTERN = "'^[0-9]+$'"
ACADEMIC_YEAR_PATTERN = "'^[0-9]{4}/[0-9]{2}$'"
# Counts are stored as PostgreSQL integers.
MAX_COUNT_DIGITS = 9


def cell(name: str) -> str:
    return f's."{name}"'


def blank(ref: str) -> str:
    return f"coalesce({ref}, '') = ''"


def _shown(ref: str) -> str:
    # Quoted so that a stray space shows; cut short so a runaway cell cannot flood the report.
    return f"quote_literal(left({ref}, 40))"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def is_date(ref: str) -> str:
    """True when ``ref`` is a real calendar day written YYYY-MM-DD (2013-02-30 is not)."""
    year, month, day = (
        f"substr({ref}, {start}, {length})::int" for start, length in ((1, 4), (6, 2), (9, 2))
    )
    leap = f"(mod({year}, 4) = 0 AND (mod({year}, 100) <> 0 OR mod({year}, 400) = 0))"
    days_in_month = (
        f"CASE WHEN {month} = 2 THEN CASE WHEN {leap} THEN 29 ELSE 28 END "
        f"WHEN {month} IN (4, 6, 9, 11) THEN 30 ELSE 31 END"
    )
    return (
        f"CASE WHEN {ref} ~ {DATE_PATTERN} THEN "
        f"{year} >= 1 AND {month} BETWEEN 1 AND 12 AND {day} BETWEEN 1 AND ({days_in_month}) "
        "ELSE false END"
    )


def _is_count(ref: str) -> str:
    return (
        f"CASE WHEN {ref} ~ {COUNT_PATTERN} "
        f"THEN length(ltrim({ref}, '0')) <= {MAX_COUNT_DIGITS} ELSE false END"
    )


def term_start_sql(year_ref: str, term_ref: str) -> str:
    """The first day of a term (autumn 1 Sep, spring 1 Jan, summer 1 Apr; dates.terms_of)."""
    first = f"substr({year_ref}, 1, 4)::int"
    return (
        f"CASE {term_ref} WHEN 'autumn' THEN make_date({first}, 9, 1) "
        f"WHEN 'spring' THEN make_date({first} + 1, 1, 1) ELSE make_date({first} + 1, 4, 1) END"
    )


def term_end_sql(year_ref: str, term_ref: str) -> str:
    first = f"substr({year_ref}, 1, 4)::int"
    return (
        f"CASE {term_ref} WHEN 'autumn' THEN make_date({first}, 12, 31) "
        f"WHEN 'spring' THEN make_date({first} + 1, 3, 31) ELSE make_date({first} + 1, 8, 31) END"
    )


def _check(kind: Kind, column: Column) -> str:
    """A CASE expression giving what is wrong with this column's cell, or NULL."""
    ref = cell(column.name)
    if kind.person_or_household and column.name == "person_ref":
        return _either_person_check(ref)
    if kind.person_or_household and column.name == "household_ref":
        return (
            f"CASE WHEN {blank(ref)} OR NOT {blank(cell('person_ref'))} THEN NULL "
            f"WHEN hh.id IS NULL THEN {_shown(ref)} || ' is not a known household: "
            "import it in a people file first.' END"
        )
    branches = [
        f"WHEN {blank(ref)} THEN " + ("NULL" if column.blank else "'is blank.'"),
        *_type_branches(kind, column, ref),
    ]
    return "CASE " + " ".join(branches) + " END"


def _either_person_check(ref: str) -> str:
    household = cell("household_ref")
    return (
        f"CASE WHEN {blank(ref)} AND {blank(household)} "
        "THEN 'is blank, and so is household_ref: give exactly one of the two.' "
        f"WHEN NOT {blank(ref)} AND NOT {blank(household)} "
        "THEN 'is filled in, and so is household_ref: give exactly one of the two.' "
        f"WHEN {blank(ref)} THEN NULL "
        f"WHEN p.id IS NULL THEN {_shown(ref)} || ' is not a known person: "
        "import it in a people file first.' END"
    )


def _type_branches(kind: Kind, column: Column, ref: str) -> list[str]:
    match column.type:
        case Type.PERSON:
            return [
                f"WHEN p.id IS NULL THEN {_shown(ref)} || ' is not a known person: "
                "import it in a people file first.'"
            ]
        case Type.REF | Type.TEXT:
            branches = []
            if column.max_length:
                branches.append(
                    f"WHEN length({ref}) > {column.max_length} "
                    f"THEN 'is longer than {column.max_length} characters.'"
                )
            if kind.name == "people" and column.name == "household_ref":
                branches.append(_snapshot_order_branch(ref))
            return branches
        case Type.CHOICE:
            allowed = ", ".join(_literal(choice) for choice in column.choices)
            return [
                f"WHEN {ref} IN ({allowed}) THEN NULL",
                f"ELSE {_shown(ref)} || {_literal(' is not one of ' + ', '.join(column.choices))}"
                " || '.'",
            ]
        case Type.DATE:
            return _date_branches(column, ref)
        case Type.COUNT:
            return _count_branches(column, ref)
        case Type.ACADEMIC_YEAR:
            first = f"substr({ref}, 1, 4)::int"
            term = cell("term")
            return [
                f"WHEN {ref} !~ {ACADEMIC_YEAR_PATTERN} "
                f"THEN {_shown(ref)} || ' is not an academic year written like 2011/12.'",
                f"WHEN {first} < 1 OR mod({first} + 1, 100) <> substr({ref}, 6, 2)::int "
                f"THEN {_shown(ref)} || ' is not an academic year: the second year must "
                "follow the first (2011/12).'",
                f"WHEN {term} IN ('autumn', 'spring', 'summer') "
                f"AND {term_start_sql(ref, term)} > %(as_of)s "
                f"THEN 'the ' || {term} || ' term of ' || {ref} "
                "|| ' starts after the as-of day ' || %(as_of)s || '.'",
            ]
    raise AssertionError(column.type)


def _date_branches(column: Column, ref: str) -> list[str]:
    branches = [
        f"WHEN {ref} !~ {DATE_PATTERN} THEN {_shown(ref)} || ' is not a date written YYYY-MM-DD.'",
        f"WHEN NOT ({is_date(ref)}) THEN {_shown(ref)} || ' is not a real date.'",
        f"WHEN {ref}::date > %(as_of)s "
        f"THEN {ref} || ' is after the as-of day ' || %(as_of)s || '.'",
    ]
    if column.not_before:
        other = cell(column.not_before)
        branches.append(
            f"WHEN CASE WHEN {is_date(other)} THEN {ref}::date < {other}::date ELSE false END "
            f"THEN {ref} || ' is before {column.not_before} ' || {other} || '.'"
        )
    return branches


def _count_branches(column: Column, ref: str) -> list[str]:
    over = "NULL"
    if column.at_most:
        other = cell(column.at_most)
        over = (
            f"CASE WHEN {_is_count(other)} THEN CASE WHEN {ref}::int > {other}::int "
            f"THEN {ref} || ' is more than {column.at_most} (' || {other} || ').' END END"
        )
    return [
        f"WHEN {_is_count(ref)} THEN {over}",
        f"WHEN {ref} ~ {COUNT_PATTERN} THEN {_shown(ref)} || ' is too large.'",
        f"WHEN {ref} ~ '^-[0-9]+$' THEN {_shown(ref)} || ' is negative: counts cannot be.'",
        f"ELSE {_shown(ref)} || ' is not a whole number.'",
    ]


def _snapshot_order_branch(ref: str) -> str:
    # History is built forwards: a snapshot older than the one that placed the person where
    # they are now cannot be slotted in behind it.
    return (
        f"WHEN m.valid_from > %(as_of)s AND mh.ref IS DISTINCT FROM {ref} "
        "THEN 'this person is recorded in household ' || mh.ref || ' from ' || m.valid_from "
        "|| ' by a later snapshot: import people files in date order.'"
    )


def _joins(kind: Kind) -> str:
    joins = []
    names = kind.column_names
    if kind.name == "people":
        joins.append(
            "LEFT JOIN families_person p ON p.ref = s.person_ref "
            "LEFT JOIN families_membership m ON m.person_id = p.id AND m.valid_to IS NULL "
            "LEFT JOIN families_household mh ON mh.id = m.household_id"
        )
    elif "person_ref" in names:
        joins.append("LEFT JOIN families_person p ON p.ref = s.person_ref")
    if kind.person_or_household:
        joins.append("LEFT JOIN families_household hh ON hh.ref = s.household_ref")
    return " ".join(joins)


def validation_sql(kind: Kind) -> str:
    checks = [_check(kind, column) for column in kind.columns]
    selected = ", ".join(f"{check} AS c{index}" for index, check in enumerate(checks))
    cells = ", ".join(
        f"({index}, {_literal(column.name)}, b.c{index})"
        for index, column in enumerate(kind.columns)
    )
    return f"""
WITH bad AS MATERIALIZED (
    SELECT s.line, {selected}
    FROM {STAGING_TABLE} s {_joins(kind)}
    WHERE num_nonnulls({", ".join(checks)}) > 0
), errors AS MATERIALIZED (
    SELECT b.line, e.ord, e.col, e.msg
    FROM bad b CROSS JOIN LATERAL (VALUES {cells}) AS e(ord, col, msg)
    WHERE e.msg IS NOT NULL
)
SELECT (SELECT count(*) FROM errors), (SELECT count(*) FROM bad),
       (SELECT coalesce(json_agg(json_build_array(line, col, msg) ORDER BY line, ord), '[]')
        FROM (SELECT * FROM errors ORDER BY line, ord LIMIT %(limit)s) kept)::text
"""


def validate(cursor, kind: Kind, *, as_of: date) -> None:
    """Raise ``Rejected`` naming every bad cell of every row; return if all is well."""
    cursor.execute(validation_sql(kind), {"as_of": as_of, "limit": MAX_STORED_ERRORS})
    total, rows_rejected, kept = cursor.fetchone()
    if total:
        problems = [Problem(line, column, message) for line, column, message in json.loads(kept)]
        raise Rejected(problems, total=total, rows_rejected=rows_rejected)
