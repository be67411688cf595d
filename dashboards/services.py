"""The dashboards' one state change: a coordinator sets the targets."""

from __future__ import annotations

from django.db import transaction

from accounts.roles import Role, has_role
from audit.models import AuditEntry
from audit.services import audit_record
from dashboards.models import Targets


class TargetsRefused(Exception):
    pass


@transaction.atomic
def targets_update(
    *,
    updated_by,
    cohort_size: int | None,
    cohort_started_percent: int,
    cohort_started_by: int,
    caseload_limit: int,
) -> Targets:
    """Save the authority's targets (the single row, created on first save)."""
    if not has_role(updated_by, Role.COORDINATOR):
        raise TargetsRefused("Only coordinators set the targets.")
    targets = Targets.objects.select_for_update().order_by("pk").first() or Targets()
    before = _figures(targets)
    targets.cohort_size = cohort_size
    targets.cohort_started_percent = cohort_started_percent
    targets.cohort_started_by = cohort_started_by
    targets.caseload_limit = caseload_limit
    targets.updated_by = updated_by
    targets.save()
    audit_record(
        action=AuditEntry.Action.CHANGE,
        user=updated_by,
        obj=targets,
        summary="Targets changed",
        details={"before": before, "after": _figures(targets)},
    )
    return targets


def _figures(targets: Targets) -> dict[str, int | None]:
    return {
        "cohort_size": targets.cohort_size,
        "cohort_started_percent": targets.cohort_started_percent,
        "cohort_started_by": targets.cohort_started_by,
        "caseload_limit": targets.caseload_limit,
    }
