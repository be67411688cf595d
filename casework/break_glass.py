"""Break glass: a key worker's emergency, read-only sight of a case file not on their caseload.

The sight is the one ``families.access`` gives every family page: ``casework`` registers the
households of a key worker's running uses for ``Sight.CASE_FILE`` (reading), never for
recording, so every form and POST of the case file stays refused. A use runs out at its
``expires_at`` on the server: the provider compares it with the moment of each request, so
a page left open shows nothing more once it has passed. Sensitive notes stay with the
family's key worker and coordinators (``families.access.sees_sensitive_notes``).

Every use waits in the coordinators' review queue; one not reviewed within
``BREAK_GLASS_REVIEW_WORKING_DAYS`` working days (Monday to Friday) of its start is overdue
and flagged on the coordinators' dashboard.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from casework.models import BreakGlass
from families.access import is_coordinator
from families.models import CaseFile, Household
from tfp import clock


def households_under_break_glass(user) -> QuerySet[Household]:
    """The households ``user`` sees now through a running use (the sight provider)."""
    return Household.objects.filter(
        case_file__break_glass__user=user, case_file__break_glass__expires_at__gt=timezone.now()
    )


def running_use(user, case_file: CaseFile) -> BreakGlass | None:
    """The use through which ``user`` sees ``case_file`` now, if that is how they see it: for
    the red banner on every page of it."""
    if is_coordinator(user) or case_file.key_worker_id == user.pk:
        return None
    return (
        BreakGlass.objects.filter(user=user, case_file=case_file, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )


def working_days_before(day: date, days: int) -> date:
    """The working day (Monday to Friday) ``days`` working days before ``day``."""
    while days:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def review_overdue_before() -> datetime:
    """Uses started before this moment and still not reviewed are overdue: more than the
    allowed working days have passed since the day they started."""
    # Uses carry the real moment they started (timezone.now), so the days are counted from
    # the real date, not the service's pinned day.
    cutoff = working_days_before(clock.calendar_today(), settings.BREAK_GLASS_REVIEW_WORKING_DAYS)
    return timezone.make_aware(datetime.combine(cutoff, time.min))


def awaiting_review() -> QuerySet[BreakGlass]:
    return BreakGlass.objects.filter(verdict="").select_related(
        "user", "case_file__household", "case_file__key_worker"
    )


def overdue_count() -> int:
    return BreakGlass.objects.filter(verdict="", started_at__lt=review_overdue_before()).count()
