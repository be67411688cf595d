"""The case file's tasks (to-dos for the key worker; nothing to do with Celery)."""

from __future__ import annotations

from django.contrib import messages

from casework import forms
from casework.models import Task
from casework.services.case_tasks import task_add, task_complete
from casework.services.common import CaseworkRefused
from casework.views.common import (
    back_to_section,
    case_object,
    casework_page,
    render_case,
    render_form,
    submitted,
)
from families.models import CaseFile
from tfp import clock


@casework_page("tasks")
def task_list(request, case_file: CaseFile):
    tasks = case_file.tasks.select_related("assignee", "done_by")
    return render_case(
        request,
        case_file,
        "casework/tasks.html",
        "case_tasks",
        open_tasks=[t for t in tasks if t.done_on is None],
        done_tasks=[t for t in tasks if t.done_on is not None],
        today=clock.today(),
    )


@casework_page("the task form", form_page=True, methods=("GET", "POST"))
def task_new(request, case_file: CaseFile):
    form = forms.TaskForm(request.POST or None, initial={"assignee": case_file.key_worker_id})
    if back := submitted(
        request,
        form,
        lambda data: task_add(case_file=case_file, **data, by=request.user, request=request),
        done="Task added",
        back_to=(case_file.household, "case_tasks"),
    ):
        due_on = form.cleaned_data["due_on"]
        if due_on < clock.today():
            # Allowed (a task noted late), but the key worker should know it starts overdue.
            messages.warning(
                request,
                f"The task was due on {due_on:%-d %B %Y}, which is in the past: it shows as "
                "overdue.",
            )
        return back
    return render_form(request, case_file, "case_tasks", form, title="Add a task")


@casework_page("task completion", methods=("POST",))
def task_done(request, case_file: CaseFile, task_id: int):
    task = case_object(request, case_file, Task.objects.all(), task_id)
    try:
        task_complete(task=task, done_on=clock.today(), by=request.user, request=request)
    except CaseworkRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Task done: {task.title}")
    return back_to_section(case_file, "case_tasks")
