"""Every rule of data-formats.md checked over the whole staging table in one statement.

A million rows pass through here, so the work is split by what it depends on:

- what depends on a cell's value alone (is it a real date, a count, one of the choices, not
  after the as-of day) is decided once per *distinct* value of the column: a file of a
  million rows has a few thousand dates and a few hundred counts;
- what depends on the row (a known person, blank cells, an end before its start,
  unauthorised above possible sessions) is checked per row, cheaply, once the values
  involved are known to be good.

Each check is a ``CASE`` that yields what is wrong, or NULL. Its branches run in order, so a
cell is only cast (``::int``) once an earlier branch has proved the cast safe: PostgreSQL 15
has no ``pg_input_is_valid``, and an exception handler per row would be far slower. Dates
are compared as text in the "C" collation: ``YYYY-MM-DD`` with a four-digit year sorts as the
calendar does, and byte comparison is the cheapest there is.
"""

from __future__ import annotations

import json
from datetime import date

from families.dates import terms_of
from families.imports.kinds import Column, Kind, Type
from families.imports.staging import STAGING_TABLE, Problem, Rejected

# Errors kept in the report; the total is kept beside them however many there are.
MAX_STORED_ERRORS = 1000

# Months 01-12 and days 01-31; whether the day exists in that month is checked after.
DATE_PATTERN = "'^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'"
DATE_SHAPE = "'^[0-9]{4}-[0-9]{2}-[0-9]{2}$'"
# Counts are stored as PostgreSQL integers: up to nine digits is always safe.
COUNT_PATTERN = "'^[0-9]{1,9}$'"
ACADEMIC_YEAR_PATTERN = "'^[0-9]{4}/[0-9]{2}$'"
# Types whose checks depend on the value alone, so run once per distinct value.
VALUE_TYPES = {Type.DATE, Type.COUNT, Type.CHOICE, Type.ACADEMIC_YEAR, Type.NINO, Type.UPN}
# National Insurance numbers in any case, spaces ignored (AB 12 34 56 C); a UPN is DfE's
# check letter and 12 digits (the check letter itself is not verified).
NINO_PATTERN = "'^[A-Z]{2}[0-9]{6}[A-D]$'"
UPN_PATTERN = "'^[A-Z][0-9]{12}$'"
UNKNOWN_PERSON = "' is not a known person: import it in a people file first.'"
UNKNOWN_HOUSEHOLD = "' is not a known household: import it in a people file first.'"


def cell(name: str) -> str:
    return f's."{name}"'


def blank(ref: str) -> str:
    return f"coalesce({ref}, '') = ''"


def _bytes(ref: str) -> str:
    return f'{ref} COLLATE "C"'


def _shown(ref: str) -> str:
    # Quoted so that a stray space shows; cut short so a runaway cell cannot flood the report.
    return f"quote_literal(left({ref}, 40))"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def term_start_sql(year_ref: str, term_ref: str) -> str:
    """The first day of a term (autumn 1 Sep, spring 1 Jan, summer 1 Apr; dates.terms_of)."""
    first = f"left({year_ref}, 4)::int"
    return (
        f"CASE {term_ref} WHEN 'autumn' THEN make_date({first}, 9, 1) "
        f"WHEN 'spring' THEN make_date({first} + 1, 1, 1) ELSE make_date({first} + 1, 4, 1) END"
    )


def term_end_sql(year_ref: str, term_ref: str) -> str:
    first = f"left({year_ref}, 4)::int"
    return (
        f"CASE {term_ref} WHEN 'autumn' THEN make_date({first}, 12, 31) "
        f"WHEN 'spring' THEN make_date({first} + 1, 3, 31) ELSE make_date({first} + 1, 8, 31) END"
    )


# --- checks on one distinct, non-blank value ``v`` ----------------------------------------


