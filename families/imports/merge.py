"""Writing validated staging rows into the partner-record tables, one upsert per kind.

Each kind is upserted on its natural key (data-formats.md) with ``ON CONFLICT … DO UPDATE
… WHERE`` the row really changed, so importing the same file twice changes nothing. When a
file repeats a key the later line wins. Every merge reports what it created and updated and
which households those rows belong to, so only those households are recalculated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from families.imports.kinds import Kind
from families.imports.staging import STAGING_TABLE
from families.imports.validation import (
    blank,
    normalised_identifier,
    term_end_sql,
    term_start_sql,
)
from families.member_texts import refresh_member_texts
from families.models import (
    FIRST_SNAPSHOT_FROM,
    AsbEvent,
    Attendance,
    BenefitSpell,
    Concern,
    EducationStatus,
    EmploymentSpell,
    Exclusion,
    LinkStatus,
    Offence,
    WorkProgress,
)


@dataclass
class MergeResult:
    rows_distinct: int = 0
    created: int = 0
    updated: int = 0
    household_ids: set[int] = field(default_factory=set)
    # An identified file's source persons by where they stand (linkage.md's summary).
    linking: dict[str, object] = field(default_factory=dict)

    @property
    def unchanged(self) -> int:
        return self.rows_distinct - self.created - self.updated

    def add(self, other: MergeResult) -> None:
        self.rows_distinct += other.rows_distinct
        self.created += other.created
        self.updated += other.updated
        self.household_ids |= other.household_ids


@dataclass(frozen=True)
class Target:
    """One upsert: which table, whose records (a person's or a household's), its natural key
    and the other columns, each as (table column, SQL over the staging row ``s``)."""

    table: str
    owner: str  # "person" or "household"
    key: tuple[tuple[str, str], ...]
    values: tuple[tuple[str, str], ...] = ()
    # For kinds whose rows name a person or a household (asb, concerns): each owner has a
    # partial unique index of its own, and takes only the rows that name it.
    partial: bool = False


def _text(name: str) -> str:
    return f's."{name}"'


def _sortable(expr: str) -> str:
    # A plain text cell sorts byte by byte: the order only has to group equal keys together.
    return f'{expr} COLLATE "C"' if expr.endswith('"') else expr


def _date(name: str) -> str:
    return f's."{name}"::date'


def _optional_date(name: str) -> str:
    return f"""NULLIF(s."{name}", '')::date"""


def _person_and_household(table: str, key: tuple[tuple[str, str], ...], values) -> list[Target]:
    return [Target(table, owner, key, values, partial=True) for owner in ("person", "household")]


TARGETS: dict[str, list[Target]] = {
    "attendance": [
        Target(
            Attendance._meta.db_table,
            "person",
            key=(("academic_year", _text("academic_year")), ("term", _text("term"))),
            values=(
                ("term_start", term_start_sql(_text("academic_year"), _text("term"))),
                ("term_end", term_end_sql(_text("academic_year"), _text("term"))),
                ("possible_sessions", 's."possible_sessions"::int'),
                ("unauthorised_sessions", 's."unauthorised_sessions"::int'),
            ),
        )
    ],
    "exclusions": [
        Target(
            Exclusion._meta.db_table,
            "person",
            key=(("start_date", _date("start_date")), ("exclusion_type", _text("exclusion_type"))),
            values=(("sessions", """NULLIF(s."sessions", '')::int"""),),
        )
    ],
    "education_status": [
        Target(
            EducationStatus._meta.db_table,
            "person",
            key=(("status", _text("status")), ("start_date", _date("start_date"))),
            values=(("reason", _text("reason")), ("end_date", _optional_date("end_date"))),
        )
    ],
    "offences": [
        Target(
            Offence._meta.db_table,
            "person",
            key=(("source_ref", _text("source_ref")),),
            values=(
                ("offence_date", _date("offence_date")),
                ("outcome_date", _optional_date("outcome_date")),
                ("offence_type", """coalesce(s."offence_type", '')"""),
                ("outcome_type", """coalesce(s."outcome_type", '')"""),
            ),
        )
    ],
    "asb": _person_and_household(
        AsbEvent._meta.db_table,
        key=(("source_ref", _text("source_ref")),),
        values=(("event_date", _date("event_date")), ("event_type", _text("event_type"))),
    ),
    "benefits": [
        Target(
            BenefitSpell._meta.db_table,
            "person",
            key=(("benefit", _text("benefit")), ("start_date", _date("start_date"))),
            values=(("end_date", _optional_date("end_date")),),
        )
    ],
    "employment": [
        Target(
            EmploymentSpell._meta.db_table,
            "person",
            key=(("start_date", _date("start_date")),),
            values=(("end_date", _optional_date("end_date")),),
        )
    ],
    "work_progress": [
        Target(
            WorkProgress._meta.db_table,
            "person",
            key=(("provision", _text("provision")), ("attached_date", _date("attached_date"))),
        )
    ],
    "concerns": _person_and_household(
        Concern._meta.db_table,
        key=(("concern", _text("concern")), ("start_date", _date("start_date"))),
        values=(("end_date", _optional_date("end_date")),),
    ),
}


def upsert_sql(target: Target, *, identified: bool = False) -> str:
    """The upsert of one target. A person's record of an identified file (linkage.md) is
    keyed by its source person, and names that source person's linked person (or none)."""
    values = list(target.values)
    if target.owner == "household":
        owner_column = "household_id"
        join = "JOIN families_household o ON o.ref = s.household_ref"
        conflict_where = " WHERE household_id IS NOT NULL"
        only_owner = "true"
    elif identified:
        owner_column = "source_person_id"
        join = (
            "JOIN families_sourceperson o "
            "ON o.source = %(source)s AND o.source_person_id = s.source_person_id"
        )
        conflict_where = " WHERE source_person_id IS NOT NULL"
        only_owner = "true"
        values.append(("person_id", "o.person_id"))
    else:
        owner_column = "person_id"
        join = "JOIN families_person o ON o.ref = s.person_ref"
        conflict_where = " WHERE source_person_id IS NULL"
        if target.partial:
            conflict_where += " AND person_id IS NOT NULL"
        only_owner = "t.source_person_id IS NULL"
    owner_ref = "household_ref" if target.owner == "household" else "person_ref"
    if identified and target.owner == "person":
        owner_ref = "source_person_id"
    where = f"WHERE NOT {blank(_text(owner_ref))}" if target.partial else ""

    key_columns = [owner_column] + [column for column, _ in target.key]
    dedupe = ", ".join(["o.id"] + [_sortable(expr) for _, expr in target.key])
    value_columns = [column for column, _ in values]
    columns = key_columns + value_columns
    exprs = ["o.id"] + [expr for _, expr in target.key] + [expr for _, expr in values]
    select = ", ".join(f"{expr} AS {column}" for column, expr in zip(columns, exprs, strict=True))
    same_key = " AND ".join([f"t.{column} = src.{column}" for column in key_columns] + [only_owner])
    if value_columns:
        existing = ", ".join(f"t.{column}" for column in value_columns)
        incoming = ", ".join(f"src.{column}" for column in value_columns)
        unchanged_filter = f"t.id IS NULL OR ({existing}) IS DISTINCT FROM ({incoming})"
        assignments = ", ".join(f"{column} = EXCLUDED.{column}" for column in value_columns)
        excluded = ", ".join(f"EXCLUDED.{column}" for column in value_columns)
        on_conflict = (
            f"DO UPDATE SET {assignments}, import_batch_id = EXCLUDED.import_batch_id "
            f"WHERE ({existing}) IS DISTINCT FROM ({excluded})"
        )
    else:
        # Nothing but the key: a row either exists or it does not.
        unchanged_filter = "t.id IS NULL"
        on_conflict = "DO NOTHING"
    household = "t.household_id" if target.partial else "NULL::bigint"
    # Rows that would not change are left out before the upsert: ON CONFLICT locks every
    # row it meets, even when its WHERE then declines the update, and a re-imported
    # million-row file would otherwise rewrite a million row headers for nothing.
    return f"""
WITH src AS MATERIALIZED (
    SELECT DISTINCT ON ({dedupe}) {select}
    FROM {STAGING_TABLE} s {join} {where}
    ORDER BY {dedupe}, s.line DESC
), changed AS (
    SELECT src.* FROM src LEFT JOIN {target.table} t ON {same_key}
    WHERE {unchanged_filter}
), written AS (
    INSERT INTO {target.table} AS t ({", ".join(columns)}, import_batch_id)
    SELECT {", ".join(columns)}, %(batch)s FROM changed
    ON CONFLICT ({", ".join(key_columns)}){conflict_where} {on_conflict}
    RETURNING t.xmax = 0 AS created, t.person_id, {household} AS household_id
), touched AS (
    SELECT m.household_id FROM families_membership m
    WHERE m.person_id IN (SELECT person_id FROM written)
    UNION
    SELECT household_id FROM written WHERE household_id IS NOT NULL
)
SELECT (SELECT count(*) FROM src),
       (SELECT count(*) FROM written WHERE created),
       (SELECT count(*) FROM written WHERE NOT created),
       ARRAY(SELECT household_id FROM touched)
"""


