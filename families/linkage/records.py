"""The one place that decides which partner records count (linkage.md, "only linked").

A record of an identified file names its source person; its ``person`` is that source
person's linked person, or NULL while it is possible or unlinked. Every rule joins records
on ``person_id``, so it counts exactly the linked records without knowing linkage exists.
Whatever changes a link calls ``records_follow_links`` in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from families.models import (
    AsbEvent,
    Attendance,
    BenefitSpell,
    Concern,
    EducationStatus,
    EmploymentSpell,
    Exclusion,
    Offence,
    WorkProgress,
)

RECORD_TABLES = tuple(
    model._meta.db_table
    for model in (
        Attendance,
        Exclusion,
        EducationStatus,
        Offence,
        AsbEvent,
        BenefitSpell,
        EmploymentSpell,
        WorkProgress,
        Concern,
    )
)

# The rows whose person is not their source person's link, and where each moves: read
# first, so the update can say whom each record left.
_FOLLOW = """
WITH moving AS (
    SELECT r.id, r.person_id AS old_person_id, sp.person_id AS new_person_id
    FROM {table} r JOIN families_sourceperson sp ON sp.id = r.source_person_id
    WHERE r.source_person_id = ANY(%(ids)s) AND r.person_id IS DISTINCT FROM sp.person_id
    FOR UPDATE OF r
), moved AS (
    UPDATE {table} r SET person_id = m.new_person_id
    FROM moving m WHERE r.id = m.id
    RETURNING m.old_person_id, m.new_person_id
)
SELECT ARRAY(
    SELECT old_person_id FROM moved WHERE old_person_id IS NOT NULL
    UNION
    SELECT new_person_id FROM moved WHERE new_person_id IS NOT NULL
)
"""

_HOUSEHOLDS = """
SELECT DISTINCT household_id FROM families_membership WHERE person_id = ANY(%(persons)s)
"""


def records_follow_links(*, source_person_ids: Iterable[int]) -> set[int]:
    """Point every record of ``source_person_ids`` at its source person's linked person (or
    at nobody), one UPDATE per record table; returns the households of every person a
    record left or joined, which are the ones to recalculate."""
    ids = sorted(set(source_person_ids))
    if not ids:
        return set()
    persons: set[int] = set()
    with connection.cursor() as cursor:
        for table in RECORD_TABLES:
            cursor.execute(_FOLLOW.format(table=table), {"ids": ids})
            persons.update(cursor.fetchone()[0])
        if not persons:
            return set()
        cursor.execute(_HOUSEHOLDS, {"persons": sorted(persons)})
        return {household_id for (household_id,) in cursor.fetchall()}
