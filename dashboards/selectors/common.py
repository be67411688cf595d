"""What the dashboard selectors share: financial years and London days in SQL, raw rows, and
the families behind a figure as a query set the access rules can narrow."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from families.models import Household

_NAMED = re.compile(r"%\((\w+)\)s")


def fy_sql(column: str) -> str:
    """SQL for the financial year (1 April-31 March, named by its first year) of a date."""
    return f"(extract(year FROM {column})::int - (extract(month FROM {column}) < 4)::int)"


def london_day_sql(column: str) -> str:
    """SQL for the day a timestamp falls on where the authority is."""
    return f"({column} AT TIME ZONE %(tz)s)::date"


def _params(params: dict | None) -> dict:
    return {"tz": settings.TIME_ZONE, **(params or {})}


def fetch(sql: str, params: dict | None = None) -> list[tuple]:
    """Run one statement; ``%(tz)s`` is always the authority's time zone."""
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(params))
        return cursor.fetchall()


def households_in(sql: str, params: dict | None = None) -> QuerySet[Household]:
    """The households whose ids ``sql`` selects, as a query set (still one query).

    The statements are written with named parameters for reading; a subquery inside the ORM's
    SQL takes positional ones, so they are turned into those here.
    """
    values = _params(params)
    names = _NAMED.findall(sql)
    return Household.objects.filter(
        pk__in=RawSQL(_NAMED.sub("%s", sql), [values[name] for name in names])
    )
