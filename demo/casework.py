"""Demo casework: the attached demo families in every state a case file can be in, recorded
through the same services the pages use (so the audit log has them too)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from casework.models import Domain, GoalStatus, InterventionType
from casework.selectors import members_on
from casework.services.assessment import NeedInput, assessment_record
from casework.services.case_tasks import task_add, task_complete
from casework.services.closure import case_closure_decide, case_closure_request, case_file_reopen
from casework.services.consent import consent_record, consent_withdraw
from casework.services.interventions import (
    family_budget_set,
    intervention_add,
    intervention_type_add,
    intervention_update,
)
from casework.services.notes import case_note_add, case_note_addendum_add
from casework.services.plan import GoalChange, goal_add, review_record
from families.models import CaseFile

CATALOGUE = [
    ("Parenting course", "Group course run by the family support service"),
    ("Debt and benefits advice", "One-to-one advice on arrears, budgeting and benefits"),
    ("School attendance support", "Education welfare officer working with the school"),
    ("Youth mentoring", "Weekly mentoring for a young person at risk of offending"),
    ("Domestic abuse support", "Independent domestic violence adviser"),
    ("Employment support", "Help into work, training or volunteering"),
]


def seed_case_files(*, as_of: date) -> dict[str, list[str]]:
    """Fill the demo case files with casework and put them in every state; return the family
    references by state. Work is dated in the weeks before ``as_of``."""
    coordinator = get_user_model().objects.get(username="demo_coordinator")
    catalogue = _catalogue(coordinator)
    states: dict[str, list[str]] = {}
    case_files = CaseFile.objects.select_related("household", "key_worker").order_by(
        "household__ref"
    )
    for index, case_file in enumerate(case_files):
        start = _first_contact(case_file, as_of)
        _working(case_file, start, catalogue, coordinator)
        # The first few families also go on into each other state; the rest stay open.
        if index < len(STATES):
            STATES[index](case_file, start, catalogue, coordinator)
        case_file.refresh_from_db()
        states.setdefault(case_file.get_status_display(), []).append(case_file.household.ref)
    return states


def _catalogue(coordinator) -> list[InterventionType]:
    existing = {kind.name: kind for kind in InterventionType.objects.all()}
    return [
        existing.get(name)
        or intervention_type_add(name=name, description=description, by=coordinator)
        for name, description in CATALOGUE
    ]


def _first_contact(case_file: CaseFile, as_of: date) -> date:
    """Casework starts at attachment, or eight weeks ago for a family attached today."""
    return min(case_file.attached_on, as_of - timedelta(weeks=8))


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _working(case_file: CaseFile, start: date, catalogue, coordinator) -> None:
    """An ordinary open case: consent, assessment, plan, a review, interventions, notes, tasks."""
    worker = case_file.key_worker
    members = list(members_on(household=case_file.household, day=start))
    if not members:
        return
    adult = members[0]
    consent_record(
        case_file=case_file,
        given_by=adult,
        working_together=True,
        share_information=True,
        named_partners="School, police, housing provider",
        given_on=start,
        method="signed",
        by=worker,
    )
    case_note_add(
        case_file=case_file,
        contact_type="home_visit",
        occurred_at=_at(start, 10),
        people_seen=members,
        text="First home visit. Explained the programme; the family agreed to work together.",
        by=worker,
    )
    assessment = assessment_record(
        case_file=case_file,
        assessed_on=start + timedelta(days=7),
        review_by=start + timedelta(weeks=12),
        summary="Rent arrears, a child missing school, and no one in work.",
        needs=[
            NeedInput(person=None, domain=Domain.HOUSING, severity=3, detail="Rent arrears"),
            NeedInput(person=adult, domain=Domain.WORK_MONEY, severity=3, detail="Out of work"),
            NeedInput(person=members[-1], domain=Domain.SCHOOL, severity=2, detail="Absence"),
        ],
        by=worker,
    )
    needs = {need.domain: need for need in assessment.needs.all()}
    school_goal = goal_add(
        case_file=case_file,
        need=needs[Domain.SCHOOL],
        what="Back in school every day",
        who=f"{members[-1].given_name}, with the education welfare officer",
        due_on=start + timedelta(weeks=10),
        by=worker,
    )
    goal_add(
        case_file=case_file,
        need=needs[Domain.HOUSING],
        what="Agree a repayment plan with the landlord",
        who=f"{adult.given_name} and the key worker",
        due_on=start + timedelta(weeks=6),
        by=worker,
    )
    intervention_add(
        case_file=case_file,
        intervention_type=catalogue[2],
        provider="Education welfare service",
        starts_on=start + timedelta(days=14),
        cost=Decimal("0.00"),
        goal=school_goal,
        by=worker,
    )
    family_budget_set(case_file=case_file, allocation=Decimal("500.00"), by=coordinator)
    advice = intervention_add(
        case_file=case_file,
        intervention_type=catalogue[1],
        provider="Citizens Advice",
        starts_on=start + timedelta(days=10),
        cost=Decimal("120.00"),
        paid_from_budget=True,
        by=worker,
    )
    intervention_update(intervention=advice, status="completed", by=worker)
    review_record(
        case_file=case_file,
        held_on=start + timedelta(weeks=5),
        attendees=f"{adult.given_name}, key worker, school",
        summary="Attendance better; repayment plan signed.",
        scores={Domain.SCHOOL: 5, Domain.HOUSING: 7, Domain.WORK_MONEY: 3},
        goal_changes=[
            GoalChange(school_goal, GoalStatus.IN_PROGRESS, school_goal.due_on, "Four days a week")
        ],
        next_review_on=start + timedelta(weeks=10),
        by=worker,
    )
    done = task_add(
        case_file=case_file,
        title="Call the school about attendance",
        due_on=start + timedelta(days=3),
        assignee=worker,
        by=worker,
    )
    task_complete(task=done, done_on=start + timedelta(days=3), by=worker)
    task_add(
        case_file=case_file,
        title="Send the housing officer the repayment plan",
        due_on=start + timedelta(weeks=6),
        assignee=worker,
        by=worker,
    )
    task_add(
        case_file=case_file,
        title="Book the next review meeting",
        due_on=start + timedelta(weeks=12),
        assignee=worker,
        by=worker,
    )


def _over_budget(case_file: CaseFile, start: date, catalogue, coordinator) -> None:
    """A key worker asks to spend beyond the family budget: a decision for the coordinator."""
    intervention_add(
        case_file=case_file,
        intervention_type=catalogue[0],
        provider="Family support service",
        starts_on=start + timedelta(weeks=6),
        cost=Decimal("650.00"),
        paid_from_budget=True,
        by=case_file.key_worker,
    )
    note = case_note_add(
        case_file=case_file,
        contact_type="phone",
        occurred_at=_at(start + timedelta(weeks=6), 15),
        text="Mother disclosed that her former partner has been threatening her.",
        is_sensitive=True,
        by=case_file.key_worker,
    )
    case_note_addendum_add(
        note=note, text="Referred to the domestic abuse adviser the same day.", by=note.author
    )


def _paused(case_file: CaseFile, start: date, catalogue, coordinator) -> None:
    consent = case_file.consents.first()
    consent_withdraw(
        consent=consent,
        withdrawn_on=start + timedelta(weeks=7),
        reason="Said the family no longer wants to take part.",
        by=case_file.key_worker,
    )


def _closure_requested(case_file: CaseFile, start: date, catalogue, coordinator) -> None:
    case_closure_request(
        case_file=case_file,
        reason="moved_away",
        details="The family moved to another authority; their key worker there has the file.",
        by=case_file.key_worker,
    )


def _closed(case_file: CaseFile, start: date, catalogue, coordinator) -> None:
    closure = case_closure_request(
        case_file=case_file, reason="results_achieved", by=case_file.key_worker
    )
    case_closure_decide(closure=closure, approve=True, note="Well done.", by=coordinator)


def _reopened(case_file: CaseFile, start: date, catalogue, coordinator) -> None:
    _closed(case_file, start, catalogue, coordinator)
    case_file_reopen(
        case_file=case_file, reason="New police call-outs to the address.", by=coordinator
    )


STATES: list[Callable] = [_over_budget, _paused, _closure_requested, _closed, _reopened]