def tables_written(kind: Kind) -> list[str]:
    if kind.name == "people":
        return ["families_household", "families_person", "families_membership"]
    return sorted({target.table for target in TARGETS[kind.name]})


def merge_records(cursor, kind: Kind, *, batch_id: int, source: str = "") -> MergeResult:
    result = MergeResult()
    for target in TARGETS[kind.name]:
        sql = upsert_sql(target, identified=kind.identified)
        cursor.execute(sql, {"batch": batch_id, "source": source})
        distinct, created, updated, households = cursor.fetchone()
        result.add(MergeResult(distinct, created, updated, set(households)))
    return result


# --- identified files: the partner's people, as they last gave themselves ------------------

_IDENTITY = "given_name, family_name, date_of_birth, postcode, upn, nino"

_SOURCE_PERSONS = f"""
WITH rows AS MATERIALIZED (
    SELECT DISTINCT ON (s.source_person_id COLLATE "C")
           s.source_person_id, s.given_name, s.family_name,
           s.date_of_birth::date AS date_of_birth, coalesce(s.postcode, '') AS postcode,
           {normalised_identifier("coalesce(s.upn, '')")} AS upn,
           {normalised_identifier("coalesce(s.nino, '')")} AS nino
    FROM {STAGING_TABLE} s
    WHERE s.source_person_id <> ''
    ORDER BY s.source_person_id COLLATE "C", s.line DESC
), written AS (
    INSERT INTO families_sourceperson AS t
        (source, source_person_id, {_IDENTITY}, status, method, decision, first_batch_id,
         last_batch_id)
    SELECT %(source)s, r.source_person_id, r.given_name, r.family_name, r.date_of_birth,
           r.postcode, r.upn, r.nino, %(unlinked)s, '', '', %(batch)s, %(batch)s
    FROM rows r
    LEFT JOIN families_sourceperson sp
        ON sp.source = %(source)s AND sp.source_person_id = r.source_person_id
    WHERE sp.id IS NULL
       OR (sp.given_name, sp.family_name, sp.date_of_birth, sp.postcode, sp.upn, sp.nino)
          IS DISTINCT FROM (r.given_name, r.family_name, r.date_of_birth, r.postcode, r.upn, r.nino)
    ON CONFLICT (source, source_person_id) DO UPDATE SET
        given_name = EXCLUDED.given_name, family_name = EXCLUDED.family_name,
        date_of_birth = EXCLUDED.date_of_birth, postcode = EXCLUDED.postcode,
        upn = EXCLUDED.upn, nino = EXCLUDED.nino, last_batch_id = EXCLUDED.last_batch_id
    RETURNING t.xmax = 0 AS created
)
SELECT (SELECT count(*) FROM rows), (SELECT count(*) FROM written WHERE created)
"""


