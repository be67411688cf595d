"""The retention rule: a case closed more than ``RETENTION_YEARS_AFTER_CLOSURE`` years ago is
anonymised (``privacy.anonymise``), and so are its family members who belong to no family
still within its retention period.

A case's closure day is the day a coordinator approved its (latest) closure. Running the rule
twice for the same day changes nothing the second time: what was anonymised is recorded.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record
from families.dates import months_before
from privacy.anonymise import anonymise_people, redact_case_files, scrub_names
from privacy.models import Anonymisation, RetentionRun
from tfp.advisory_lock import RETENTION_RUN_LOCK

# The advisory lock "retention": two passes never overlap.
RETENTION_LOCK_KEY = RETENTION_RUN_LOCK

_DUE = """
SELECT c.id, c.household_id, h.ref
FROM families_casefile c
JOIN families_household h ON h.id = c.household_id
WHERE c.status = 'closed'
  AND NOT EXISTS (SELECT 1 FROM privacy_anonymisation a WHERE a.case_file_id = c.id)
  AND (SELECT max(r.decided_at) FROM families_closurerequest r
       WHERE r.case_file_id = c.id AND r.decision = 'approved') < %(cutoff)s
ORDER BY h.ref
FOR UPDATE OF c
"""

# Members (ever) of the households now due, who were never in a household outside the
# retention rule's reach: every household they belonged to is due or anonymised already.
_PEOPLE_DUE = """
WITH gone AS (
    SELECT unnest(%(households)s::bigint[]) AS household_id
    UNION
    SELECT c.household_id FROM families_casefile c
    JOIN privacy_anonymisation a ON a.case_file_id = c.id
)
SELECT DISTINCT m.person_id
FROM families_membership m
WHERE m.household_id = ANY(%(households)s::bigint[])
  AND NOT EXISTS (
      SELECT 1 FROM families_membership other
      WHERE other.person_id = m.person_id
        AND other.household_id NOT IN (SELECT household_id FROM gone))
  AND NOT EXISTS (SELECT 1 FROM privacy_anonymisation a WHERE a.person_id = m.person_id)
ORDER BY m.person_id
"""


def closed_before(as_of: date) -> date:
    """Cases whose closure was approved before this day have passed their retention period."""
    return months_before(as_of, 12 * settings.RETENTION_YEARS_AFTER_CLOSURE)


@transaction.atomic
def retention_apply(*, as_of: date, trigger: str = "nightly", started_by=None) -> RetentionRun:
    """Anonymise every closed case past its retention period on ``as_of``; the run is the
    count report."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RETENTION_LOCK_KEY])
        before = closed_before(as_of)
        cutoff = timezone.make_aware(datetime.combine(before, time.min))
        cursor.execute(_DUE, {"cutoff": cutoff})
        due = cursor.fetchall()
        case_files = [row[0] for row in due]
        households = [row[1] for row in due]
        cursor.execute(_PEOPLE_DUE, {"households": households})
        people = [row[0] for row in cursor.fetchall()]

    scrub_names(people=people)
    notes = redact_case_files(case_files=case_files)
    anonymise_people(people=people)

    run = RetentionRun.objects.create(
        as_of=as_of,
        closed_before=before,
        retention_years=settings.RETENTION_YEARS_AFTER_CLOSURE,
        trigger=trigger,
        started_by=started_by,
        case_files=len(case_files),
        people=len(people),
        notes=notes,
    )
    Anonymisation.objects.bulk_create(
        [
            Anonymisation(case_file_id=pk, reason=Anonymisation.Reason.RETENTION, retention_run=run)
            for pk in case_files
        ]
        + [
            Anonymisation(person_id=pk, reason=Anonymisation.Reason.RETENTION, retention_run=run)
            for pk in people
        ]
    )
    # One entry per family, so the audit log answers "what happened to family H…?".
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                action=AuditEntry.Action.CHANGE,
                user=started_by,
                username=started_by.get_username() if started_by else "",
                object_type="families.casefile",
                object_id=str(case_file_id),
                family_ref=ref,
                summary=f"Anonymised case file {ref}: closed before {before}, "
                f"{settings.RETENTION_YEARS_AFTER_CLOSURE}-year retention period over",
                details={"retention_run": run.pk},
            )
            for case_file_id, _, ref in due
        ]
    )
    audit_record(
        action=AuditEntry.Action.RUN,
        user=started_by,
        obj=run,
        summary=f"Retention as of {as_of}: {run.case_files} closed cases and {run.people} "
        f"people anonymised, {run.notes} case notes redacted",
        details={
            "closed_before": before.isoformat(),
            "case_files": run.case_files,
            "people": run.people,
            "notes": run.notes,
        },
    )
    return run
