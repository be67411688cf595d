"""Reads of results that pages, exports and other apps share."""

from __future__ import annotations

from outcomes.models import ResultsRun


def current_run() -> ResultsRun | None:
    """The run the pages show: the successful run with the latest claim day (the latest
    finished among runs of that day). A failed run never replaces it."""
    return (
        ResultsRun.objects.filter(status=ResultsRun.Status.SUCCEEDED)
        .order_by("-as_of", "-finished_at", "-id")
        .first()
    )
