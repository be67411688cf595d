"""Eligibility runs: what a run changed, and where a requested recalculation stands."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from families.identification import RUN_LOCK_KEY
from families.models import EligibilityChange, EligibilityRun


def run_changes(run: EligibilityRun, change: str | None) -> QuerySet[EligibilityChange]:
    changes = EligibilityChange.objects.filter(run=run).select_related("household")
    if change:
        changes = changes.filter(change=change)
    return changes.order_by("household__ref")


def recalculation_running() -> bool:
    """Whether a run holds the recalculation lock now, read from pg_locks without taking it."""
    # A one-argument bigint advisory lock shows as (classid, objid) = (high, low) 32 bits.
    high, low = RUN_LOCK_KEY >> 32, RUN_LOCK_KEY & 0xFFFFFFFF
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid = %s AND objid = %s AND objsubid = 1)",
            [high, low],
        )
        return cursor.fetchone()[0]


def requested_run(*, after: int, user) -> EligibilityRun | None:
    """The run a "Recalculate now" by ``user`` started, once it has started."""
    return (
        EligibilityRun.objects.filter(id__gt=after, started_by=user, trigger="button")
        .order_by("id")
        .first()
    )
