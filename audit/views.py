"""The audit viewer: the append-only log, for auditors and coordinators, filterable by user,
family, action and date, paginated, and exportable. Reading and exporting it are themselves
recorded."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.roles import Role, has_role
from audit.forms import AuditFilterForm
from audit.models import AuditEntry
from audit.services import audit_record
from tfp import clock
from tfp.csv_export import csv_download
from tfp.pagination import pagination

PAGE_SIZE = 50
READERS = (Role.AUDITOR, Role.COORDINATOR)
EXPORT_COLUMNS = (
    "at",
    "username",
    "action",
    "family_ref",
    "object_type",
    "object_id",
    "summary",
    "ip_address",
    "path",
)


def _readers_only(request) -> None:
    if not has_role(request.user, *READERS):
        raise PermissionDenied


def _filtered(request) -> tuple[AuditFilterForm, object]:
    form = AuditFilterForm(request.GET)
    return form, form.filter(AuditEntry.objects.order_by("-at", "-id"))


@require_GET
def audit_log(request):
    _readers_only(request)
    form, entries = _filtered(request)
    # Recorded before the page is read, so the page counts and shows this entry consistently.
    audit_record(
        action=AuditEntry.Action.VIEW,
        request=request,
        summary="Viewed the audit log",
        details={"filters": request.GET.dict()},
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "pagination": pagination(page, request.GET),
            "export_query": query.urlencode(),
        },
    )


@require_GET
def audit_export(request):
    """The filtered log as CSV, streamed; the export is recorded before it starts."""
    _readers_only(request)
    _form, entries = _filtered(request)
    audit_record(
        action=AuditEntry.Action.EXPORT,
        request=request,
        summary="Exported the audit log",
        details={"filters": request.GET.dict()},
    )
    rows = entries.values_list(*EXPORT_COLUMNS).iterator(chunk_size=2000)
    # The action in words ("Access refused"), as the page shows it, not its code.
    actions = dict(AuditEntry.Action.choices)
    return csv_download(
        f"audit-log-{clock.today().isoformat()}.csv",
        list(EXPORT_COLUMNS),
        (
            (timezone.localtime(at).isoformat(), username, actions.get(action, action), *rest)
            for at, username, action, *rest in rows
        ),
    )
