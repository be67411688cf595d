from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.index, name="index"),
    path("progress/", views.dashboard, {"key": "progress"}, name="progress"),
    path("caseloads/", views.dashboard, {"key": "caseloads"}, name="caseloads"),
    path("results/", views.dashboard, {"key": "results"}, name="results"),
    path("value-for-money/", views.dashboard, {"key": "value"}, name="value"),
    path("finance/", views.dashboard, {"key": "finance"}, name="finance"),
    path("data/", views.dashboard, {"key": "freshness"}, name="freshness"),
    path("key-worker/", views.dashboard, {"key": "key_worker"}, name="key_worker"),
    path("targets/", views.targets, name="targets"),
    path("families/", views.families, name="families"),
    path("families/export.csv", views.families_export, name="families_export"),
    path("<str:page_key>/<str:figure_key>.csv", views.export, name="export"),
]
