"""Dashboard pages, their CSV exports, the families behind a figure, and the targets form.

Views are thin: the figures come from ``dashboards.pages``; what a user may open is decided by
role here and, for families, by ``families.access``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.roles import Role, has_role, roles_of
from audit.models import AuditEntry
from audit.services import audit_record
from casework.break_glass import overdue_count
from claims.selectors import commitments_with_funding
from dashboards.drilldown import UnknownFigure, households_behind
from dashboards.figures import chart_configs
from dashboards.forms import TargetsForm
from dashboards.models import Targets
from dashboards.pages import PAGES, Page
from dashboards.services import targets_update
from families.access import households_visible_to
from families.models import CaseFile
from tfp import clock
from tfp.csv_export import csv_download
from tfp.pagination import pagination

PAGE_SIZE = 50
# The dashboard a role lands on from the header, the first the user holds winning.
LANDING = (
    (Role.COORDINATOR, "progress"),
    (Role.KEY_WORKER, "key_worker"),
    (Role.FINANCE_OFFICER, "finance"),
)
DRILL_DOWN_ROLES = (Role.COORDINATOR, Role.KEY_WORKER)


def _page_for(request, key: str) -> Page:
    page = PAGES.get(key)
    if page is None:
        raise Http404("No such dashboard.")
    if not roles_of(request.user) & page.roles:
        raise PermissionDenied
    return page


def _tabs(user, current: str) -> list[dict]:
    """The dashboards this user may open, for the sub-navigation."""
    mine = roles_of(user)
    tabs = [
        {
            "label": page.title,
            "url": reverse(f"dashboards:{page.key}"),
            "current": page.key == current,
        }
        for page in PAGES.values()
        if mine & page.roles
    ]
    if Role.COORDINATOR in mine:
        tabs.append(
            {
                "label": "Targets",
                "url": reverse("dashboards:targets"),
                "current": current == "targets",
            }
        )
    return tabs


@require_GET
def index(request):
    for role, key in LANDING:
        if has_role(request.user, role):
            return redirect(f"dashboards:{key}")
    raise PermissionDenied


@require_GET
def dashboard(request, key: str):
    """Every dashboard page: the pages differ only in their key, which ``dashboards.urls`` sets."""
    page = _page_for(request, key)
    context = page.build(user=request.user, today=clock.today())
    return render(
        request,
        f"dashboards/{key}.html",
        {
            **context,
            "page": page,
            "tabs": _tabs(request.user, key),
            "charts": chart_configs(context["figures"]),
            "today": clock.today(),
            # Emergency access that has waited too long for a coordinator's review.
            "break_glass_overdue": overdue_count()
            if has_role(request.user, Role.COORDINATOR)
            else 0,
        },
    )


@require_GET
def export(request, page_key: str, figure_key: str):
    """One figure's table as CSV: the rows the page shows, recorded in the audit log."""
    page = _page_for(request, page_key)
    today = clock.today()
    figures = {
        figure.key: figure for figure in page.build(user=request.user, today=today)["figures"]
    }
    figure = figures.get(figure_key)
    if figure is None:
        raise Http404("No such figure.")
    rows = figure.csv_rows()
    audit_record(
        action=AuditEntry.Action.EXPORT,
        request=request,
        summary=f"Exported the dashboard figures “{figure.title}” ({len(rows)} rows)",
        details={"dashboard": page.key, "figure": figure.key},
    )
    return csv_download(f"{page.key}-{figure.key}-{today}.csv", figure.csv_header(), rows)


# --- The families behind a figure ----------------------------------------------------------------


@dataclass(frozen=True)
class FamilyRow:
    ref: str
    href: str
    attached_on: date | None
    key_worker: str
    status: str


def _family_rows(households, *, coordinator: bool) -> list[FamilyRow]:
    rows = []
    for household in households:
        case_file: CaseFile | None = getattr(household, "case_file", None)
        if case_file is not None:
            href = reverse("casework:case_file", args=[household.ref])
        elif coordinator:
            href = reverse("families:identification_family", args=[household.ref])
        else:
            href = ""
        rows.append(
            FamilyRow(
                ref=household.ref,
                href=href,
                attached_on=case_file.attached_on if case_file else None,
                key_worker=(
                    case_file.key_worker.get_full_name() or case_file.key_worker.username
                    if case_file
                    else ""
                ),
                status=case_file.get_status_display() if case_file else "Not attached",
            )
        )
    return rows


def _behind(request):
    """The figure the query names, narrowed to the families this user may see."""
    if not has_role(request.user, *DRILL_DOWN_ROLES):
        raise PermissionDenied
    try:
        behind = households_behind(request.GET, today=clock.today())
    except UnknownFigure as error:
        raise Http404(str(error)) from error
    visible = behind.households & households_visible_to(request.user)
    return behind, visible.select_related("case_file__key_worker").order_by("ref")


@require_GET
def families(request):
    behind, households = _behind(request)
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    everyone = has_role(request.user, Role.COORDINATOR)
    return render(
        request,
        "dashboards/families.html",
        {
            "title": behind.title,
            "page": page,
            "everyone": everyone,
            "rows": _family_rows(page.object_list, coordinator=everyone),
            "pagination": pagination(page, request.GET),
            "export_query": request.GET.urlencode(),
            "tabs": _tabs(request.user, ""),
        },
    )


@require_GET
def families_export(request):
    behind, households = _behind(request)
    rows = _family_rows(households, coordinator=has_role(request.user, Role.COORDINATOR))
    audit_record(
        action=AuditEntry.Action.EXPORT,
        request=request,
        summary=f"Exported the families behind a dashboard figure: {behind.title} ({len(rows)})",
        details={"query": request.GET.dict()},
    )
    return csv_download(
        "dashboard-families.csv",
        ["family_ref", "attached_on", "key_worker", "status"],
        ([row.ref, row.attached_on, row.key_worker, row.status] for row in rows),
    )


# --- Targets -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def targets(request):
    if not has_role(request.user, Role.COORDINATOR):
        raise PermissionDenied
    current = Targets.current()
    form = TargetsForm(
        request.POST or None,
        initial={
            "cohort_size": current.cohort_size,
            "cohort_started_percent": current.cohort_started_percent,
            "cohort_started_by": current.cohort_started_by,
            "caseload_limit": current.caseload_limit,
        },
    )
    if request.method == "POST" and form.is_valid():
        targets_update(updated_by=request.user, **form.cleaned_data)
        messages.success(request, "Targets saved.")
        return redirect("dashboards:progress")
    return render(
        request,
        "dashboards/targets.html",
        {
            "form": form,
            "commitments": commitments_with_funding(),
            "tabs": _tabs(request.user, "targets"),
        },
        status=400 if form.errors else 200,
    )
