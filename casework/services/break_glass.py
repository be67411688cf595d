"""Break glass: starting a key worker's emergency sight of a case file, and its review."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role, has_role
from audit.models import AuditEntry
from casework.models import BreakGlass
from families.access import households_visible_to
from families.models import CaseFile

from .common import CaseworkRefused, audit_change, require_coordinator


@transaction.atomic
def break_glass_start(
    *, case_file: CaseFile, reason: str, details: str, by: User, request=None
) -> BreakGlass:
    """Give key worker ``by`` read-only sight of ``case_file`` for the set hours, audited."""
    if not has_role(by, Role.KEY_WORKER):
        raise CaseworkRefused("Only a key worker uses emergency access.")
    if households_visible_to(by).filter(pk=case_file.household_id).exists():
        raise CaseworkRefused("You can already see this family's case file.")
    if reason not in BreakGlass.Reason.values:
        raise CaseworkRefused("Select why you need to see the case file")
    if not details.strip():
        raise CaseworkRefused("Enter what has happened")
    started = timezone.now()
    use = BreakGlass.objects.create(
        case_file=case_file,
        user=by,
        reason=reason,
        details=details.strip(),
        started_at=started,
        expires_at=started + timedelta(hours=settings.BREAK_GLASS_HOURS),
    )
    audit_change(
        by=by,
        request=request,
        case_file=case_file,
        obj=use,
        action=AuditEntry.Action.CREATE,
        # The reason's category only: what they typed stays on the use, which a coordinator
        # reviews, not in the append-only log.
        summary=f"Emergency access to the case file of family {case_file.household.ref} "
        f"for {settings.BREAK_GLASS_HOURS} hours: {use.get_reason_display().lower()}",
        details={"reason": reason, "expires_at": use.expires_at.isoformat()},
    )
    return use


@transaction.atomic
def break_glass_review(
    *, use: BreakGlass, verdict: str, note: str, by: User, request=None
) -> BreakGlass:
    """A coordinator's verdict on a use: justified, or not justified with a note."""
    require_coordinator(by, "review emergency access")
    use = (
        BreakGlass.objects.select_for_update().select_related("case_file__household").get(pk=use.pk)
    )
    if use.verdict:
        raise CaseworkRefused("This use of emergency access has already been reviewed.")
    if use.user_id == by.pk:
        raise CaseworkRefused("Another coordinator must review your own emergency access.")
    if verdict not in BreakGlass.Verdict.values:
        raise CaseworkRefused("Select whether the emergency access was justified")
    if verdict == BreakGlass.Verdict.NOT_JUSTIFIED and not note.strip():
        raise CaseworkRefused("Enter why the emergency access was not justified")
    use.verdict, use.review_note = verdict, note.strip()
    use.reviewed_by, use.reviewed_at = by, timezone.now()
    use.save(update_fields=["verdict", "review_note", "reviewed_by", "reviewed_at"])
    audit_change(
        by=by,
        request=request,
        case_file=use.case_file,
        obj=use,
        summary=f"Reviewed the emergency access of {use.user.get_username()} to family "
        f"{use.case_file.household.ref}: {use.get_verdict_display().lower()}",
        details={"verdict": verdict, "user": use.user_id},
    )
    return use
