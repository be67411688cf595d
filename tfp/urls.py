from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("families/", include("families.urls")),
    # Case files keep their addresses under /families/: casework has its own URL names.
    path("families/", include("casework.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("claims/", include("claims.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("audit/", include("audit.urls")),
    path("privacy/", include("privacy.urls")),
]

handler500 = "tfp.errors.server_error"
