from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from families.models import CaseFile, Person
from tests.factories import ClosureRequestFactory

LONDON = ZoneInfo("Europe/London")
# With the six-year retention period, cases whose closure was approved before 1 March 2015
# are due on this day.
AS_OF = date(2021, 3, 1)


def close(case_file: CaseFile, on: date) -> CaseFile:
    """Close ``case_file`` with a closure a coordinator approved on ``on``."""
    ClosureRequestFactory(
        case_file=case_file, decided_at=datetime(on.year, on.month, on.day, 10, tzinfo=LONDON)
    )
    CaseFile.objects.filter(pk=case_file.pk).update(status=CaseFile.Status.CLOSED)
    case_file.refresh_from_db()
    return case_file


@pytest.fixture
def members(family) -> dict[str, Person]:
    """Family H10001's members by given name: Mia, Sam, Ava and Leo."""
    return {p.given_name: p for p in Person.objects.filter(memberships__household=family)}
