"""What every casework service shares: refusing illegal changes and writing the audit entry."""

from __future__ import annotations

from typing import Any

from django.db import models

from accounts.models import User
from accounts.roles import Role, has_role
from audit.models import AuditEntry
from audit.services import audit_record
from families.casefiles import CaseFileRefused, lock_case_file
from families.models import CaseFile


class CaseworkRefused(CaseFileRefused):
    """A change to the casework that the rules do not allow; the message says why."""


def lock_open_case_file(case_file: CaseFile) -> CaseFile:
    """Lock the case file and refuse if it is closed, reading its status as it is now (the
    caller's copy may be older than a closure approved meanwhile)."""
    case_file = lock_case_file(case_file)
    if case_file.status == CaseFile.Status.CLOSED:
        raise CaseworkRefused("The case is closed. A coordinator can reopen it.")
    return case_file


def require_coordinator(user, doing: str) -> None:
    if not has_role(user, Role.COORDINATOR):
        raise CaseworkRefused(f"Only a coordinator can {doing}.")


def audit_change(
    *,
    by: User,
    case_file: CaseFile,
    obj: models.Model,
    summary: str,
    action: str = AuditEntry.Action.CHANGE,
    details: dict[str, Any] | None = None,
    request=None,
) -> AuditEntry:
    """``request``, when the change comes from a page, adds where it came from."""
    return audit_record(
        action=action,
        user=by,
        request=request,
        obj=obj,
        family_ref=case_file.household.ref,
        summary=summary,
        details=details,
    )