def merge_source_persons(cursor, *, source: str, batch_id: int) -> tuple[int, int]:
    """Upsert the file's source persons on (source, source_person_id), each with the
    identity of its last row; a new one starts unlinked. Returns (named, new)."""
    cursor.execute(
        _SOURCE_PERSONS, {"source": source, "batch": batch_id, "unlinked": LinkStatus.UNLINKED}
    )
    named, new = cursor.fetchone()
    return named, new


# --- people: persons, households on demand, and membership history -------------------------

_PEOPLE_ROWS = f"""
CREATE TEMP TABLE import_people AS
SELECT DISTINCT ON (s.person_ref COLLATE "C")
       s.person_ref, s.household_ref, s.given_name, s.family_name,
       s.date_of_birth::date AS date_of_birth, s.sex, coalesce(s.postcode, '') AS postcode,
       coalesce(s.upn, '') AS upn, coalesce(s.nino, '') AS nino
FROM {STAGING_TABLE} s
ORDER BY s.person_ref COLLATE "C", s.line DESC
"""

_HOUSEHOLDS = """
INSERT INTO families_household (ref, created_at)
SELECT DISTINCT r.household_ref COLLATE "C", now()
FROM import_people r
WHERE NOT EXISTS (SELECT FROM families_household h WHERE h.ref = r.household_ref)
ON CONFLICT (ref) DO NOTHING
"""

