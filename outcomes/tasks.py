"""Celery adapters for outcomes: take days and ids, call one service, nothing more."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from outcomes.services import results_run


@shared_task(acks_late=True, soft_time_limit=30 * 60, time_limit=35 * 60)
def nightly_results(as_of: str) -> int:
    """Queued by the nightly eligibility run once it has committed, for the same day."""
    return results_run(date.fromisoformat(as_of), trigger="nightly").pk
