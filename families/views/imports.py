"""Partner-extract imports in the browser, for data officers and coordinators: upload, watch
the import's progress, read its report, and the history of every import."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import roles_required
from accounts.roles import Role
from audit.services import audit_read
from families.imports import import_upload_queue
from families.imports.forms import ImportUploadForm
from families.models import ImportBatch, LinkMethod
from tfp import clock
from tfp.pagination import pagination

IMPORT_ROLES = (Role.DATA_OFFICER, Role.COORDINATOR)
PAGE_SIZE = 25
Status = ImportBatch.Status
FINISHED = (Status.SUCCEEDED, Status.REJECTED, Status.FAILED)


@require_http_methods(["GET", "POST"])
@roles_required(*IMPORT_ROLES)
def import_upload(request):
    today = clock.today()
    if request.method != "POST":
        return render(
            request, "families/imports/upload.html", {"form": ImportUploadForm(today=today)}
        )
    form = ImportUploadForm(request.POST, request.FILES, today=today)
    if not form.is_valid():
        return render(request, "families/imports/upload.html", {"form": form}, status=400)
    batch = import_upload_queue(
        kind=form.cleaned_data["kind"],
        upload=form.cleaned_data["file"],
        as_of=form.cleaned_data["as_of"],
        imported_by=request.user,
        source=form.cleaned_data["source"],
    )
    return redirect("families:import_progress", pk=batch.pk)


def _progress(batch: ImportBatch) -> dict:
    messages = {
        Status.PENDING: "Waiting for the import to start.",
        Status.RUNNING: f"Importing {batch.file_name}: {batch.progress}% done.",
        Status.SUCCEEDED: f"Imported {batch.file_name}.",
        Status.REJECTED: f"{batch.file_name} was rejected: nothing was imported.",
        Status.FAILED: f"The import of {batch.file_name} failed: nothing was imported.",
    }
    return {
        "state": batch.status,
        "progress": batch.progress,
        "message": messages[batch.status],
        "url": reverse("families:import_report", args=[batch.pk]),
    }


@require_GET
@roles_required(*IMPORT_ROLES)
def import_progress(request, pk: int):
    """While the import runs: a progress bar that a script keeps up to date, moving on to
    the report when the import ends; without script the page offers to check again."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    if batch.status in FINISHED:
        return redirect("families:import_report", pk=batch.pk)
    return render(
        request,
        "families/imports/progress.html",
        {
            "batch": batch,
            "progress": _progress(batch),
            "status_url": reverse("families:import_progress_status", args=[batch.pk]),
        },
    )


@require_GET
@roles_required(*IMPORT_ROLES)
def import_progress_status(request, pk: int):
    return JsonResponse(_progress(get_object_or_404(ImportBatch, pk=pk)))


@require_GET
@roles_required(*IMPORT_ROLES)
def import_report(request, pk: int):
    batch = get_object_or_404(ImportBatch.objects.select_related("imported_by"), pk=pk)
    if batch.status not in FINISHED:
        return redirect("families:import_progress", pk=batch.pk)
    audit_read(request=request, summary=f"Viewed the report of import {batch.pk}", batch=batch.pk)
    return render(
        request,
        "families/imports/report.html",
        {
            "batch": batch,
            "errors_not_shown": batch.error_count - len(batch.errors),
            "linked_by_method": [
                (method.label, batch.linking["linked"].get(method, 0)) for method in LinkMethod
            ]
            if batch.linking
            else [],
        },
    )


@require_GET
@roles_required(*IMPORT_ROLES)
def import_history(request):
    batches = ImportBatch.objects.select_related("imported_by").defer("errors")
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "families/imports/history.html",
        {"page": page, "pagination": pagination(page, request.GET)},
    )
