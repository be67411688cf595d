"""Eligibility runs, for coordinators and data officers: history, what changed, recalculate."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import roles_required
from accounts.roles import Role, has_role
from audit.services import audit_read
from families import selectors
from families.forms import RecalculateForm
from families.identification import RunInProgress
from families.models import EligibilityChange, EligibilityRun
from families.services import recalculation_queue
from tfp import clock
from tfp.pagination import pagination

RUNS_ROLES = (Role.COORDINATOR, Role.DATA_OFFICER)
PAGE_SIZE = 25
CHANGES_PAGE_SIZE = 50


def _run_list_page(request, form: RecalculateForm, refusal: str = ""):
    runs = EligibilityRun.objects.select_related("started_by")
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "families/runs/list.html",
        {
            "page": page,
            "pagination": pagination(page, request.GET),
            "form": form,
            "refusal": refusal,
            "running": selectors.recalculation_running(),
        },
    )


@require_GET
@roles_required(*RUNS_ROLES)
def run_list(request):
    return _run_list_page(request, RecalculateForm(today=clock.today()))


@require_POST
@roles_required(*RUNS_ROLES)
def run_recalculate(request):
    form = RecalculateForm(request.POST, today=clock.today())
    if not form.is_valid():
        return _run_list_page(request, form)
    try:
        newest = recalculation_queue(
            as_of=form.cleaned_data["as_of"], requested_by=request.user, request=request
        )
    except RunInProgress as refusal:
        return _run_list_page(request, form, refusal=str(refusal))
    return redirect(f"{reverse('families:run_progress')}?after={newest}")


def _after(request) -> int:
    value = request.GET.get("after", "")
    return int(value) if value.isdigit() else 0


def _progress(request) -> dict:
    """Where the user's requested run is: queued, running, or finished (and where)."""
    run = selectors.requested_run(after=_after(request), user=request.user)
    if run is None:
        return {"state": "queued", "message": "Waiting for the recalculation to start."}
    state = {
        "state": run.status,
        "run": run.pk,
        "url": reverse("families:run_detail", args=[run.pk]),
    }
    if run.status == EligibilityRun.Status.RUNNING:
        return state | {"message": f"Assessing every household as of {run.as_of:%d/%m/%Y}."}
    if run.status == EligibilityRun.Status.FAILED:
        return state | {"message": "The recalculation failed. The previous run stays current."}
    return state | {
        "message": f"Finished: {run.households_eligible:,} families eligible as of "
        f"{run.as_of:%d/%m/%Y}."
    }


@require_GET
@roles_required(*RUNS_ROLES)
def run_progress(request):
    """Progress of a requested run. A script polls ``run_progress_status`` and moves on to the
    run's page when it ends; without script the page offers to check again."""
    progress = _progress(request)
    if progress["state"] in (EligibilityRun.Status.SUCCEEDED, EligibilityRun.Status.FAILED):
        return redirect(progress["url"])
    return render(
        request,
        "families/runs/progress.html",
        {
            "progress": progress,
            "status_url": f"{reverse('families:run_progress_status')}?after={_after(request)}",
        },
    )


@require_GET
@roles_required(*RUNS_ROLES)
def run_progress_status(request):
    return JsonResponse(_progress(request))


@require_GET
@roles_required(*RUNS_ROLES)
def run_detail(request, pk: int):
    run = get_object_or_404(EligibilityRun.objects.select_related("started_by"), pk=pk)
    change = request.GET.get("change", "")
    if change not in EligibilityChange.Change.values:
        change = ""
    page = Paginator(selectors.run_changes(run, change or None), CHANGES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    audit_read(
        request=request,
        summary=f"Viewed eligibility run {run.pk}",
        families=[change.household.ref for change in page],
        run=run.pk,
    )
    tabs = [
        ("", "All changes", run.newly_eligible + run.no_longer_eligible + run.criteria_changed),
        (EligibilityChange.Change.NEWLY_ELIGIBLE, "Newly eligible", run.newly_eligible),
        (EligibilityChange.Change.NO_LONGER_ELIGIBLE, "No longer eligible", run.no_longer_eligible),
        (EligibilityChange.Change.CRITERIA_CHANGED, "Criteria changed", run.criteria_changed),
    ]
    return render(
        request,
        "families/runs/detail.html",
        {
            "run": run,
            "page": page,
            "pagination": pagination(page, request.GET),
            "tabs": [
                {"value": value, "label": label, "count": count, "current": value == change}
                for value, label, count in tabs
            ],
            # Data officers see the runs but not the families: only coordinators get links.
            "link_families": has_role(request.user, Role.COORDINATOR),
        },
    )
