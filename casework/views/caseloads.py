"""Caseloads and the coordinators' decision queue."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import roles_required
from accounts.roles import Role
from audit.services import audit_read
from casework import forms
from casework.selectors import (
    awaiting_allocation,
    awaiting_approval_interventions,
    caseload,
    caseload_totals,
    pending_closures,
)
from casework.views.common import PAGE_SIZE
from tfp import clock
from tfp.pagination import pagination


@require_GET
@roles_required(Role.KEY_WORKER)
def my_caseload(request):
    """A key worker's families: status, last contact, next task, overdue tasks."""
    today = clock.today()
    audit_read(request=request, summary="Viewed their caseload")
    return render(
        request,
        "casework/caseload.html",
        {"case_files": caseload(today=today, key_worker=request.user), "today": today},
    )


@require_GET
@roles_required(Role.COORDINATOR)
def all_caseloads(request):
    """Every caseload: totals per key worker and the case files, filterable, with reallocation."""
    today = clock.today()
    form = forms.CaseloadFilterForm(request.GET)
    files = caseload(today=today)
    if form.is_valid():
        if form.cleaned_data["key_worker"]:
            files = files.filter(key_worker=form.cleaned_data["key_worker"])
        if form.cleaned_data["status"]:
            files = files.filter(status__in=form.cleaned_data["status"])
    page = Paginator(files, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_read(
        request=request,
        summary="Viewed every caseload",
        families=[case_file.household.ref for case_file in page],
    )
    return render(
        request,
        "casework/caseloads.html",
        {
            "form": form,
            "totals": caseload_totals(today=today),
            "page": page,
            "pagination": pagination(page, request.GET),
            "today": today,
            "awaiting_allocation": awaiting_allocation().count(),
            "awaiting_decisions": awaiting_approval_interventions().count()
            + pending_closures().count(),
        },
    )


@require_GET
@roles_required(Role.COORDINATOR)
def decision_queue(request):
    audit_read(request=request, summary="Viewed the decisions waiting for a coordinator")
    return render(
        request,
        "casework/decisions.html",
        {
            "interventions": awaiting_approval_interventions(),
            "closures": pending_closures(),
        },
    )
