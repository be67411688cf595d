"""Interventions from the catalogue coordinators maintain, and the family budget of a
budget-holding key worker: what is committed and spent is worked out from the interventions
themselves, so it cannot drift from them. Spending beyond the budget waits for a coordinator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role, has_role
from audit.models import AuditEntry
from audit.services import audit_record
from casework.models import FamilyBudget, Goal, Intervention, InterventionType
from families.models import CaseFile

from .common import (
    CaseworkRefused,
    audit_change,
    lock_case_file,
    lock_open_case_file,
    require_coordinator,
)

ZERO = Decimal("0.00")
_COUNTED = Q(
    paid_from_budget=True,
    approval__in=[Intervention.Approval.NOT_NEEDED, Intervention.Approval.APPROVED],
)
_COMMITTED = _COUNTED & Q(status__in=[Intervention.Status.PLANNED, Intervention.Status.ACTIVE])
_SPENT = _COUNTED & Q(status=Intervention.Status.COMPLETED)
_AWAITING = Q(approval=Intervention.Approval.AWAITING)

# Which status an intervention may move to from each status.
_NEXT_STATUS = {
    Intervention.Status.PLANNED: {
        Intervention.Status.ACTIVE,
        Intervention.Status.COMPLETED,
        Intervention.Status.CANCELLED,
    },
    Intervention.Status.ACTIVE: {Intervention.Status.COMPLETED, Intervention.Status.CANCELLED},
    Intervention.Status.COMPLETED: set(),
    Intervention.Status.CANCELLED: set(),
}


@dataclass(frozen=True)
class BudgetSummary:
    allocation: Decimal
    committed: Decimal
    spent: Decimal
    awaiting_approval: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.allocation - self.committed - self.spent

    @property
    def is_overspent(self) -> bool:
        return self.remaining < 0


def budget_summary(case_file: CaseFile) -> BudgetSummary | None:
    """The family budget; None when the key worker holds no budget for this family."""
    allocation = (
        FamilyBudget.objects.filter(case_file=case_file)
        .values_list("allocation", flat=True)
        .first()
    )
    if allocation is None:
        return None
    totals = Intervention.objects.filter(case_file=case_file).aggregate(
        committed=Coalesce(Sum("cost", filter=_COMMITTED), ZERO),
        spent=Coalesce(Sum("cost", filter=_SPENT), ZERO),
        awaiting=Coalesce(Sum("cost", filter=_AWAITING), ZERO),
    )
    return BudgetSummary(
        allocation=allocation,
        committed=totals["committed"],
        spent=totals["spent"],
        awaiting_approval=totals["awaiting"],
    )


@transaction.atomic
def family_budget_set(
    *, case_file: CaseFile, allocation: Decimal, by: User, request=None
) -> FamilyBudget:
    """Give the family's key worker a budget to spend (a coordinator's decision)."""
    require_coordinator(by, "set a family budget")
    case_file = lock_open_case_file(case_file)
    if allocation < 0:
        raise CaseworkRefused("A budget cannot be negative.")
    budget, created = FamilyBudget.objects.update_or_create(
        case_file=case_file, defaults={"allocation": allocation, "set_by": by}
    )
    audit_change(
        by=by,
        request=request,
        case_file=case_file,
        obj=budget,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.CHANGE,
        summary=f"Set the family budget to £{allocation:,.2f}",
        details={"allocation": str(allocation)},
    )
    return budget


@transaction.atomic
def intervention_type_add(
    *, name: str, description: str = "", by: User, request=None
) -> InterventionType:
    require_coordinator(by, "add to the intervention catalogue")
    name = name.strip()
    if InterventionType.objects.filter(name__iexact=name).exists():
        raise CaseworkRefused(f"The catalogue already has “{name}”.")
    kind = InterventionType.objects.create(name=name, description=description, created_by=by)
    audit_record(
        action=AuditEntry.Action.CREATE,
        user=by,
        request=request,
        obj=kind,
        summary=f"Added “{name}” to the intervention catalogue",
    )
    return kind


@transaction.atomic
def intervention_type_set_active(
    *, intervention_type: InterventionType, is_active: bool, by: User, request=None
) -> InterventionType:
    """Withdraw a type from (or return it to) the catalogue; past interventions keep it."""
    require_coordinator(by, "change the intervention catalogue")
    intervention_type.is_active = is_active
    intervention_type.save(update_fields=["is_active"])
    audit_record(
        action=AuditEntry.Action.CHANGE,
        user=by,
        request=request,
        obj=intervention_type,
        summary=f"{'Returned' if is_active else 'Withdrew'} “{intervention_type.name}” "
        f"{'to' if is_active else 'from'} the intervention catalogue",
    )
    return intervention_type


@transaction.atomic
def intervention_add(
    *,
    case_file: CaseFile,
    intervention_type: InterventionType,
    provider: str,
    starts_on: date,
    cost: Decimal,
    ends_on: date | None = None,
    paid_from_budget: bool = False,
    goal: Goal | None = None,
    by: User,
    request=None,
) -> Intervention:
    """Record an intervention. Paid from the family budget beyond what remains, it waits for a
    coordinator's approval (a coordinator recording it approves it by doing so)."""
    # The lock serialises interventions on one family, so two cannot both fit the last pounds.
    case_file = lock_open_case_file(case_file)
    if case_file.status == CaseFile.Status.PAUSED:
        raise CaseworkRefused(
            "Consent was withdrawn: no new interventions until it is given again."
        )
    if not intervention_type.is_active:
        raise CaseworkRefused(f"“{intervention_type}” is no longer in the catalogue.")
    if cost < 0:
        raise CaseworkRefused("A cost cannot be negative.")
    if ends_on is not None and ends_on < starts_on:
        raise CaseworkRefused("An intervention cannot end before it starts.")
    if goal is not None and goal.case_file_id != case_file.pk:
        raise CaseworkRefused("An intervention serves one of this family's goals.")
    approval = Intervention.Approval.NOT_NEEDED
    decided_by = decided_at = None
    if paid_from_budget:
        budget = budget_summary(case_file)
        if budget is None:
            raise CaseworkRefused("The family has no budget to pay from.")
        if cost > budget.remaining:
            if has_role(by, Role.COORDINATOR):
                approval, decided_by, decided_at = (
                    Intervention.Approval.APPROVED,
                    by,
                    timezone.now(),
                )
            else:
                approval = Intervention.Approval.AWAITING
    intervention = Intervention.objects.create(
        case_file=case_file,
        intervention_type=intervention_type,
        goal=goal,
        provider=provider,
        starts_on=starts_on,
        ends_on=ends_on,
        cost=cost,
        paid_from_budget=paid_from_budget,
        approval=approval,
        approval_decided_by=decided_by,
        approval_decided_at=decided_at,
        created_by=by,
    )
    audit_change(
        by=by,
        request=request,
        case_file=case_file,
        obj=intervention,
        action=AuditEntry.Action.CREATE,
        summary=f"Added intervention “{intervention_type}” from {provider}, £{cost:,.2f}"
        + (
            f" from the family budget ({intervention.get_approval_display().lower()})"
            if paid_from_budget
            else ""
        ),
        details={"cost": str(cost), "approval": approval},
    )
    return intervention


