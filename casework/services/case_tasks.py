"""Tasks on a case: what, by when, and who does it."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from accounts.models import User
from accounts.roles import Role, has_role
from audit.models import AuditEntry
from casework.models import Task
from families.models import CaseFile

from .common import CaseworkRefused, audit_change, lock_open_case_file


@transaction.atomic
def task_add(
    *, case_file: CaseFile, title: str, due_on: date, assignee: User, by: User, request=None
) -> Task:
    case_file = lock_open_case_file(case_file)
    if not has_role(assignee, Role.KEY_WORKER, Role.COORDINATOR):
        raise CaseworkRefused(f"{assignee} cannot be given casework tasks.")
    task = Task.objects.create(
        case_file=case_file, title=title, due_on=due_on, assignee=assignee, created_by=by
    )
    audit_change(
        by=by,
        request=request,
        case_file=case_file,
        obj=task,
        action=AuditEntry.Action.CREATE,
        summary=f"Added task “{title}” for {assignee.username}, due {due_on}",
    )
    return task


@transaction.atomic
def task_complete(*, task: Task, done_on: date, by: User, request=None) -> Task:
    case_file = lock_open_case_file(task.case_file)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.done_on is not None:
        raise CaseworkRefused(f"This task was done on {task.done_on}.")
    task.done_on = done_on
    task.done_by = by
    task.save(update_fields=["done_on", "done_by"])
    audit_change(
        by=by,
        request=request,
        case_file=case_file,
        obj=task,
        summary=f"Ticked off task “{task.title}” on {done_on}",
    )
    return task
