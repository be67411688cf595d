from django.urls import path

from families.views import discretion, identification, imports, linking, runs

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
        discretion.discretion_explorer,
        name="discretion_explorer",
    ),
    path(
        "identification/local-discretion/families/",
        discretion.discretion_families,
        name="discretion_families",
    ),
    path(
        "identification/local-discretion/apply/",
        discretion.discretion_apply,
        name="discretion_apply",
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
    # Linking partner records (data officers and coordinators; administrators set it).
    path("linking/", linking.linking_overview, name="linking_overview"),
    path("linking/queue/", linking.linking_queue, name="linking_queue"),
    path("linking/people/<int:pk>/", linking.source_person_page, name="source_person"),
    path(
        "linking/people/<int:pk>/decide/",
        linking.source_person_decide,
        name="source_person_decide",
    ),
    path("linking/settings/", linking.linkage_settings, name="linkage_settings"),
    # Eligibility runs (coordinators and data officers).
    path("runs/", runs.run_list, name="run_list"),
    path("runs/recalculate/", runs.run_recalculate, name="run_recalculate"),
    path("runs/progress/", runs.run_progress, name="run_progress"),
    path("runs/progress.json", runs.run_progress_status, name="run_progress_status"),
    path("runs/<int:pk>/", runs.run_detail, name="run_detail"),
]