def _value_check(column: Column, v: str) -> str:
    match column.type:
        case Type.DATE:
            return (
                f"CASE WHEN {v} !~ {DATE_PATTERN} THEN {_shown(v)} || "
                f"CASE WHEN {v} ~ {DATE_SHAPE} THEN ' is not a real date.' "
                "ELSE ' is not a date written YYYY-MM-DD.' END "
                f"WHEN NOT ({_day_exists(v)}) THEN {_shown(v)} || ' is not a real date.' "
                f"WHEN {_bytes(v)} > %(as_of_text)s "
                f"THEN {v} || ' is after the as-of day ' || %(as_of_text)s || '.' END"
            )
        case Type.COUNT:
            return (
                f"CASE WHEN {v} ~ {COUNT_PATTERN} THEN NULL "
                f"WHEN {v} ~ '^[0-9]+$' THEN {_shown(v)} || ' is too large.' "
                f"WHEN {v} ~ '^-[0-9]+$' THEN {_shown(v)} || ' is negative: counts cannot be.' "
                f"ELSE {_shown(v)} || ' is not a whole number.' END"
            )
        case Type.CHOICE:
            allowed = ", ".join(_literal(choice) for choice in column.choices)
            listed = _literal(" is not one of " + ", ".join(column.choices) + ".")
            return f"CASE WHEN {v} IN ({allowed}) THEN NULL ELSE {_shown(v)} || {listed} END"
        case Type.ACADEMIC_YEAR:
            first = f"left({v}, 4)::int"
            return (
                f"CASE WHEN {v} !~ {ACADEMIC_YEAR_PATTERN} "
                f"THEN {_shown(v)} || ' is not an academic year written like 2011/12.' "
                f"WHEN {first} < 1 OR mod({first} + 1, 100) <> right({v}, 2)::int "
                f"THEN {_shown(v)} || ' is not an academic year: the second year must "
                "follow the first (2011/12).' END"
            )
        case Type.NINO:
            return (
                f"CASE WHEN {normalised_identifier(v)} !~ {NINO_PATTERN} THEN {_shown(v)} || "
                "' is not a National Insurance number: two letters, six digits and a letter "
                "A to D, like QQ123456C.' END"
            )
        case Type.UPN:
            return (
                f"CASE WHEN {normalised_identifier(v)} !~ {UPN_PATTERN} THEN {_shown(v)} || "
                "' is not a unique pupil number: a letter and 12 digits (13 characters).' END"
            )
    raise AssertionError(column.type)


def normalised_identifier(ref: str) -> str:
    """A NINO or UPN as it is compared and stored: upper case, without spaces."""
    return f"upper(replace({ref}, ' ', ''))"


def _day_exists(v: str) -> str:
    """For a value matching DATE_PATTERN: does the day exist (no 2013-02-30, no year 0)?"""
    day, month, year = f"substr({v}, 9, 2)", f"substr({v}, 6, 2)", f"left({v}, 4)::int"
    leap = f"mod({year}, 4) = 0 AND (mod({year}, 100) <> 0 OR mod({year}, 400) = 0)"
    return (
        f"CASE WHEN left({v}, 4) = '0000' THEN false "
        f"WHEN {_bytes(day)} <= '28' THEN true "
        f"WHEN {month} = '02' THEN {day} = '29' AND {leap} "
        f"WHEN {month} IN ('04', '06', '09', '11') THEN {day} <> '31' "
        "ELSE true END"
    )


# --- checks on each row --------------------------------------------------------------------


