"""Celery adapters for privacy: take days, call one service, nothing more."""

from __future__ import annotations

from celery import shared_task

from privacy.retention import retention_apply
from tfp import clock


@shared_task(acks_late=True, soft_time_limit=30 * 60, time_limit=35 * 60)
def nightly_retention() -> int:
    """03:30 Europe/London: anonymise the closed cases whose retention period has ended."""
    return retention_apply(as_of=clock.today(), trigger="nightly").pk
