"""Reads that casework pages share. Each returns a query set or a fixed number of queries,
whatever the size of the caseload."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.roles import Role
from casework.models import CaseNote, CaseNoteAddendum, ClosureRequest, Intervention, Task
from families import selectors as identification_selectors
from families.access import sees_sensitive_notes
from families.models import CaseFile, CohortDecision, Household, Person


def members_on(*, household: Household, day: date) -> QuerySet[Person]:
    """The people who are members of ``household`` on ``day`` (programme-rules.md, Terms)."""
    in_force = identification_selectors.members_on(day, household)
    return Person.objects.filter(memberships__in=in_force).order_by(
        "date_of_birth", "given_name", "pk"
    )


def is_member_on(*, person: Person, household: Household, day: date) -> bool:
    return identification_selectors.members_on(day, household).filter(person=person).exists()


def notes_visible_to(user, case_file: CaseFile) -> QuerySet[CaseNote]:
    """The family's case notes ``user`` may read, with what each page shows of them."""
    notes = case_file.notes.select_related("author").prefetch_related(
        "people_seen",
        Prefetch("addenda", queryset=CaseNoteAddendum.objects.select_related("author")),
    )
    if not sees_sensitive_notes(user, case_file):
        notes = notes.filter(is_sensitive=False)
    return notes


def key_workers() -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=Role.KEY_WORKER.label).order_by(
        "first_name", "last_name", "username"
    )


def task_assignees() -> QuerySet[User]:
    return (
        User.objects.filter(
            is_active=True,
            groups__name__in=[Role.KEY_WORKER.label, Role.COORDINATOR.label],
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def caseload(*, today: date, key_worker: User | None = None) -> QuerySet[CaseFile]:
    """Case files with their last contact, next task and overdue-task count, in one query.

    Every figure is a correlated subquery rather than a join, so notes and tasks never
    multiply each other's rows, and the page's query count does not grow with the caseload.
    """
    open_tasks = Task.objects.filter(case_file=OuterRef("pk"), done_on__isnull=True).order_by(
        "due_on", "id"
    )
    overdue = (
        Task.objects.filter(case_file=OuterRef("pk"), done_on__isnull=True, due_on__lt=today)
        .order_by()
        .values("case_file")
        .annotate(n=Count("id"))
        .values("n")
    )
    files = CaseFile.objects.select_related("household", "key_worker").annotate(
        last_contact=Subquery(
            CaseNote.objects.filter(case_file=OuterRef("pk"))
            .order_by("-occurred_at")
            .values("occurred_at")[:1]
        ),
        next_task=Subquery(open_tasks.values("title")[:1]),
        next_task_due=Subquery(open_tasks.values("due_on")[:1]),
        overdue_tasks=Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0)),
        awaiting_decision=Exists(
            Intervention.objects.filter(
                case_file=OuterRef("pk"), approval=Intervention.Approval.AWAITING
            )
        )
        | Exists(
            ClosureRequest.objects.filter(
                case_file=OuterRef("pk"), decision=ClosureRequest.Decision.PENDING
            )
        ),
    )
    if key_worker is not None:
        files = files.filter(key_worker=key_worker)
    return files.order_by("household__ref")


def caseload_totals(*, today: date) -> QuerySet[User]:
    """Every key worker with the size of their caseload, by status, and overdue tasks."""
    active = ~Q(case_files__status=CaseFile.Status.CLOSED)
    overdue = (
        Task.objects.filter(
            case_file__key_worker=OuterRef("pk"), done_on__isnull=True, due_on__lt=today
        )
        .exclude(case_file__status=CaseFile.Status.CLOSED)
        .order_by()
        .values("case_file__key_worker")
        .annotate(n=Count("id"))
        .values("n")
    )
    return key_workers().annotate(
        active_cases=Count("case_files", filter=active),
        paused_cases=Count("case_files", filter=Q(case_files__status=CaseFile.Status.PAUSED)),
        closed_cases=Count("case_files", filter=Q(case_files__status=CaseFile.Status.CLOSED)),
        overdue_tasks=Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0)),
    )


def awaiting_allocation() -> QuerySet[Household]:
    """Families confirmed into the cohort that have no case file yet."""
    return (
        Household.objects.filter(
            cohort_decisions__is_current=True,
            cohort_decisions__decision=CohortDecision.Decision.CONFIRMED,
            case_file__isnull=True,
        )
        .select_related("current_eligibility")
        .order_by("ref")
    )


def awaiting_approval_interventions() -> QuerySet[Intervention]:
    return (
        Intervention.objects.filter(approval=Intervention.Approval.AWAITING)
        .select_related("case_file__household", "case_file__key_worker", "intervention_type")
        .order_by("created_at")
    )


def pending_closures() -> QuerySet[ClosureRequest]:
    return (
        ClosureRequest.objects.filter(decision=ClosureRequest.Decision.PENDING)
        .select_related("case_file__household", "requested_by")
        .order_by("requested_at")
    )
