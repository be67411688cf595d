"""Demo casework: each attached family's case file worked from its attachment day to the
demo's day, through the same services the pages use (so the audit log holds it too), and
left in the state its story gives it: open, paused, over budget, up for closure, closed or
reopened. Nothing is dated after the demo's day."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from casework.models import ClosureRequest, Domain, GoalStatus, InterventionType
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

# (intervention, what it is, who provides it)
CATALOGUE = [
    ("Parenting course", "Group course run by the family support service", "Triple P group"),
    (
        "Debt and benefits advice",
        "One-to-one advice on arrears, budgeting and benefits",
        "Citizens Advice Harrow",
    ),
    (
        "School attendance support",
        "Education welfare officer working with the school",
        "Education welfare service",
    ),
    (
        "Youth mentoring",
        "Weekly mentoring for a young person at risk of offending",
        "Youth offending team",
    ),
    ("Domestic abuse support", "Independent domestic violence adviser", "Harrow IDVA service"),
    ("Employment support", "Help into work, training or volunteering", "Jobcentre Plus adviser"),
]
VISIT_NOTES = [
    "Home visit. Went through the plan with {adult}; {child} was at school.",
    "Visited the family. {adult} has been to the housing office about the arrears.",
    "Met {adult} and {child}'s head of year. Attendance is up this half term.",
    "Phone call with {adult}: the repayment plan is holding; next visit booked.",
    "Home visit. {child} talked about the mentoring sessions and wants to carry on.",
    "Team around the family meeting at school with the police and housing.",
    "Home visit. Things were tense; {adult} says the neighbours have complained again.",
    "Office visit. {adult} brought the letters from the Jobcentre and we filled in the forms.",
]
SENSITIVE_NOTES = [
    "{adult} disclosed that her former partner has been threatening her.",
    "{adult} spoke about her low mood and asked for help with her medication.",
    "{child} told the key worker about cannabis use with older boys.",
]
CONTACT_TYPES = ["home_visit", "home_visit", "phone", "office", "school", "partners"]
# Casework ends after this long for most families, with or without results.
CLOSES_AFTER = timedelta(days=270)


@dataclass(frozen=True)
class CasePlan:
    """How the case file ends up on the demo's day."""

    state: str  # open, over_budget, paused, closure_requested, closed, reopened
    closure_reason: str = ClosureRequest.Reason.RESULTS_ACHIEVED


# Among the open cases, one in so many waits on a decision or has stopped; among the closed,
# one in so many was reopened. Counted rather than drawn, so a small demo has each too.
EVERY_NTH_OPEN = 12
SPECIAL_STATES = ["over_budget", "paused", "closure_requested"]
EVERY_NTH_CLOSED = 25


