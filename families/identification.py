"""Eligibility runs: store each recalculation, what it changed, and keep the current picture.

A run is all-or-nothing: its results, its changes and the new current picture are written in
one transaction, so a failed or interrupted run leaves the previous good run current. Two runs
never overlap: each holds a PostgreSQL advisory lock for its whole length.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record
from families import member_texts
from families.eligibility import RULES_VERSION, assessment_sql
from families.models import EligibilityRun
from tfp.advisory_lock import ELIGIBILITY_RUN_LOCK, try_advisory_lock

RUN_LOCK_KEY = ELIGIBILITY_RUN_LOCK
# Grouping and sorting a county's reasons and members wants more than PostgreSQL's default
# 4 MB, or they spill to disk; set for the run's transaction only.
WORK_MEM = "128MB"


class RunInProgress(Exception):
    """Another recalculation holds the lock; this one was refused, nothing was changed."""

    def __init__(self) -> None:
        super().__init__(
            "Another eligibility recalculation is running. Nothing was changed: "
            "try again when it has finished."
        )


@contextmanager
def _run_lock():
    with try_advisory_lock(RUN_LOCK_KEY) as held:
        if not held:
            raise RunInProgress()
        yield


def recalculate_all(*, as_of: date, trigger: str = "command", started_by=None) -> EligibilityRun:
    """Assess every household on ``as_of`` and make the result the current picture."""
    return _recalculate(as_of=as_of, household_ids=None, trigger=trigger, started_by=started_by)


def recalculate_households(
    *, household_ids: Iterable[int], trigger: str = "import", started_by=None
) -> EligibilityRun | None:
    """Reassess only ``household_ids`` (those an import touched) on the current run's day.

    Nothing to do before the first full run, or when no household was touched. Because the
    same statement assesses one household or all of them, a full run afterwards gives the
    same answers.
    """
    ids = sorted(set(household_ids))
    current = current_run()
    if not ids or current is None:
        return None
    return _recalculate(
        as_of=current.as_of, household_ids=ids, trigger=trigger, started_by=started_by
    )


def current_run() -> EligibilityRun | None:
    """The latest successful full run: its day is the day the current picture describes."""
    return (
        EligibilityRun.objects.filter(
            status=EligibilityRun.Status.SUCCEEDED, scope=EligibilityRun.Scope.FULL
        )
        .order_by("-finished_at", "-id")
        .first()
    )


def _recalculate(*, as_of, household_ids, trigger, started_by) -> EligibilityRun:
    # Called outside a transaction (as commands and tasks do), the run record commits on its
    # own, so a failure stays recorded while everything the run wrote is rolled back.
    with _run_lock():
        # Holding the lock, no other run can be going: a run still marked running was cut
        # off (its worker killed) and wrote nothing that counts.
        EligibilityRun.objects.filter(status=EligibilityRun.Status.RUNNING).update(
            status=EligibilityRun.Status.FAILED,
            finished_at=timezone.now(),
            error="Interrupted: the process running it stopped before it finished.",
        )
        run = EligibilityRun.objects.create(
            as_of=as_of,
            scope=EligibilityRun.Scope.FULL
            if household_ids is None
            else EligibilityRun.Scope.PARTIAL,
            rules_version=RULES_VERSION,
            trigger=trigger,
            started_by=started_by,
        )
        try:
            with transaction.atomic():
                _store_run(run, household_ids)
                audit_record(
                    action=AuditEntry.Action.RUN,
                    user=started_by,
                    obj=run,
                    summary=f"Eligibility recalculated as of {as_of} ({run.get_scope_display()})",
                    details={"households_eligible": run.households_eligible},
                )
        except BaseException as error:
            EligibilityRun.objects.filter(pk=run.pk).update(
                status=EligibilityRun.Status.FAILED,
                finished_at=timezone.now(),
                error=f"{type(error).__name__}: {error}"[:2000],
            )
            raise
    run.refresh_from_db()
    return run


# The steps of a run, each one set-based statement. %(run)s is the run's id.
# The assessment is written to a temporary table first: PostgreSQL plans a CREATE TABLE AS
# with parallel workers, which it never does for an INSERT ... SELECT. Every later step reads
# that table, analysed, rather than the run's rows in families_eligibilityresult: statistics
# know nothing of a run id that did not exist a moment ago, and a plan for "one row" over
# tens of thousands of them can take minutes.
_ASSESS = "CREATE TEMPORARY TABLE run_assessed ON COMMIT DROP AS {assessment}"

_INSERT_RESULTS = """
INSERT INTO families_eligibilityresult
    (run_id, household_id, crime_asb, education, work, local_discretion, criteria_met,
     eligible, reasons)
