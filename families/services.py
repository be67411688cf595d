"""State changes a coordinator or data officer makes on the identification pages.

Each function is one transaction that refuses an illegal change before it acts and writes its
audit entry in the same transaction. ``request``, when given, only adds where the change came
from to the audit entry.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from accounts.models import User
from audit.models import AuditEntry
from audit.services import audit_record
from families.identification import RunInProgress
from families.models import (
    CaseFile,
    CohortDecision,
    Concern,
    CurrentEligibility,
    EligibilityRun,
    Household,
    LocalDiscretionSettings,
)
from families.selectors import recalculation_running
from families.tasks import recalculate_eligibility_task


class DecisionRefused(Exception):
    """The cohort decision asked for is not allowed for this family now."""


def _record_decision(
    *, household: Household, decision: str, decided_by, reason: str, request
) -> CohortDecision:
    # Locking the household serialises two coordinators deciding on one family at once.
    Household.objects.select_for_update().filter(pk=household.pk).first()
    current = CohortDecision.objects.filter(household=household, is_current=True).first()
    if current is not None and current.decision == decision:
        raise DecisionRefused(
            f"Family {household.ref} is already recorded as "
            f"“{current.get_decision_display().lower()}”."
        )
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current"])
    made = CohortDecision.objects.create(
        household=household, decision=decision, reason=reason, decided_by=decided_by
    )
    audit_record(
        action=AuditEntry.Action.CREATE,
        user=decided_by,
        request=request,
        obj=made,
        family_ref=household.ref,
        summary=f"{made.get_decision_display()}: family {household.ref}",
        details={
            "decision": decision,
            "reason": reason,
            "previous": current.decision if current is not None else None,
        },
    )
    return made


@transaction.atomic
def cohort_confirm(*, household: Household, decided_by, request=None) -> CohortDecision:
    """Confirm an eligible family into the cohort (it still needs a key worker to attach)."""
    eligible = CurrentEligibility.objects.filter(household=household, eligible=True).exists()
    if not eligible:
        raise DecisionRefused(
            f"Family {household.ref} is not eligible in the latest run, so it cannot be "
            "confirmed into the cohort."
        )
    return _record_decision(
        household=household,
        decision=CohortDecision.Decision.CONFIRMED,
        decided_by=decided_by,
        reason="",
        request=request,
    )


@transaction.atomic
def cohort_decline(
    *, household: Household, decided_by, reason: str, request=None
) -> CohortDecision:
    """Record that the programme will not work with an identified family, and why."""
    reason = reason.strip()
    if not reason:
        raise DecisionRefused("Enter the reason the family is not proceeding.")
    if CaseFile.objects.filter(household=household).exists():
        raise DecisionRefused(
            f"Family {household.ref} is already attached to the programme: close its case "
            "file instead."
        )
    return _record_decision(
        household=household,
        decision=CohortDecision.Decision.NOT_PROCEEDING,
        decided_by=decided_by,
        reason=reason,
        request=request,
    )


class SettingUnchanged(Exception):
    """The concern types asked for are the ones in force already."""


@transaction.atomic
def local_discretion_apply(
    *, concern_types: list[str], reason: str, by: User, as_of: date, request=None
) -> int:
    """Choose the concern types that meet criterion 4, and recalculate every family with them
    as of ``as_of``.

    The change and its reason are audited; the recalculation is the "Recalculate now" one, so
    its progress page follows it. A run already going refuses the whole change (nothing is
    saved), as would choosing the types in force. Returns what ``recalculation_queue`` does.
    """
    reason = reason.strip()
    if not reason:
        raise ValueError("A change of local discretion needs its reason.")
    unknown = set(concern_types) - set(Concern.Type.values)
    if unknown:
        raise ValueError(f"Unknown concern types: {', '.join(sorted(unknown))}")
    # Keep the programme's order, whatever order the types were ticked in.
    chosen = [value for value in Concern.Type.values if value in concern_types]
    settings = LocalDiscretionSettings.objects.select_for_update().order_by("pk").first()
    before = settings.concern_types if settings is not None else list(Concern.Type.values)
    if chosen == before:
        raise SettingUnchanged("These are the concern types in use already.")
    newest = recalculation_queue(as_of=as_of, requested_by=by, request=request)
    if settings is None:
        settings = LocalDiscretionSettings()
    settings.concern_types = chosen
    settings.updated_by = by
    settings.save()
    audit_record(
        action=AuditEntry.Action.CHANGE,
        user=by,
        request=request,
        obj=settings,
        summary="Changed the local discretion concern types",
        details={"before": before, "after": chosen, "reason": reason},
    )
    return newest


@transaction.atomic
def recalculation_queue(*, as_of: date, requested_by, request=None) -> int:
    """Queue a full recalculation ("Recalculate now").

    Refused at once when a run is already going, rather than queuing a task that the run lock
    would refuse later. Returns the id of the newest run before this request, so the progress
    page can recognise the run the task starts.
    """
    if recalculation_running():
        raise RunInProgress()
    newest = EligibilityRun.objects.order_by("-id").values_list("id", flat=True).first() or 0
    audit_record(
        action=AuditEntry.Action.RUN,
        user=requested_by,
        request=request,
        summary=f"Asked for an eligibility recalculation as of {as_of}",
        details={"as_of": as_of.isoformat()},
    )
    transaction.on_commit(
        lambda: recalculate_eligibility_task.delay(as_of=as_of.isoformat(), user_id=requested_by.pk)
    )
    return newest
