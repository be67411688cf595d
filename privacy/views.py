from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.decorators import roles_required
from accounts.models import User
from accounts.roles import Role, has_role
from audit.models import AuditEntry
from audit.services import audit_read, audit_record
from privacy import unusual_access
from privacy.erasure import (
    ErasureRefused,
    erasure_request_create,
    erasure_request_decide,
    family_ref_of,
    is_anonymised,
)
from privacy.forms import ErasureDecisionForm, ErasureRequestForm, PersonSearchForm
from privacy.models import ErasureRequest, RetentionRun
from privacy.retention import closed_before
from privacy.selectors import SEARCH_LIMIT, get_person_for_user, people_matching
from privacy.subject_access import (
    entries_by_section,
    subject_access_export,
    subject_access_for,
)
from privacy.unusual_access import Figure
from tfp import clock
from tfp.csv_export import csv_download
from tfp.pagination import counted_page, pagination

PAGE_SIZE = 25


@login_not_required
def privacy_notice(request):
    return render(
        request,
        "privacy/notice.html",
        {"retention_years": settings.RETENTION_YEARS_AFTER_CLOSURE},
    )


@roles_required(Role.COORDINATOR, Role.KEY_WORKER)
def people(request):
    """Find a person, to answer a subject-access or erasure request about them."""
    form = PersonSearchForm(request.GET or None)
    found = None
    if form.is_valid() and form.cleaned_data["q"]:
        found = people_matching(request.user, form.cleaned_data["q"])
        # The people found, by reference: what was typed may be a name.
        audit_read(
            request=request,
            summary="Searched for people",
            people=[person.ref for person in found],
        )
    return render(
        request,
        "privacy/people.html",
        {"form": form, "found": found, "limit": SEARCH_LIMIT},
    )


@roles_required(Role.COORDINATOR, Role.KEY_WORKER)
def person(request, person_ref: str):
    person = get_person_for_user(request, person_ref)
    export = subject_access_for(person) if has_role(request.user, Role.COORDINATOR) else None
    erasures = ErasureRequest.objects.filter(person=person).select_related(
        "requested_by", "decided_by"
    )
    family_ref = family_ref_of(person)
    audit_read(
        request=request,
        summary=f"Viewed the person {person.ref}",
        obj=person,
        family_ref=family_ref or "",
    )
    return render(
        request,
        "privacy/person.html",
        {
            "person": person,
            "family_ref": family_ref,
            "anonymised": is_anonymised(person),
            "export": export,
            "sections": entries_by_section(export) if export else {},
            "erasures": erasures,
            "can_request_erasure": not any(e.status == "pending" for e in erasures),
        },
    )


@roles_required(Role.COORDINATOR)
def person_export(request, person_ref: str):
    """The subject-access file, for the officer to review before anything is released."""
    person = get_person_for_user(request, person_ref)
    export = subject_access_export(person=person, exported_by=request.user, request=request)
    response = HttpResponse(export.as_json(), content_type="application/json; charset=utf-8")
    filename = f"subject-access-{person.ref}-{clock.today():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@roles_required(Role.COORDINATOR, Role.KEY_WORKER)
def erasure_new(request, person_ref: str):
    person = get_person_for_user(request, person_ref)
    form = ErasureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erasure_request_create(
                person=person,
                received_on=form.cleaned_data["received_on"],
                grounds=form.cleaned_data["grounds"],
                requested_by=request.user,
                request=request,
            )
        except ErasureRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Erasure request recorded. A coordinator will decide it.")
            return redirect("privacy:person", person_ref=person.ref)
    return render(request, "privacy/erasure_form.html", {"form": form, "person": person})


