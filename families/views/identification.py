"""The coordinator's identification pages: the list, its export, a family, the settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import roles_required
from accounts.roles import Role, has_role
from audit.models import AuditEntry
from audit.services import audit_record
from families import selectors
from families.access import get_household_for_user
from families.forms import IdentificationFilterForm, NotProceedingForm
from families.models import CohortDecision, Household
from families.services import (
    DecisionRefused,
    cohort_confirm,
    cohort_decline,
)
from tfp import clock
from tfp.csv_export import csv_download
from tfp.pagination import pagination

PAGE_SIZE = 50

# (sort key, column heading) of the list's sortable columns, left to right.
COLUMNS = (
    ("ref", "Family"),
    ("name", "Names"),
    ("postcode", "Postcode"),
    ("criteria", "Criteria met"),
    ("since", "Eligible since"),
    ("decision", "Decision"),
)


@require_GET
@roles_required(Role.COORDINATOR)
def identification_list(request):
    form = IdentificationFilterForm(request.GET)
    filters = form.filters()
    run = selectors.latest_run()
    rows = selectors.identification_list(filters, run)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    columns = [
        {
            "label": label,
            "href": form.sorted_by(key),
            "sort": ("descending" if filters.descending else "ascending")
            if filters.sort == key
            else "none",
        }
        for key, label in COLUMNS
    ]
    return render(
        request,
        "families/identification/list.html",
        {
            "form": form,
            "run": run,
            "page": page,
            "columns": columns,
            "criteria": selectors.CRITERIA,
            "selected_filters": form.selected(),
            "pagination": pagination(page, request.GET),
            "export_query": request.GET.urlencode(),
        },
    )


@require_GET
@roles_required(Role.COORDINATOR)
def identification_export(request):
    """The filtered list as CSV, every family on every page; recorded in the audit log."""
    filters = IdentificationFilterForm(request.GET).filters()
    run = selectors.latest_run()
    rows = selectors.identification_list(filters, run)
    audit_record(
        action=AuditEntry.Action.EXPORT,
        request=request,
        summary="Exported the identification list",
        details={"filters": request.GET.dict(), "run": run.pk if run else None},
    )
    return csv_download(
        f"identification-{clock.today():%Y-%m-%d}.csv",
        selectors.EXPORT_HEADER,
        selectors.identification_export_rows(rows),
    )


def _household_for_coordinator(request, ref: str) -> Household:
    """The family, for a coordinator; for anyone else a 404 and an audit entry, as for a
    family they may not see (these pages decide on the cohort, which only coordinators do)."""
    visible = None if has_role(request.user, Role.COORDINATOR) else Household.objects.none()
    return get_household_for_user(request, ref, queryset=visible)


def _family_page(request, household: Household, *, decline_form=None, refusal: str = ""):
    groups = dict(selectors.RECORD_GROUPS)
    records = request.GET.get("records")
    records = records if records in groups else None
    family = selectors.family_identification(household, today=clock.today(), records=records)
    audit_record(
        action=AuditEntry.Action.VIEW,
        request=request,
        obj=household,
        family_ref=household.ref,
        summary=f"Viewed the identification page of family {household.ref}",
    )
    attached = hasattr(household, "case_file")
    decided = family.current_decision.decision if family.current_decision else None
    return render(
        request,
        "families/identification/family.html",
        {
            "family": family,
            "reasons": family.current.reasons.split("; ") if family.current else [],
            "decline_form": decline_form or NotProceedingForm(),
            "refusal": refusal,
            "attached": attached,
            # The services refuse these anyway; the page only leaves out what would be refused.
            "can_confirm": not attached
            and family.current is not None
            and family.current.eligible
            and decided != CohortDecision.Decision.CONFIRMED,
            "can_decline": not attached and decided != CohortDecision.Decision.NOT_PROCEEDING,
            "record_groups": [(None, "All records"), *selectors.RECORD_GROUPS],
            "records": records,
        },
    )


@require_GET
def identification_family(request, ref: str):
    household = _household_for_coordinator(request, ref)
    return _family_page(request, household)


@require_POST
def identification_confirm(request, ref: str):
    household = _household_for_coordinator(request, ref)
    try:
        cohort_confirm(household=household, decided_by=request.user, request=request)
    except DecisionRefused as refusal:
        return _family_page(request, household, refusal=str(refusal))
    messages.success(request, f"Family {household.ref} confirmed into the cohort")
    return redirect("families:identification_family", ref=household.ref)


@require_POST
def identification_not_proceeding(request, ref: str):
    household = _household_for_coordinator(request, ref)
    form = NotProceedingForm(request.POST)
    if form.is_valid():
        try:
            cohort_decline(
                household=household,
                decided_by=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except DecisionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Family {household.ref} recorded as not proceeding")
            return redirect("families:identification_family", ref=household.ref)
    return _family_page(request, household, decline_form=form)
