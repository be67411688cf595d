"""Allocation pages: attaching a confirmed family with a key worker, reallocating it, and the
queue of families awaiting a key worker. The rules are ``families.casefiles``'."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import roles_required
from accounts.roles import Role
from audit.services import audit_read
from casework import forms
from casework.selectors import awaiting_allocation, key_workers
from casework.views.common import PAGE_SIZE, casework_page, render_form, submitted
from families.access import get_household_for_user, is_coordinator
from families.casefiles import case_file_attach, case_file_reallocate
from families.models import CaseFile, Household
from tfp.pagination import pagination


@require_http_methods(["GET", "POST"])
def case_allocate(request, ref: str):
    """A coordinator allocates a key worker to a confirmed family; this attaches it."""
    visible = None if is_coordinator(request.user) else Household.objects.none()
    household = get_household_for_user(request, ref, queryset=visible)
    if CaseFile.objects.filter(household=household).exists():
        return redirect("casework:case_reallocate", ref=household.ref)
    form = forms.AllocateForm(request.POST or None)
    if back := submitted(
        request,
        form,
        lambda data: case_file_attach(
            household=household,
            key_worker=data["key_worker"],
            attached_on=data["attached_on"],
            attached_by=request.user,
        ),
        done=f"Family {household.ref} attached and allocated",
        back_to=(household, "case_file"),
    ):
        return back
    return render(
        request,
        "casework/allocate.html",
        {"household": household, "form": form},
    )


@casework_page("reallocation", coordinators_only=True, methods=("GET", "POST"))
def case_reallocate(request, case_file: CaseFile):
    form = forms.ReallocateForm(request.POST or None, case_file=case_file)
    if back := submitted(
        request,
        form,
        lambda data: case_file_reallocate(
            case_file=case_file,
            key_worker=data["key_worker"],
            on=data["on"],
            by=request.user,
            request=request,
        ),
        done="Family reallocated",
        back_to=(case_file.household, "case_file"),
    ):
        return back
    return render_form(
        request,
        case_file,
        "case_file",
        form,
        title="Reallocate the family",
        intro=f"The family's key worker is {case_file.key_worker}. The current allocation ends "
        "the day the new one starts; the history is kept.",
    )


@require_GET
@roles_required(Role.COORDINATOR)
def allocation_queue(request):
    households = awaiting_allocation()
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_read(
        request=request,
        summary="Viewed the families awaiting allocation",
        families=[household.ref for household in page],
    )
    return render(
        request,
        "casework/awaiting_allocation.html",
        {"page": page, "pagination": pagination(page, request.GET), "key_workers": key_workers()},
    )
