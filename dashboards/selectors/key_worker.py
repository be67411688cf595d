"""A key worker's dashboard: their families, the tasks due, the families not seen for 14 days
and those close to a result. Four queries, however big the caseload."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from casework.models import Task
from casework.selectors import caseload
from dashboards.selectors.caseloads import NO_CONTACT_DAYS, days_since
from families.models import CaseFile
from outcomes.models import ResultsRun
from outcomes.selectors import CloseToResult, close_to_result, current_run

# Tasks due within this many days are listed with the overdue ones.
TASKS_AHEAD_DAYS = 7


@dataclass(frozen=True)
class MyFamily:
    case_file: CaseFile
    last_contact: date
    days_since_contact: int

    @property
    def no_contact(self) -> bool:
        return self.days_since_contact >= NO_CONTACT_DAYS


@dataclass(frozen=True)
class KeyWorkerDashboard:
    today: date
    families: list[MyFamily]
    tasks: list[Task]
    run: ResultsRun | None
    close: list[CloseToResult]

    @property
    def no_contact(self) -> list[MyFamily]:
        return sorted(
            (family for family in self.families if family.no_contact),
            key=lambda family: (-family.days_since_contact, family.case_file.household.ref),
        )

    @property
    def overdue_tasks(self) -> list[Task]:
        return [task for task in self.tasks if task.due_on < self.today]


def key_worker_dashboard(*, user, today: date) -> KeyWorkerDashboard:
    families = []
    for case_file in caseload(today=today, key_worker=user).exclude(status=CaseFile.Status.CLOSED):
        # The last contact is the latest case note, or the attachment day before any.
        last = (
            timezone.localdate(case_file.last_contact)
            if case_file.last_contact
            else case_file.attached_on
        )
        families.append(MyFamily(case_file, last, days_since(last, today)))
    tasks = list(
        Task.objects.filter(
            assignee=user,
            case_file__key_worker=user,
            done_on__isnull=True,
            due_on__lte=today + timedelta(days=TASKS_AHEAD_DAYS),
        )
        .exclude(case_file__status=CaseFile.Status.CLOSED)
        .select_related("case_file__household")
        .order_by("due_on", "id")
    )
    run = current_run()
    return KeyWorkerDashboard(
        today=today,
        families=families,
        tasks=tasks,
        run=run,
        close=close_to_result(run, key_worker=user),
    )
