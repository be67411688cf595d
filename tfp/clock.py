"""The service's day: the one place tfp reads the calendar.

Every default date, nightly run, "days since" figure and refusal of a future date asks
``today()``. ``SERVICE_DATE`` pins it for demo and training environments, so a demo set in
the programme's years (2012–2015) behaves as it did then; unset, it is the real date in the
service's time zone (Europe/London). Timestamps of when something happened (``timezone.now``)
stay real: they record the moment, not the programme's calendar.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone


def today() -> date:
    """Today for the service: ``SERVICE_DATE`` when set, else the real date in Europe/London."""
    pinned: date | None = settings.SERVICE_DATE
    return pinned if pinned is not None else calendar_today()


def calendar_today() -> date:
    """The real date in Europe/London, whatever ``SERVICE_DATE`` says: for what is measured
    against real timestamps (the audit log's weeks, break-glass reviews), which a pinned
    training day would put years apart."""
    return timezone.localdate()


def future_date_error(day: date, name: str) -> str:
    """The GOV.UK words refusing ``day`` for something that has already happened, named
    ``name`` ("Date consent was given must be today or in the past"); blank for a day that has
    come."""
    return f"{name} must be today or in the past" if day > today() else ""


def is_pinned() -> bool:
    return settings.SERVICE_DATE is not None