class _Row:
    """Builds the per-row check of each column of one kind."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.valued = [column for column in kind.columns if column.type in VALUE_TYPES]

    def value_alias(self, name: str) -> str:
        return f"v{[column.name for column in self.valued].index(name)}"

    def _good(self, name: str) -> str:
        """The row's cell in ``name`` holds a good value (not blank, not a bad value)."""
        return f"NOT {blank(cell(name))} AND {self.value_alias(name)}.msg IS NULL"

    def check(self, column: Column) -> str:
        ref = cell(column.name)
        owners = (self.kind.person_column, "household_ref")
        if self.kind.person_or_household and column.name in owners:
            return self._either(column.name)
        if column.type in VALUE_TYPES:
            branches = [
                f"WHEN {self.value_alias(column.name)}.msg IS NOT NULL THEN "
                f"{self.value_alias(column.name)}.msg"
            ]
            branches += self._across(column, ref)
        elif column.type == Type.PERSON:
            branches = [f"WHEN p.id IS NULL THEN {_shown(ref)} || {UNKNOWN_PERSON}"]
        else:
            branches = []
            if column.max_length:
                branches.append(
                    f"WHEN length({ref}) > {column.max_length} "
                    f"THEN 'is longer than {column.max_length} characters.'"
                )
            if self.kind.name == "people" and column.name == "household_ref":
                branches.append(_snapshot_order_branch(ref))
        if column.identity:
            branches.append(_same_identity_branch(column))
        on_blank = "NULL" if column.blank else "'is blank.'"
        if column.identity and self.kind.person_or_household:
            # A row naming a household has no identity to give.
            source_id = cell("source_person_id")
            on_blank = f"CASE WHEN {blank(source_id)} THEN NULL ELSE 'is blank.' END"
        return f"CASE WHEN {blank(ref)} THEN {on_blank} " + " ".join(branches) + " END"

    def _across(self, column: Column, ref: str) -> list[str]:
        """Checks that compare this cell with another of the same row, once both are good."""
        if column.at_most:
            other = cell(column.at_most)
            return [
                f"WHEN CASE WHEN {self._good(column.at_most)} THEN {ref}::int > {other}::int "
                "ELSE false END "
                f"THEN {ref} || ' is more than {column.at_most} (' || {other} || ').'"
            ]
        if column.not_before:
            other = cell(column.not_before)
            return [
                f"WHEN CASE WHEN {self._good(column.not_before)} "
                f"THEN {_bytes(ref)} < {other} ELSE false END "
                f"THEN {ref} || ' is before {column.not_before} ' || {other} || '.'"
            ]
        if column.type == Type.ACADEMIC_YEAR:
            term = cell("term")
            # Compared as text: academic years sort as their first calendar year does.
            starts_later = (
                f"CASE WHEN {_bytes(ref)} > %(current_year)s THEN true "
                f"WHEN {ref} = %(current_year)s THEN {term} = ANY(%(unstarted_terms)s::text[]) "
                "ELSE false END"
            )
            return [
                f"WHEN CASE WHEN {self._good('term')} THEN {starts_later} ELSE false END "
                f"THEN 'the ' || {term} || ' term of ' || {ref} "
                "|| ' starts after the as-of day ' || %(as_of_text)s || '.'"
            ]
        return []

    def _either(self, name: str) -> str:
        person, household = cell(self.kind.person_column), cell("household_ref")
        if name == "household_ref":
            return (
                f"CASE WHEN {blank(household)} OR NOT {blank(person)} THEN NULL "
                f"WHEN hh.id IS NULL THEN {_shown(household)} || {UNKNOWN_HOUSEHOLD} END"
            )
        if self.kind.identified:
            known = f"WHEN length({person}) > 64 THEN 'is longer than 64 characters.' "
        else:
            known = f"WHEN p.id IS NULL THEN {_shown(person)} || {UNKNOWN_PERSON} "
        return (
            f"CASE WHEN {blank(person)} AND {blank(household)} "
            "THEN 'is blank, and so is household_ref: give exactly one of the two.' "
            f"WHEN NOT {blank(person)} AND NOT {blank(household)} "
            "THEN 'is filled in, and so is household_ref: give exactly one of the two.' "
            f"WHEN {blank(person)} THEN NULL {known}END"
        )

    def joins(self) -> str:
        joins = []
        if self.kind.name == "people":
            joins.append(
                "LEFT JOIN families_person p ON p.ref = s.person_ref "
                "LEFT JOIN families_membership m ON m.person_id = p.id AND m.valid_to IS NULL "
                "LEFT JOIN families_household mh ON mh.id = m.household_id"
            )
        elif "person_ref" in self.kind.column_names:
            joins.append("LEFT JOIN families_person p ON p.ref = s.person_ref")
        if self.kind.person_or_household:
            joins.append("LEFT JOIN families_household hh ON hh.ref = s.household_ref")
        if self.kind.identified:
            joins.append("LEFT JOIN first_identity fi ON fi.source_person_id = s.source_person_id")
        for index, column in enumerate(self.valued):
            joins.append(
                f"LEFT JOIN bad_values v{index} "
                f"ON v{index}.col = {index} AND v{index}.val = {cell(column.name)}"
            )
        return " ".join(joins)


