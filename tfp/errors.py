"""The service's own error pages, in the GOV.UK style with the header and a way back.

Django's 400, 403 and 404 handlers already render ``400.html``, ``403.html`` and ``404.html``
with the request, so those need only templates. A 500 and a refused CSRF token need views.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseForbidden, HttpResponseServerError
from django.template import loader


def server_error(request):
    """Rendered without the request's context processors: whatever failed (the database, a
    template tag) must not fail again while the apology is drawn."""
    page = loader.get_template("500.html").render({"authority_name": settings.AUTHORITY_NAME})
    return HttpResponseServerError(page)


def csrf_failure(request, reason: str = ""):
    """A form sent without its token, or with a stale one: most often a page left open past
    the session's 30 minutes, or signed out in another tab."""
    page = loader.get_template("403_csrf.html").render({}, request)
    return HttpResponseForbidden(page)