_PERSONS = """
CREATE TEMP TABLE import_person_changes AS
WITH written AS (
    INSERT INTO families_person AS t
        (ref, given_name, family_name, date_of_birth, sex, postcode, upn, nino, import_batch_id)
    SELECT r.person_ref, r.given_name, r.family_name, r.date_of_birth, r.sex, r.postcode,
           r.upn, r.nino, %(batch)s
    FROM import_people r LEFT JOIN families_person p ON p.ref = r.person_ref
    WHERE p.id IS NULL
       OR (p.given_name, p.family_name, p.date_of_birth, p.sex, p.postcode, p.upn, p.nino)
          IS DISTINCT FROM
          (r.given_name, r.family_name, r.date_of_birth, r.sex, r.postcode, r.upn, r.nino)
    ON CONFLICT (ref) DO UPDATE SET
        given_name = EXCLUDED.given_name, family_name = EXCLUDED.family_name,
        date_of_birth = EXCLUDED.date_of_birth, sex = EXCLUDED.sex,
        postcode = EXCLUDED.postcode, upn = EXCLUDED.upn, nino = EXCLUDED.nino,
        import_batch_id = EXCLUDED.import_batch_id
    WHERE (t.given_name, t.family_name, t.date_of_birth, t.sex, t.postcode, t.upn, t.nino)
          IS DISTINCT FROM
          (EXCLUDED.given_name, EXCLUDED.family_name, EXCLUDED.date_of_birth, EXCLUDED.sex,
           EXCLUDED.postcode, EXCLUDED.upn, EXCLUDED.nino)
    RETURNING t.id AS person_id, t.xmax = 0 AS created
)
SELECT * FROM written
"""

# Who is not (yet) where this snapshot puts them: no membership at all, or an open one in
# another household.
_MOVES = """
CREATE TEMP TABLE import_moves AS
SELECT p.id AS person_id, h.id AS household_id, m.id AS open_id,
       m.household_id AS old_household_id, m.valid_from AS open_from
FROM import_people r
JOIN families_person p ON p.ref = r.person_ref
JOIN families_household h ON h.ref = r.household_ref
LEFT JOIN families_membership m ON m.person_id = p.id AND m.valid_to IS NULL
WHERE m.id IS NULL OR m.household_id <> h.id
"""

# A second snapshot on the day the open membership began corrects it rather than adding a
# day-long membership.
_CORRECT_SAME_DAY = """
UPDATE families_membership m
SET household_id = mv.household_id, import_batch_id = %(batch)s
FROM import_moves mv
WHERE m.id = mv.open_id AND mv.open_from = %(as_of)s
"""

_CLOSE_MOVED = """
UPDATE families_membership m
SET valid_to = %(as_of)s
FROM import_moves mv
WHERE m.id = mv.open_id AND mv.open_from < %(as_of)s
"""

# A person's first snapshot holds from the beginning of time; a move, from the as-of day.
_OPEN_NEW = """
INSERT INTO families_membership (person_id, household_id, valid_from, valid_to, import_batch_id)
SELECT person_id, household_id,
       CASE WHEN open_id IS NULL THEN %(first)s::date ELSE %(as_of)s END, NULL, %(batch)s
FROM import_moves
WHERE open_id IS NULL OR open_from < %(as_of)s
"""

_PEOPLE_COUNTS = """
WITH changed AS (
    SELECT person_id, bool_or(created) AS created
    FROM (
        SELECT person_id, created FROM import_person_changes
        UNION ALL
        SELECT person_id, false FROM import_moves
    ) rows
    GROUP BY person_id
)
SELECT (SELECT count(*) FROM import_people),
       (SELECT count(*) FROM changed WHERE created),
       (SELECT count(*) FROM changed WHERE NOT created),
       ARRAY(
           SELECT m.household_id FROM families_membership m JOIN changed USING (person_id)
           UNION
           SELECT old_household_id FROM import_moves WHERE old_household_id IS NOT NULL
       )
"""

_PEOPLE_TEMP_TABLES = ("import_people", "import_person_changes", "import_moves")


def merge_people(cursor, *, batch_id: int, as_of: date) -> MergeResult:
    """Upsert persons on person_ref, create households on demand, and move members.

    ``people`` is a snapshot on ``as_of``: a person placed in another household than their
    open membership's has that membership closed on ``as_of`` and a new one opened from it,
    so the records dated before the move still count where the person lived then.
    """
    params = {"batch": batch_id, "as_of": as_of, "first": FIRST_SNAPSHOT_FROM}
    _drop(cursor, _PEOPLE_TEMP_TABLES)
    cursor.execute(_PEOPLE_ROWS)
    cursor.execute(_HOUSEHOLDS)
    cursor.execute(_PERSONS, params)
    cursor.execute(_MOVES)
    # Temporary tables are never analysed automatically; the steps below join them.
    cursor.execute("ANALYZE import_person_changes, import_moves")
    cursor.execute(_CORRECT_SAME_DAY, params)
    cursor.execute(_CLOSE_MOVED, params)
    cursor.execute(_OPEN_NEW, params)
    cursor.execute(_PEOPLE_COUNTS)
    distinct, created, updated, households = cursor.fetchone()
    refresh_member_texts(cursor, households)
    _drop(cursor, _PEOPLE_TEMP_TABLES)
    return MergeResult(distinct, created, updated, set(households))


def _drop(cursor, tables: tuple[str, ...]) -> None:
    cursor.execute("DROP TABLE IF EXISTS " + ", ".join(f"pg_temp.{name}" for name in tables))
