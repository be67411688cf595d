"""Who works with the family: attachment (``families.casefiles.case_file_attach``) and
reallocation to another key worker, which keeps the history of allocations."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from accounts.roles import Role, has_role
from families.models import Allocation, CaseFile

from .common import CaseworkRefused, audit_change, lock_case_file, require_coordinator


@transaction.atomic
def case_file_reallocate(
    *, case_file: CaseFile, key_worker, on: date, by, request=None
) -> CaseFile:
    """Hand the family to ``key_worker`` from ``on``; the current allocation ends that day."""
    require_coordinator(by, "reallocate a family")
    case_file = lock_case_file(case_file)
    if case_file.status == CaseFile.Status.CLOSED:
        raise CaseworkRefused("The case is closed. Reopen it before reallocating it.")
    if not has_role(key_worker, Role.KEY_WORKER):
        raise CaseworkRefused(f"{key_worker} is not a key worker.")
    if key_worker.pk == case_file.key_worker_id:
        raise CaseworkRefused(f"{key_worker} is already the family's key worker.")
    current = (
        Allocation.objects.select_for_update()
        .filter(case_file=case_file, ended_on__isnull=True)
        .first()
    )
    if current is not None:
        if on < current.allocated_on:
            raise CaseworkRefused(
                f"The new allocation cannot start before the current one ({current.allocated_on})."
            )
        current.ended_on = on
        current.save(update_fields=["ended_on"])
    previous = case_file.key_worker
    Allocation.objects.create(
        case_file=case_file, key_worker=key_worker, allocated_on=on, allocated_by=by
    )
    case_file.key_worker = key_worker
    case_file.save(update_fields=["key_worker"])
    audit_change(
        by=by,
        request=request,
        case_file=case_file,
        obj=case_file,
        summary=f"Reallocated {case_file.household.ref} from {previous.username} to "
        f"{key_worker.username} on {on}",
        details={"from": previous.username, "to": key_worker.username, "on": on.isoformat()},
    )
    return case_file
