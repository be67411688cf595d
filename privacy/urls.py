from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.privacy_notice, name="notice"),
    path("people/", views.people, name="people"),
    path("people/<str:person_ref>/", views.person, name="person"),
    path("people/<str:person_ref>/subject-access.json", views.person_export, name="person_export"),
    path("people/<str:person_ref>/erasure/", views.erasure_new, name="erasure_new"),
    path("erasure-requests/", views.erasure_requests, name="erasure_requests"),
    path("erasure-requests/<int:pk>/", views.erasure_request, name="erasure_request"),
    path("retention/", views.retention, name="retention"),
    path("unusual-access/", views.unusual_access_report, name="unusual_access"),
    path("unusual-access/report.csv", views.unusual_access_export, name="unusual_access_export"),
    path("unusual-access/entries/", views.unusual_access_entries, name="unusual_access_entries"),
]