@roles_required(Role.COORDINATOR)
def erasure_requests(request):
    pending = ErasureRequest.objects.filter(status=ErasureRequest.Status.PENDING).select_related(
        "person", "requested_by"
    )
    decided = Paginator(
        ErasureRequest.objects.exclude(status=ErasureRequest.Status.PENDING).select_related(
            "person", "requested_by", "decided_by"
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/erasure_requests.html",
        {"pending": pending, "decided": decided, "pagination": pagination(decided, request.GET)},
    )


@roles_required(Role.COORDINATOR)
def erasure_request(request, pk: int):
    erasure = get_object_or_404(
        ErasureRequest.objects.select_related("person", "requested_by", "decided_by"), pk=pk
    )
    form = ErasureDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erasure_request_decide(
                erasure=erasure,
                approve=form.cleaned_data["decision"] == "approve",
                decided_by=request.user,
                note=form.cleaned_data["note"],
                redact_notes=form.cleaned_data["redact_notes"],
                request=request,
            )
        except ErasureRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Decision recorded.")
            return redirect("privacy:erasure_request", pk=erasure.pk)
    return render(
        request,
        "privacy/erasure_request.html",
        {
            "erasure": erasure,
            "form": form,
            "own_request": erasure.requested_by_id == request.user.pk,
            "family_ref": family_ref_of(erasure.person),
        },
    )


@roles_required(Role.COORDINATOR, Role.AUDITOR)
def retention(request):
    """The retention rule and the count report of every pass."""
    runs = Paginator(RetentionRun.objects.select_related("started_by"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "privacy/retention.html",
        {
            "runs": runs,
            "pagination": pagination(runs, request.GET),
            "retention_years": settings.RETENTION_YEARS_AFTER_CLOSURE,
            "closed_before": closed_before(clock.today()),
        },
    )


# --- Unusual access (coordinators and auditors) -------------------------------------------

UNUSUAL_ACCESS_READERS = (Role.COORDINATOR, Role.AUDITOR)
ENTRIES_PAGE_SIZE = 50


def _week(request) -> date:
    """The week asked for (any day of it, YYYY-MM-DD), or the last complete week."""
    try:
        return unusual_access.week_of(date.fromisoformat(request.GET.get("week", "")))
    except ValueError:
        return unusual_access.last_complete_week()


def _unusual_rows(people: list[unusual_access.PersonWeek], week: date) -> list[dict]:
    """Each figure with the people it lists, highest first, and where their entries are."""
    listed = {
        Figure.BEYOND_CASELOAD: lambda p: p.reads_unusually,
        Figure.REFUSED: lambda p: p.refused,
        Figure.EXPORTS: lambda p: p.exports,
        Figure.OUT_OF_HOURS: lambda p: p.out_of_hours,
        Figure.BREAK_GLASS: lambda p: p.break_glass,
        Figure.CASE_FILE_GRANTS: lambda p: p.case_file_grants,
    }
    entries = reverse("privacy:unusual_access_entries")
    return [
        {
            "figure": figure,
            "title": unusual_access.FIGURE_TITLES[figure],
            "people": [
                {
                    "person": person,
                    "count": getattr(person, figure),
                    "href": f"{entries}?"
                    + urlencode({"week": week, "figure": figure, "user": person.user_id}),
                }
                for person in sorted(people, key=lambda p: -getattr(p, figure))
                if listed[figure](person)
            ],
        }
        for figure in Figure
    ]


def _audited_week(request, action: str, done: str):
    """The week asked for and everyone's figures in it; reading them is audited."""
    week = _week(request)
    audit_record(
        action=action,
        request=request,
        summary=f"{done} the unusual-access report for the week of {week:%d/%m/%Y}",
        details={"week": week.isoformat()},
    )
    return week, unusual_access.week_summary(week)


@require_GET
@roles_required(*UNUSUAL_ACCESS_READERS)
def unusual_access_report(request):
    week, people = _audited_week(request, AuditEntry.Action.VIEW, "Viewed")
    return render(
        request,
        "privacy/unusual_access.html",
        {
            "week": week,
            "week_ends": week + timedelta(days=6),
            "previous": week - timedelta(days=7),
            "next": week + timedelta(days=7),
            "figures": _unusual_rows(people, week),
            "minimum": settings.UNUSUAL_ACCESS_MIN_FAMILIES,
            "working_hours": settings.WORKING_HOURS,
        },
    )


REPORT_HEADER = [
    "username",
    "name",
    "open case files allocated",
    "families whose case file they read",
    "of which not on their caseload",
    "read unusually many",
    "refused attempts",
    "exports and pack downloads",
    "reads outside working hours",
    "uses of emergency access",
    "roles that see case files granted",
]


@require_GET
@roles_required(*UNUSUAL_ACCESS_READERS)
def unusual_access_export(request):
    """The week's report as CSV, one line per person; the export is itself audited."""
    week, people = _audited_week(request, AuditEntry.Action.EXPORT, "Exported")
    return csv_download(
        f"unusual-access-{week.isoformat()}.csv",
        REPORT_HEADER,
        (
            (
                p.username,
                p.name,
                p.caseload,
                p.families_read,
                p.beyond_caseload,
                "yes" if p.reads_unusually else "no",
                p.refused,
                p.exports,
                p.out_of_hours,
                p.break_glass,
                p.case_file_grants,
            )
            for p in people
        ),
    )


@require_GET
@roles_required(*UNUSUAL_ACCESS_READERS)
def unusual_access_entries(request):
    """The audit entries behind one person's figure in one week."""
    week = _week(request)
    try:
        figure = Figure(request.GET.get("figure", ""))
        person = User.objects.get(pk=int(request.GET.get("user", "")))
    except (ValueError, User.DoesNotExist):
        raise Http404("No such figure or person.") from None
    page = counted_page(
        request.GET,
        ENTRIES_PAGE_SIZE,
        lambda limit, offset: unusual_access.figure_entries(
            week=week, figure=figure, user_id=person.pk, limit=limit, offset=offset
        ),
    )
    audit_record(
        action=AuditEntry.Action.VIEW,
        request=request,
        summary=f"Viewed the unusual-access entries of {person.username}",
        details={"week": week.isoformat(), "figure": figure, "user": person.pk},
    )
    return render(
        request,
        "privacy/unusual_access_entries.html",
        {
            "week": week,
            "week_ends": week + timedelta(days=6),
            "title": unusual_access.FIGURE_TITLES[figure],
            "person": person,
            "page": page,
            "pagination": pagination(page, request.GET),
            "back": f"{reverse('privacy:unusual_access')}?{urlencode({'week': week})}",
        },
    )