def _same_identity_branch(column: Column) -> str:
    # Rows of one source person are compared with its first row: names in any case and
    # without surrounding spaces, a date of birth as written.
    ref, first = cell(column.name), f'fi."{column.name}"'
    compared, first_compared = ref, first
    if column.type == Type.TEXT:
        compared, first_compared = f"lower(btrim({ref}))", f"lower(btrim({first}))"
    label = column.name.replace("_", " ")
    return (
        f"WHEN fi.line <> s.line AND {compared} IS DISTINCT FROM {first_compared} "
        f"THEN {_shown(ref)} || ' disagrees with line ' || fi.line || ' ('"
        f" || {_shown(first)} || '): rows of one source_person_id must give the same "
        f"{label}.'"
    )


def _snapshot_order_branch(ref: str) -> str:
    # History is built forwards: a snapshot older than the one that placed the person where
    # they are now cannot be slotted in behind it.
    return (
        f"WHEN m.valid_from > %(as_of)s AND mh.ref IS DISTINCT FROM {ref} "
        "THEN 'this person is recorded in household ' || mh.ref || ' from ' || m.valid_from "
        "|| ' by a later snapshot: import people files in date order.'"
    )


def validation_sql(kind: Kind) -> str:
    row = _Row(kind)
    if row.valued:
        unpivot = ", ".join(
            f"({index}, {cell(column.name)})" for index, column in enumerate(row.valued)
        )
        value_checks = " ".join(
            f"WHEN {index} THEN {_value_check(column, 'd.val')}"
            for index, column in enumerate(row.valued)
        )
        bad_values = f"""
    SELECT d.col, d.val, CASE d.col {value_checks} END AS msg
    FROM (
        SELECT DISTINCT v.col, v.val
        FROM {STAGING_TABLE} s CROSS JOIN LATERAL (VALUES {unpivot}) AS v(col, val)
        WHERE v.val <> ''
    ) d"""
    else:
        bad_values = "SELECT NULL::int AS col, NULL::text AS val, NULL::text AS msg"
    checks = [row.check(column) for column in kind.columns]
    selected = ", ".join(f"{check} AS c{index}" for index, check in enumerate(checks))
    cells = ", ".join(
        f"({index}, {_literal(column.name)}, b.c{index})"
        for index, column in enumerate(kind.columns)
    )
    first_identity = ""
    if kind.identified:
        identity = ", ".join(f'"{column.name}"' for column in kind.columns if column.identity)
        first_identity = f"""first_identity AS MATERIALIZED (
    SELECT DISTINCT ON (source_person_id COLLATE "C") source_person_id, line, {identity}
    FROM {STAGING_TABLE} WHERE source_person_id <> ''
    ORDER BY source_person_id COLLATE "C", line
), """
    return f"""
WITH {first_identity}bad_values AS MATERIALIZED (
    SELECT * FROM ({bad_values}) checked WHERE msg IS NOT NULL
), bad AS MATERIALIZED (
    SELECT s.line, {selected}
    FROM {STAGING_TABLE} s {row.joins()}
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


def validation_params(as_of: date) -> dict[str, object]:
    first_year = as_of.year if as_of.month >= 9 else as_of.year - 1
    terms = terms_of(first_year)
    return {
        "as_of": as_of,
        "as_of_text": as_of.isoformat(),
        "current_year": terms[0].academic_year,
        "unstarted_terms": [term.name for term in terms if term.start > as_of],
        "limit": MAX_STORED_ERRORS,
    }


def validate(cursor, kind: Kind, *, as_of: date) -> None:
    """Raise ``Rejected`` naming every bad cell of every row; return if all is well."""
    cursor.execute(validation_sql(kind), validation_params(as_of))
    total, rows_rejected, kept = cursor.fetchone()
    if total:
        problems = [Problem(line, column, message) for line, column, message in json.loads(kept)]
        raise Rejected(problems, total=total, rows_rejected=rows_rejected)