def case_plans(rng: random.Random, attached: list[date], as_of: date) -> list[CasePlan]:
    """How each case file ends, for families attached on ``attached`` (in order): most are
    closed nine months or so after attachment, with or without results; the rest stay open."""
    plans, opened, closed = [], 0, 0
    for attached_on in attached:
        if as_of - attached_on > CLOSES_AFTER and rng.random() < 0.85:
            closed += 1
            reason = rng.choices(
                [ClosureRequest.Reason.RESULTS_ACHIEVED, "disengaged", "moved_away"], [70, 18, 12]
            )[0]
            state = "reopened" if closed % EVERY_NTH_CLOSED == 0 else "closed"
            plans.append(CasePlan(state, reason))
            continue
        opened += 1
        state = "open"
        if opened % EVERY_NTH_OPEN == 0:
            state = SPECIAL_STATES[(opened // EVERY_NTH_OPEN - 1) % len(SPECIAL_STATES)]
        plans.append(CasePlan(state))
    return plans


def intervention_catalogue(coordinator) -> list[tuple[InterventionType, str]]:
    existing = {kind.name: kind for kind in InterventionType.objects.all()}
    return [
        (
            existing.get(name)
            or intervention_type_add(name=name, description=description, by=coordinator),
            provider,
        )
        for name, description, provider in CATALOGUE
    ]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def case_file_work(
    *, case_file: CaseFile, plan: CasePlan, as_of: date, rng: random.Random, coordinator, catalogue
) -> None:
    """Work one case file from attachment to ``as_of`` and leave it in ``plan``'s state."""
    worker = case_file.key_worker
    start = case_file.attached_on
    members = list(members_on(household=case_file.household, day=start))
    adults = [m for m in members if (start - m.date_of_birth).days >= 18 * 365]
    adult = adults[0] if adults else members[0]
    child = next((m for m in members if m not in adults), adult)
    names = {"adult": adult.given_name, "child": child.given_name}
    ends = start + CLOSES_AFTER if plan.state in ("closed", "reopened") else as_of

    def on(days: int) -> date | None:
        day = start + timedelta(days=days)
        return day if day <= min(ends, as_of) else None

    consent_record(
        case_file=case_file,
        given_by=adult,
        working_together=True,
        share_information=True,
        named_partners="School, police, Harrow Council housing, Jobcentre Plus",
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
    if on(7) is None:
        return
    assessment = assessment_record(
        case_file=case_file,
        assessed_on=on(7),
        review_by=start + timedelta(weeks=12),
        summary=f"Rent arrears, {child.given_name} missing school, and no one in work.",
        needs=[
            NeedInput(person=None, domain=Domain.HOUSING, severity=3, detail="Rent arrears"),
            NeedInput(person=adult, domain=Domain.WORK_MONEY, severity=3, detail="Out of work"),
            NeedInput(person=child, domain=Domain.SCHOOL, severity=2, detail="Absence"),
        ],
        by=worker,
    )
    needs = {need.domain: need for need in assessment.needs.all()}
    school_goal = goal_add(
        case_file=case_file,
        need=needs[Domain.SCHOOL],
        what="Back in school every day",
        who=f"{child.given_name}, with the education welfare officer",
        due_on=start + timedelta(weeks=10),
        by=worker,
    )
    family_budget_set(
        case_file=case_file, allocation=Decimal(rng.choice(["500", "750", "1000"])), by=coordinator
    )
    attendance_support, provider = catalogue[2]
    intervention_add(
        case_file=case_file,
        intervention_type=attendance_support,
        provider=provider,
        starts_on=on(7),
        cost=Decimal("0.00"),
        goal=school_goal,
        by=worker,
    )
    kind, provider = catalogue[rng.choice([0, 1, 3, 4, 5])]
    paid = intervention_add(
        case_file=case_file,
        intervention_type=kind,
        provider=provider,
        starts_on=on(7),
        cost=Decimal(rng.choice(["85.00", "120.00", "240.00", "360.00"])),
        paid_from_budget=True,
        by=worker,
    )
    done = task_add(
        case_file=case_file,
        title=f"Call {child.given_name}'s school about attendance",
        due_on=start + timedelta(days=3),
        assignee=worker,
        by=worker,
    )
    task_complete(task=done, done_on=on(3) or start, by=worker)
    if on(35) is not None:
        intervention_update(intervention=paid, status="completed", by=worker)
        review_record(
            case_file=case_file,
            held_on=on(35),
            attendees=f"{adult.given_name}, key worker, school",
            summary="Attendance better; repayment plan signed.",
            scores={Domain.SCHOOL: 5, Domain.HOUSING: 6, Domain.WORK_MONEY: 3},
            goal_changes=[
                GoalChange(
                    school_goal, GoalStatus.IN_PROGRESS, school_goal.due_on, "Four days a week"
                )
            ],
            next_review_on=start + timedelta(weeks=12),
            by=worker,
        )
    _contacts(case_file, plan, members, names, start, min(ends, as_of), rng)
    _finish(case_file, plan, as_of, rng, coordinator, catalogue, names)


def _contacts(case_file, plan, members, names, start, last, rng) -> None:
    """A contact every three to five weeks; a few families not seen for two months or more."""
    if plan.state == "open" and rng.random() < 0.1:
        last -= timedelta(days=rng.randint(50, 90))
    day = start + timedelta(days=rng.randint(14, 28))
    contacts = []
    while day <= last:
        contacts.append(day)
        day += timedelta(days=rng.randint(21, 35))
    # The most recent few: an older case file does not need every visit to show its story.
    for index, day in enumerate(contacts[-(5 if plan.state == "open" else 2) :]):
        sensitive = index == 1 and rng.random() < 0.15
        text = rng.choice(SENSITIVE_NOTES if sensitive else VISIT_NOTES).format(**names)
        note = case_note_add(
            case_file=case_file,
            contact_type=rng.choice(CONTACT_TYPES),
            occurred_at=_at(day, rng.randint(9, 17)),
            people_seen=members[: rng.randint(1, len(members))],
            text=text,
            is_sensitive=sensitive,
            by=case_file.key_worker,
        )
        if sensitive:
            case_note_addendum_add(
                note=note, text="Referred on the same day; see the plan.", by=note.author
            )
    if plan.state == "open":
        # The next visit, and for a third of families a task already overdue.
        task_add(
            case_file=case_file,
            title="Book the next review meeting",
            due_on=last + timedelta(days=rng.randint(5, 30)),
            assignee=case_file.key_worker,
            by=case_file.key_worker,
        )
        if rng.random() < 0.35:
            task_add(
                case_file=case_file,
                title="Send the housing officer the repayment plan",
                due_on=last - timedelta(days=rng.randint(3, 20)),
                assignee=case_file.key_worker,
                by=case_file.key_worker,
            )


def _finish(case_file, plan, as_of, rng, coordinator, catalogue, names) -> None:
    worker = case_file.key_worker
    lately = max(case_file.attached_on, as_of - timedelta(days=rng.randint(2, 20)))
    if plan.state == "over_budget":
        kind, provider = catalogue[0]
        intervention_add(
            case_file=case_file,
            intervention_type=kind,
            provider=provider,
            starts_on=lately,
            cost=Decimal("1250.00"),
            paid_from_budget=True,
            by=worker,
        )
    elif plan.state == "paused":
        consent_withdraw(
            consent=case_file.consents.first(),
            withdrawn_on=lately,
            reason=f"{names['adult']} said the family no longer wants to take part.",
            by=worker,
        )
    elif plan.state == "closure_requested":
        case_closure_request(
            case_file=case_file,
            reason=ClosureRequest.Reason.MOVED_AWAY,
            details="The family moved to Brent; their key worker there has the file.",
            by=worker,
        )
    elif plan.state in ("closed", "reopened"):
        closure = case_closure_request(case_file=case_file, reason=plan.closure_reason, by=worker)
        case_closure_decide(closure=closure, approve=True, note="Agreed.", by=coordinator)
        if plan.state == "reopened":
            case_file_reopen(
                case_file=case_file, reason="New police call-outs to the address.", by=coordinator
            )
