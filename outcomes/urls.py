from django.urls import path

from outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("", views.close, name="close"),
    path("families/<str:ref>/", views.family, name="family"),
]
