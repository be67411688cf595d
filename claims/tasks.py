"""Celery adapters for claims: take ids, call one service, nothing more."""

from __future__ import annotations

from celery import shared_task

from claims.models import PackBuild
from claims.services import pack_build_run


@shared_task(acks_late=True, soft_time_limit=20 * 60, time_limit=25 * 60)
def build_pack(build_id: int) -> int:
    """Build the window's pack for a request made on the windows page. A retried task finds
    the pack built and returns it: building a window again gives the same pack."""
    return pack_build_run(build=PackBuild.objects.select_related("window").get(pk=build_id)).pk