SELECT %(run)s, household_id, crime_asb, education, work, local_discretion, criteria_met,
       eligible, reasons
FROM run_assessed
"""

_SCOPE = "household_id = ANY(%(households)s)"

_INSERT_CHANGES = """
WITH before AS (
    SELECT * FROM families_currenteligibility {scope_where}
), after AS (
    SELECT * FROM run_assessed
), compared AS (
    SELECT coalesce(a.household_id, b.household_id) AS household_id,
           coalesce(b.eligible, false) AS was_eligible, coalesce(a.eligible, false) AS is_eligible,
           concat_ws(', ', CASE WHEN b.crime_asb THEN 'crime/ASB' END,
                     CASE WHEN b.education THEN 'education' END,
                     CASE WHEN b.work THEN 'work' END,
                     CASE WHEN b.local_discretion THEN 'local discretion' END) AS before_text,
           concat_ws(', ', CASE WHEN a.crime_asb THEN 'crime/ASB' END,
                     CASE WHEN a.education THEN 'education' END,
                     CASE WHEN a.work THEN 'work' END,
                     CASE WHEN a.local_discretion THEN 'local discretion' END) AS after_text
    FROM after a FULL OUTER JOIN before b ON a.household_id = b.household_id
)
INSERT INTO families_eligibilitychange (run_id, household_id, change, before, after)
SELECT %(run)s, household_id,
       CASE WHEN is_eligible AND NOT was_eligible THEN 'newly_eligible'
            WHEN was_eligible AND NOT is_eligible THEN 'no_longer_eligible'
            ELSE 'criteria_changed' END,
       before_text, after_text
FROM compared
WHERE was_eligible <> is_eligible OR before_text <> after_text
"""

# The current picture is upserted, not replaced: a household whose assessment is unchanged
# keeps its row, and the update (run and day only; no indexed column changes) is a HOT
# update that writes no index entries (the table leaves room on its pages for it). The
# members' names and postcodes on the day go with each row, for sorting and searching: the
# household's current ones (member_texts), unless its members changed after the day.
_UPSERT_CURRENT = f"""
WITH changed_after AS (
    SELECT DISTINCT m.household_id
    FROM run_assessed a
    JOIN families_membership m ON m.household_id = a.household_id
    WHERE m.valid_from > %(as_of)s OR m.valid_to > %(as_of)s
), on_the_day AS (
    SELECT m.household_id, {member_texts.TEXTS}
    FROM changed_after c
    JOIN families_membership m ON m.household_id = c.household_id
    JOIN families_person p ON p.id = m.person_id
    WHERE m.valid_from <= %(as_of)s AND (m.valid_to IS NULL OR m.valid_to > %(as_of)s)
    GROUP BY m.household_id
)
INSERT INTO families_currenteligibility AS t
    (household_id, run_id, as_of, crime_asb, education, work, local_discretion, criteria_met,
     eligible, reasons, eligible_since, changed_in_run_id, family_names, member_names, postcodes)
SELECT r.household_id, %(run)s, %(as_of)s, r.crime_asb, r.education, r.work,
       r.local_discretion, r.criteria_met, r.eligible, r.reasons,
       CASE WHEN r.eligible THEN %(as_of)s::date END,
       -- A household new to the picture is a change (it meets something now); one already
       -- in it changed if its criteria did (see the update).
       %(run)s,
       CASE WHEN c.household_id IS NULL THEN h.family_names
            ELSE coalesce(d.family_names, '') END,
       CASE WHEN c.household_id IS NULL THEN h.member_names
            ELSE coalesce(d.member_names, '') END,
       CASE WHEN c.household_id IS NULL THEN h.postcodes ELSE coalesce(d.postcodes, '') END
