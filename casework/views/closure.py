"""Closing a case (request and coordinator's decision) and reopening it."""

from __future__ import annotations

from casework import forms
from casework.models import ClosureRequest
from casework.services.closure import case_closure_decide, case_closure_request, case_file_reopen
from casework.views.common import case_object, casework_page, render_case, render_form, submitted
from families.models import CaseFile


@casework_page("closure", methods=("GET", "POST"))
def case_closure(request, case_file: CaseFile):
    form = forms.ClosureRequestForm(request.POST or None)
    if back := submitted(
        request,
        form,
        lambda data: case_closure_request(
            case_file=case_file, **data, by=request.user, request=request
        ),
        done="Closure requested: a coordinator will decide",
        back_to=(case_file.household, "case_closure"),
    ):
        return back
    return render_case(
        request,
        case_file,
        "casework/closure.html",
        "case_closure",
        form=form,
        closures=case_file.closures.select_related("requested_by", "decided_by"),
        reopenings=case_file.reopenings.select_related("reopened_by"),
        can_request=case_file.status in (CaseFile.Status.OPEN, CaseFile.Status.PAUSED),
    )


@casework_page("the closure decision form", coordinators_only=True, methods=("GET", "POST"))
def closure_decide(request, case_file: CaseFile, closure_id: int):
    closure = case_object(
        request, case_file, ClosureRequest.objects.select_related("requested_by"), closure_id
    )
    form = forms.DecisionForm(request.POST or None)
    if back := submitted(
        request,
        form,
        lambda data: case_closure_decide(
            closure=closure,
            approve=form.approved,
            note=data["note"],
            by=request.user,
            request=request,
        ),
        done="Decision recorded",
        back_to=(case_file.household, "case_closure"),
    ):
        return back
    return render_form(
        request,
        case_file,
        "case_closure",
        form,
        title="Close the case?",
        intro=f"{closure.requested_by} asks to close the case: "
        f"{closure.get_reason_display().lower()}. {closure.details}",
    )


@casework_page("the reopening form", coordinators_only=True, methods=("GET", "POST"))
def case_reopen(request, case_file: CaseFile):
    form = forms.ReopenForm(request.POST or None)
    if back := submitted(
        request,
        form,
        lambda data: case_file_reopen(
            case_file=case_file, reason=data["reason"], by=request.user, request=request
        ),
        done="Case reopened",
        back_to=(case_file.household, "case_file"),
    ):
        return back
    return render_form(request, case_file, "case_closure", form, title="Reopen the case")
