from django.urls import path

from claims import views

app_name = "claims"

urlpatterns = [
    path("", views.windows, name="windows"),
    path("ready/", views.ready, name="ready"),
    path("windows/new/", views.window_add, name="window_add"),
    path("windows/<str:name>/build/", views.pack_build_view, name="pack_build"),
    path("builds/<int:pk>/", views.build_progress, name="build"),
    path("builds/<int:pk>/status.json", views.build_status, name="build_status"),
    path("packs/<str:name>/", views.pack_detail, name="pack"),
    path("packs/<str:name>/sample/", views.pack_sample, name="pack_sample"),
    path("packs/<str:name>/sign-off/", views.pack_sign_off, name="pack_sign_off"),
    path("packs/<str:name>/approve/", views.pack_approve, name="pack_approve"),
    path("packs/<str:name>/submit/", views.pack_submit, name="pack_submit"),
    path("packs/<str:name>/paid/", views.pack_paid, name="pack_paid"),
    path("packs/<str:name>/download.<str:fmt>", views.pack_download, name="pack_download"),
    path("claims/", views.claims_list, name="claims"),
    path("claims/<str:claim_ref>/", views.claim_detail, name="claim"),
    path("claims/<str:claim_ref>/exclude/", views.claim_exclude, name="claim_exclude"),
    path("claims/<str:claim_ref>/withdraw/", views.claim_withdraw, name="claim_withdraw"),
    path("claims/<str:claim_ref>/verdict/", views.claim_verdict, name="claim_verdict"),
    path("rates/", views.rates, name="rates"),
    path("rates/<int:year>/edit/", views.rate_edit, name="rate_edit"),
    path("income/", views.income, name="income"),
]