FROM run_assessed r
JOIN families_household h ON h.id = r.household_id
LEFT JOIN changed_after c ON c.household_id = r.household_id
LEFT JOIN on_the_day d ON d.household_id = r.household_id
ON CONFLICT (household_id) DO UPDATE SET
    run_id = EXCLUDED.run_id, as_of = EXCLUDED.as_of, crime_asb = EXCLUDED.crime_asb,
    education = EXCLUDED.education, work = EXCLUDED.work,
    local_discretion = EXCLUDED.local_discretion, criteria_met = EXCLUDED.criteria_met,
    eligible = EXCLUDED.eligible, reasons = EXCLUDED.reasons,
    -- An unbroken spell of eligibility keeps the day it began.
    eligible_since = CASE WHEN NOT EXCLUDED.eligible THEN NULL
                          WHEN t.eligible THEN t.eligible_since
                          ELSE EXCLUDED.eligible_since END,
    changed_in_run_id = CASE
        WHEN (t.crime_asb, t.education, t.work, t.local_discretion)
             IS DISTINCT FROM
             (EXCLUDED.crime_asb, EXCLUDED.education, EXCLUDED.work, EXCLUDED.local_discretion)
        THEN EXCLUDED.changed_in_run_id ELSE t.changed_in_run_id END,
    family_names = EXCLUDED.family_names, member_names = EXCLUDED.member_names,
    postcodes = EXCLUDED.postcodes
"""

# Households the run assessed that meet nothing any more leave the current picture.
_DELETE_GONE = """
DELETE FROM families_currenteligibility t
WHERE NOT EXISTS (SELECT FROM run_assessed r WHERE r.household_id = t.household_id) {scope_and}
"""

_COUNTS = """
WITH changes AS (
    SELECT count(*) FILTER (WHERE change = 'newly_eligible') AS newly,
           count(*) FILTER (WHERE change = 'no_longer_eligible') AS no_longer,
           count(*) FILTER (WHERE change = 'criteria_changed') AS changed
    FROM families_eligibilitychange WHERE run_id = %(run)s
)
SELECT count(*), count(*) FILTER (WHERE eligible),
       (SELECT newly FROM changes), (SELECT no_longer FROM changes), (SELECT changed FROM changes)
FROM run_assessed
"""


def _store_run(run: EligibilityRun, household_ids: list[int] | None) -> None:
    assessment, params = assessment_sql(run.as_of, household_ids)
    params.update({"run": run.pk, "households": household_ids})
    scope_where = "" if household_ids is None else f"WHERE {_SCOPE}"
    scope_and = "" if household_ids is None else f"AND {_SCOPE}"
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        # Inside an outer transaction (a test's) the previous run's table is still there.
        cursor.execute("DROP TABLE IF EXISTS run_assessed")
        cursor.execute(_ASSESS.format(assessment=assessment), params)
        cursor.execute(_INSERT_RESULTS, params)
        cursor.execute(_INSERT_CHANGES.format(scope_where=scope_where), params)
        cursor.execute(_UPSERT_CURRENT, params)
        cursor.execute(_DELETE_GONE.format(scope_and=scope_and), params)
        cursor.execute(_COUNTS, params)
        meeting_any, eligible, newly, no_longer, changed = cursor.fetchone()
        if household_ids is None:
            cursor.execute("SELECT count(*) FROM families_household")
            assessed = cursor.fetchone()[0]
        else:
            assessed = len(household_ids)
    run.households_assessed = assessed
    run.households_meeting_any = meeting_any
    run.households_eligible = eligible
    run.newly_eligible = newly
    run.no_longer_eligible = no_longer
    run.criteria_changed = changed
    run.status = EligibilityRun.Status.SUCCEEDED
    run.finished_at = timezone.now()
    run.save()
