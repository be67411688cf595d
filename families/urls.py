from django.urls import path

from families.views import casework, identification, imports, runs

app_name = "families"

urlpatterns = [
    # Identification (coordinators).
    path("identification/", identification.identification_list, name="identification_list"),
    path(
        "identification/export.csv",
        identification.identification_export,
        name="identification_export",
    ),
    path(
        "identification/local-discretion/",
        identification.local_discretion_settings,
        name="local_discretion_settings",
    ),
    path(
        "identification/families/<str:ref>/",
        identification.identification_family,
        name="identification_family",
    ),
    path(
        "identification/families/<str:ref>/confirm/",
        identification.identification_confirm,
        name="identification_confirm",
    ),
    path(
        "identification/families/<str:ref>/not-proceeding/",
        identification.identification_not_proceeding,
        name="identification_not_proceeding",
    ),
    # Partner-extract imports (data officers and coordinators).
    path("imports/", imports.import_history, name="import_history"),
    path("imports/new/", imports.import_upload, name="import_upload"),
    path("imports/<int:pk>/", imports.import_report, name="import_report"),
    path("imports/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path(
        "imports/<int:pk>/progress.json",
        imports.import_progress_status,
        name="import_progress_status",
    ),
    # Eligibility runs (coordinators and data officers).
    path("runs/", runs.run_list, name="run_list"),
    path("runs/recalculate/", runs.run_recalculate, name="run_recalculate"),
    path("runs/progress/", runs.run_progress, name="run_progress"),
    path("runs/progress.json", runs.run_progress_status, name="run_progress_status"),
    path("runs/<int:pk>/", runs.run_detail, name="run_detail"),
    # Case files (engineer D): every path naming a family goes through casework_page.
    path("caseload/", casework.my_caseload, name="caseload"),
    path("caseloads/", casework.all_caseloads, name="caseloads"),
    path("caseloads/awaiting-allocation/", casework.allocation_queue, name="allocation_queue"),
    path("caseloads/decisions/", casework.decision_queue, name="decision_queue"),
    path("intervention-types/", casework.intervention_types, name="intervention_types"),
    path(
        "intervention-types/<int:type_id>/toggle/",
        casework.intervention_type_toggle,
        name="intervention_type_toggle",
    ),
    path("<str:ref>/case/", casework.case_file_detail, name="case_file"),
    path("<str:ref>/case/allocate/", casework.case_allocate, name="case_allocate"),
    path("<str:ref>/case/reallocate/", casework.case_reallocate, name="case_reallocate"),
    path("<str:ref>/case/consent/", casework.consent_list, name="case_consent"),
    path("<str:ref>/case/consent/new/", casework.consent_new, name="case_consent_new"),
    path(
        "<str:ref>/case/consent/<int:consent_id>/withdraw/",
        casework.consent_withdraw_view,
        name="case_consent_withdraw",
    ),
    path("<str:ref>/case/assessment/", casework.assessment_detail, name="case_assessment"),
    path("<str:ref>/case/assessment/new/", casework.assessment_new, name="case_assessment_new"),
    path(
        "<str:ref>/case/assessment/<int:assessment_id>/",
        casework.assessment_detail,
        name="case_assessment_detail",
    ),
    path("<str:ref>/case/plan/", casework.plan_detail, name="case_plan"),
    path("<str:ref>/case/plan/goals/new/", casework.goal_new, name="case_goal_new"),
    path("<str:ref>/case/plan/goals/<int:goal_id>/", casework.goal_edit, name="case_goal_edit"),
    path("<str:ref>/case/plan/reviews/new/", casework.review_new, name="case_review_new"),
    path("<str:ref>/case/interventions/", casework.intervention_list, name="case_interventions"),
    path(
        "<str:ref>/case/interventions/new/",
        casework.intervention_new,
        name="case_intervention_new",
    ),
    path(
        "<str:ref>/case/interventions/<int:intervention_id>/status/",
        casework.intervention_status,
        name="case_intervention_status",
    ),
    path(
        "<str:ref>/case/interventions/<int:intervention_id>/approval/",
        casework.intervention_approval,
        name="case_intervention_approval",
    ),
    path("<str:ref>/case/budget/", casework.budget_set, name="case_budget"),
    path("<str:ref>/case/notes/", casework.note_list, name="case_notes"),
    path("<str:ref>/case/notes/new/", casework.note_new, name="case_note_new"),
    path(
        "<str:ref>/case/notes/<int:note_id>/addendum/",
        casework.note_addendum,
        name="case_note_addendum",
    ),
    path("<str:ref>/case/tasks/", casework.task_list, name="case_tasks"),
    path("<str:ref>/case/tasks/new/", casework.task_new, name="case_task_new"),
    path("<str:ref>/case/tasks/<int:task_id>/done/", casework.task_done, name="case_task_done"),
    path("<str:ref>/case/timeline/", casework.case_timeline, name="case_timeline"),
    path("<str:ref>/case/closure/", casework.case_closure, name="case_closure"),
    path(
        "<str:ref>/case/closure/<int:closure_id>/decision/",
        casework.closure_decide,
        name="case_closure_decide",
    ),
    path("<str:ref>/case/reopen/", casework.case_reopen, name="case_reopen"),
]