@transaction.atomic
def intervention_update(
    *, intervention: Intervention, status: str, ends_on: date | None = None, by: User, request=None
) -> Intervention:
    case_file = lock_open_case_file(intervention.case_file)
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
    if status != intervention.status and status not in _NEXT_STATUS[intervention.status]:
        raise CaseworkRefused(
            f"An intervention that is {intervention.get_status_display().lower()} cannot become "
            f"{Intervention.Status(status).label.lower()}."
        )
    if intervention.approval == Intervention.Approval.AWAITING and status in (
        Intervention.Status.ACTIVE,
        Intervention.Status.COMPLETED,
    ):
        raise CaseworkRefused("It is awaiting a coordinator's approval to go beyond the budget.")
    if ends_on is not None and ends_on < intervention.starts_on:
        raise CaseworkRefused("An intervention cannot end before it starts.")
    before = intervention.status
    if status == before and (ends_on is None or ends_on == intervention.ends_on):
        return intervention
    intervention.status = status
    intervention.ends_on = ends_on or intervention.ends_on
    intervention.save(update_fields=["status", "ends_on"])
    audit_change(
        by=by,
        request=request,
        case_file=case_file,
        obj=intervention,
        summary=f"Intervention “{intervention.intervention_type}”: {before} → {status}",
    )
    return intervention


@transaction.atomic
def intervention_decide_approval(
    *, intervention: Intervention, approve: bool, note: str = "", by: User, request=None
) -> Intervention:
    """A coordinator approves or refuses spending beyond the family budget."""
    require_coordinator(by, "approve spending beyond a family budget")
    case_file = lock_case_file(intervention.case_file)
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
    if intervention.approval != Intervention.Approval.AWAITING:
        raise CaseworkRefused("This intervention is not awaiting approval.")
    intervention.approval = (
        Intervention.Approval.APPROVED if approve else Intervention.Approval.REFUSED
    )
    if not approve:
        intervention.status = Intervention.Status.CANCELLED
    intervention.approval_decided_by = by
    intervention.approval_decided_at = timezone.now()
    intervention.approval_note = note
    intervention.save(
        update_fields=[
            "approval",
            "status",
            "approval_decided_by",
            "approval_decided_at",
            "approval_note",
        ]
    )
    audit_change(
        by=by,
        request=request,
        case_file=case_file,
        obj=intervention,
        summary=f"{'Approved' if approve else 'Refused'} £{intervention.cost:,.2f} beyond the "
        f"family budget for “{intervention.intervention_type}”",
    )
    return intervention
