from __future__ import annotations

from django.conf import settings

from accounts.navigation import navigation_for
from tfp import clock


def navigation(request):
    """The service navigation for the signed-in user's roles, and the authority's name."""
    return {
        "authority_name": settings.AUTHORITY_NAME,
        "service_navigation": navigation_for(request),
        # A pinned service day is a training or demo environment: every page says so.
        "service_date": clock.today() if clock.is_pinned() else None,
    }
