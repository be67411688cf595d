from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.index, name="index"),
    path("progress/", views.progress, name="progress"),
    path("caseloads/", views.caseloads, name="caseloads"),
    path("results/", views.results, name="results"),
    path("value-for-money/", views.value, name="value"),
    path("finance/", views.finance, name="finance"),
    path("data/", views.freshness, name="freshness"),
    path("key-worker/", views.key_worker, name="key_worker"),
    path("targets/", views.targets, name="targets"),
    path("families/", views.families, name="families"),
    path("families/export.csv", views.families_export, name="families_export"),
    path("<str:page_key>/<str:figure_key>.csv", views.export, name="export"),
]
