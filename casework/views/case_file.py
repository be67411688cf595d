"""The case file's overview page."""

from __future__ import annotations

from casework.models import ClosureRequest
from casework.selectors import members_on
from casework.services.interventions import budget_summary
from casework.views.common import casework_page, render_case
from families.models import CaseFile
from tfp import clock


@casework_page("the case file")
def case_file_detail(request, case_file: CaseFile):
    today = clock.today()
    return render_case(
        request,
        case_file,
        "casework/case_file.html",
        "case_file",
        members=members_on(household=case_file.household, day=today),
        budget=budget_summary(case_file),
        consents=case_file.consents.filter(withdrawn_on__isnull=True).select_related("given_by"),
        open_tasks=case_file.tasks.filter(done_on__isnull=True).select_related("assignee")[:5],
        latest_assessment=case_file.assessments.first(),
        pending_closure=case_file.closures.filter(decision=ClosureRequest.Decision.PENDING).first(),
        allocations=case_file.allocations.select_related("key_worker"),
        today=today,
    )
