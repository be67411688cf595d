"""The whole-family assessment: the latest one, its history and recording a new one."""

from __future__ import annotations

from casework import forms
from casework.models import Assessment
from casework.selectors import members_on
from casework.services.assessment import assessment_record
from casework.views.common import case_object, casework_page, render_case, submitted
from families.models import CaseFile
from tfp import clock


@casework_page("the assessment")
def assessment_detail(request, case_file: CaseFile, assessment_id: int | None = None):
    history = list(case_file.assessments.select_related("recorded_by"))
    if assessment_id is None:
        shown = history[0] if history else None
    else:
        shown = case_object(request, case_file, Assessment.objects.all(), assessment_id)
    needs = (
        shown.needs.select_related("person").order_by("person__date_of_birth", "domain")
        if shown
        else []
    )
    return render_case(
        request,
        case_file,
        "casework/assessment.html",
        "case_assessment",
        assessment=shown,
        needs=needs,
        history=history,
    )


@casework_page("the assessment form", form_page=True, methods=("GET", "POST"))
def assessment_new(request, case_file: CaseFile):
    previous = case_file.assessments.prefetch_related("needs").first()
    members = members_on(household=case_file.household, day=clock.today())
    form = forms.AssessmentForm(request.POST or None, members=members, previous=previous)
    if back := submitted(
        request,
        form,
        lambda data: assessment_record(
            case_file=case_file,
            assessed_on=data["assessed_on"],
            review_by=data["review_by"],
            summary=data["summary"],
            needs=form.needs(),
            by=request.user,
            request=request,
        ),
        done="Assessment saved",
        back_to=(case_file.household, "case_assessment"),
    ):
        return back
    return render_case(
        request,
        case_file,
        "casework/assessment_form.html",
        "case_assessment",
        form=form,
        previous=previous,
    )
