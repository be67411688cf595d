"""Outcome pages: families close to a result, and a family's results and measures over time."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import roles_required
from accounts.roles import Role, has_role
from audit.models import AuditEntry
from audit.services import audit_record
from casework.break_glass import running_use
from families.access import get_household_for_user
from families.models import CaseFile, Household
from outcomes.measures import chart_configs, family_measures
from outcomes.selectors import close_to_result, current_run, family_results_now
from tfp import clock
from tfp.pagination import pagination

PAGE_SIZE = 50


@require_GET
@roles_required(Role.KEY_WORKER, Role.COORDINATOR)
def close(request):
    """Key workers see their own families close to a result; coordinators see every family."""
    run = current_run()
    everyone = has_role(request.user, Role.COORDINATOR)
    rows = close_to_result(run, key_worker=None if everyone else request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outcomes/close.html",
        {
            "run": run,
            "page": page,
            "pagination": pagination(page, request.GET),
            "everyone": everyone,
        },
    )


@require_GET
def family(request, ref: str):
    household = get_household_for_user(
        request, ref, queryset=Household.objects.filter(case_file__isnull=False)
    )
    case_file = CaseFile.objects.select_related("household", "key_worker").get(household=household)
    run = current_run()
    until = run.as_of if run else clock.today()
    measures = family_measures(case_file, until)
    audit_record(
        action=AuditEntry.Action.VIEW,
        request=request,
        obj=case_file,
        family_ref=household.ref,
        summary=f"Viewed the outcomes of family {household.ref}",
    )
    return render(
        request,
        "outcomes/family.html",
        {
            "break_glass": running_use(request.user, case_file),
            "case_file": case_file,
            "household": household,
            "run": run,
            "until": until,
            "results": family_results_now(household, run),
            "measures": measures,
            "charts": chart_configs(measures),
        },
    )
