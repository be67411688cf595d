from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.decorators import roles_required
from accounts.roles import Role, has_role
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
from tfp import clock
from tfp.pagination import pagination

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
    return render(
        request,
        "privacy/person.html",
        {
            "person": person,
            "family_ref": family_ref_of(person),
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
