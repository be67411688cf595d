"""The audit viewer: the append-only log, for auditors and coordinators, filterable by user,
family, action and date, paginated, and exportable. Reading and exporting it are themselves
recorded."""

from __future__ import annotations

import csv

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.roles import Role, has_role
from audit.forms import AuditFilterForm
from audit.models import AuditEntry
from audit.services import audit_record
from families.views.identification import pagination

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
# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


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
    writer = csv.writer(_Echo(), lineterminator="\n")
    rows = entries.values_list(*EXPORT_COLUMNS).iterator(chunk_size=2000)
    lines = (
        writer.writerow([_cell(timezone.localtime(row[0]).isoformat()), *map(_cell, row[1:])])
        for row in rows
    )
    response = StreamingHttpResponse(
        (line for chunk in ([writer.writerow(EXPORT_COLUMNS)], lines) for line in chunk),
        content_type="text/csv",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
