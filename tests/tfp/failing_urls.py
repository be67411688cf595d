"""The service's URLs plus one view that fails, for the 500 page's test: nothing in the
service fails on purpose, and the page must be seen as a visitor would meet it."""

from django.urls import path

from tfp.urls import handler500, urlpatterns


def failing_view(request):
    raise RuntimeError("the database went away")


urlpatterns = [*urlpatterns, path("fails/", failing_view)]
handler500 = handler500
