"""Celery adapters for families: take ids and days, call one service, nothing more."""

from __future__ import annotations

from datetime import date

from celery import current_app, shared_task
from django.contrib.auth import get_user_model
from django.db import transaction

from families.identification import RunInProgress, recalculate_all
from families.imports import import_upload_run
from tfp import clock

# Results detection lives in outcomes, which families must not import: it is queued by name.
RESULTS_TASK = "outcomes.tasks.nightly_results"


class ResultsTaskMissing(RuntimeError):
    pass


@shared_task(acks_late=True, soft_time_limit=30 * 60, time_limit=35 * 60)
def nightly_recalculation() -> int | None:
    """02:00 Europe/London: today's eligibility, then the results that depend on it.

    A worker without the results task is refused before anything runs: eligibility without
    results would leave claims assessed on yesterday's picture with nothing to say so.
    """
    results = current_app.tasks.get(RESULTS_TASK)
    if results is None:
        raise ResultsTaskMissing(
            f"{RESULTS_TASK} is not registered with this worker, so the nightly run would "
            "skip results; is outcomes in INSTALLED_APPS?"
        )
    try:
        run = recalculate_all(as_of=clock.today(), trigger="nightly")
    except RunInProgress:
        return None
    transaction.on_commit(lambda: results.delay(run.as_of.isoformat()))
    return run.pk


@shared_task(acks_late=True, soft_time_limit=30 * 60, time_limit=35 * 60)
def recalculate_eligibility_task(
    as_of: str | None = None, user_id: int | None = None
) -> int | None:
    """The "Recalculate now" button. A run refused because another is going returns None."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    day = date.fromisoformat(as_of) if as_of else clock.today()
    try:
        return recalculate_all(as_of=day, trigger="button", started_by=user).pk
    except RunInProgress:
        return None


@shared_task(acks_late=True, soft_time_limit=60 * 60, time_limit=65 * 60)
def import_file(batch_id: int) -> str:
    """An uploaded partner extract: import it, then delete the upload. Returns its status."""
    return import_upload_run(batch_id=batch_id).status
