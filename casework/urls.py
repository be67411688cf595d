"""Case-file addresses, under /families/ beside identification's: every path naming a family
goes through ``casework.views.common.casework_page``."""

from django.urls import path

from casework.views import (
    allocation,
    assessment,
    break_glass,
    case_file,
    case_tasks,
    caseloads,
    closure,
    consent,
    interventions,
    notes,
    plan,
    timeline,
)

app_name = "casework"

urlpatterns = [
    path("caseload/", caseloads.my_caseload, name="caseload"),
    path("caseloads/", caseloads.all_caseloads, name="caseloads"),
    path("caseloads/awaiting-allocation/", allocation.allocation_queue, name="allocation_queue"),
    path("caseloads/decisions/", caseloads.decision_queue, name="decision_queue"),
    path("intervention-types/", interventions.intervention_types, name="intervention_types"),
    path(
        "intervention-types/<int:type_id>/toggle/",
        interventions.intervention_type_toggle,
        name="intervention_type_toggle",
    ),
    path("emergency-access/", break_glass.break_glass_new, name="break_glass_new"),
    path("emergency-access/review/", break_glass.break_glass_queue, name="break_glass_queue"),
    path(
        "emergency-access/<int:pk>/review/",
        break_glass.break_glass_review_view,
        name="break_glass_review",
    ),
    path("<str:ref>/case/", case_file.case_file_detail, name="case_file"),
    path("<str:ref>/case/allocate/", allocation.case_allocate, name="case_allocate"),
    path("<str:ref>/case/reallocate/", allocation.case_reallocate, name="case_reallocate"),
    path("<str:ref>/case/consent/", consent.consent_list, name="case_consent"),
    path("<str:ref>/case/consent/new/", consent.consent_new, name="case_consent_new"),
    path(
        "<str:ref>/case/consent/<int:consent_id>/withdraw/",
        consent.consent_withdraw_view,
        name="case_consent_withdraw",
    ),
    path("<str:ref>/case/assessment/", assessment.assessment_detail, name="case_assessment"),
    path("<str:ref>/case/assessment/new/", assessment.assessment_new, name="case_assessment_new"),
    path(
        "<str:ref>/case/assessment/<int:assessment_id>/",
        assessment.assessment_detail,
        name="case_assessment_detail",
    ),
    path("<str:ref>/case/plan/", plan.plan_detail, name="case_plan"),
    path("<str:ref>/case/plan/goals/new/", plan.goal_new, name="case_goal_new"),
    path("<str:ref>/case/plan/goals/<int:goal_id>/", plan.goal_edit, name="case_goal_edit"),
    path("<str:ref>/case/plan/reviews/new/", plan.review_new, name="case_review_new"),
    path(
        "<str:ref>/case/interventions/", interventions.intervention_list, name="case_interventions"
    ),
    path(
        "<str:ref>/case/interventions/new/",
        interventions.intervention_new,
        name="case_intervention_new",
    ),
    path(
        "<str:ref>/case/interventions/<int:intervention_id>/status/",
        interventions.intervention_status,
        name="case_intervention_status",
    ),
    path(
        "<str:ref>/case/interventions/<int:intervention_id>/approval/",
        interventions.intervention_approval,
        name="case_intervention_approval",
    ),
    path("<str:ref>/case/budget/", interventions.budget_set, name="case_budget"),
    path("<str:ref>/case/notes/", notes.note_list, name="case_notes"),
    path("<str:ref>/case/notes/new/", notes.note_new, name="case_note_new"),
    path(
        "<str:ref>/case/notes/<int:note_id>/addendum/",
        notes.note_addendum,
        name="case_note_addendum",
    ),
    path("<str:ref>/case/tasks/", case_tasks.task_list, name="case_tasks"),
    path("<str:ref>/case/tasks/new/", case_tasks.task_new, name="case_task_new"),
    path("<str:ref>/case/tasks/<int:task_id>/done/", case_tasks.task_done, name="case_task_done"),
    path("<str:ref>/case/timeline/", timeline.case_timeline, name="case_timeline"),
    path("<str:ref>/case/closure/", closure.case_closure, name="case_closure"),
    path(
        "<str:ref>/case/closure/<int:closure_id>/decision/",
        closure.closure_decide,
        name="case_closure_decide",
    ),
    path("<str:ref>/case/reopen/", closure.case_reopen, name="case_reopen"),
]
