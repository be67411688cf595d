"""Closing a case: a key worker (or coordinator) asks with a reason, a coordinator approves or
not. A closed case can be reopened by a coordinator, and the reopening is recorded."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEntry
from casework.models import CaseReopening, ClosureRequest
from families.models import CaseFile

from .common import CaseworkRefused, audit_change, lock_case_file, require_coordinator


@transaction.atomic
def case_closure_request(
    *, case_file: CaseFile, reason: str, details: str = "", by: User, request=None
) -> ClosureRequest:
    case_file = lock_case_file(case_file)
    if case_file.status not in (CaseFile.Status.OPEN, CaseFile.Status.PAUSED):
        raise CaseworkRefused(
            f"A case that is {case_file.get_status_display().lower()} cannot be put up for closure."
        )
    if reason not in ClosureRequest.Reason.values:
        raise CaseworkRefused("Choose a reason for closing the case.")
    if reason == ClosureRequest.Reason.OTHER and not details.strip():
        raise CaseworkRefused("Say why the case should close.")
    closure = ClosureRequest.objects.create(
        case_file=case_file,
        reason=reason,
        details=details,
        status_before=case_file.status,
        requested_by=by,
    )
    case_file.status = CaseFile.Status.CLOSURE_REQUESTED
    case_file.save(update_fields=["status"])
    audit_change(
        by=by,
        request=request,
        case_file=case_file,
        obj=closure,
        action=AuditEntry.Action.CREATE,
        summary=f"Asked to close the case: {closure.get_reason_display().lower()}",
    )
    return closure


@transaction.atomic
def case_closure_decide(
    *, closure: ClosureRequest, approve: bool, note: str = "", by: User, request=None
) -> ClosureRequest:
    require_coordinator(by, "approve a case closure")
    case_file = lock_case_file(closure.case_file)
    closure = ClosureRequest.objects.select_for_update().get(pk=closure.pk)
    if closure.decision != ClosureRequest.Decision.PENDING:
        raise CaseworkRefused("This closure request has already been decided.")
    if not approve and not note.strip():
        raise CaseworkRefused("Say why the case should stay open.")
    closure.decision = (
        ClosureRequest.Decision.APPROVED if approve else ClosureRequest.Decision.REJECTED
    )
    closure.decided_by = by
    closure.decided_at = timezone.now()
    closure.decision_note = note
    closure.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
    case_file.status = CaseFile.Status.CLOSED if approve else closure.status_before
    case_file.save(update_fields=["status"])
    audit_change(
        by=by,
        request=request,
        case_file=case_file,
        obj=closure,
        summary=f"{'Approved' if approve else 'Did not approve'} closing the case "
        f"({closure.get_reason_display().lower()})",
    )
    return closure


@transaction.atomic
def case_file_reopen(*, case_file: CaseFile, reason: str, by: User, request=None) -> CaseReopening:
    require_coordinator(by, "reopen a case")
    case_file = lock_case_file(case_file)
    if case_file.status != CaseFile.Status.CLOSED:
        raise CaseworkRefused("Only a closed case can be reopened.")
    if not reason.strip():
        raise CaseworkRefused("Say why the case is reopened.")
    reopening = CaseReopening.objects.create(case_file=case_file, reason=reason, reopened_by=by)
    # Consent withdrawn before closure still stands: the case comes back paused.
    withdrawn = (
        not case_file.consents.filter(working_together=True, withdrawn_on__isnull=True).exists()
        and case_file.consents.filter(withdrawn_on__isnull=False).exists()
    )
    case_file.status = CaseFile.Status.PAUSED if withdrawn else CaseFile.Status.OPEN
    case_file.save(update_fields=["status"])
    audit_change(
        by=by,
        request=request,
        case_file=case_file,
        obj=reopening,
        action=AuditEntry.Action.CREATE,
        summary=f"Reopened the case ({case_file.get_status_display().lower()})",
    )
    return reopening
