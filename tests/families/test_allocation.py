"""Reallocation: a family passes to another key worker, the history of allocations is kept and
access moves with it."""

from __future__ import annotations

from datetime import date

import pytest

from families.access import households_visible_to
from families.casefiles import CaseFileRefused, case_file_reallocate
from families.models import Allocation


def test_reallocation_keeps_the_history_and_moves_access(
    case_file, key_worker, other_key_worker, coordinator
):
    case_file_reallocate(
        case_file=case_file, key_worker=other_key_worker, on=date(2014, 2, 3), by=coordinator
    )
    history = list(Allocation.objects.filter(case_file=case_file).order_by("allocated_on"))
    assert [(a.key_worker, a.allocated_on, a.ended_on) for a in history] == [
        (key_worker, date(2013, 9, 2), date(2014, 2, 3)),
        (other_key_worker, date(2014, 2, 3), None),
    ]
    assert list(households_visible_to(other_key_worker)) == [case_file.household]
    assert not households_visible_to(key_worker).exists()


def test_only_a_coordinator_reallocates(case_file, key_worker, other_key_worker):
    with pytest.raises(CaseFileRefused, match="coordinator"):
        case_file_reallocate(
            case_file=case_file, key_worker=other_key_worker, on=date(2014, 2, 3), by=key_worker
        )


def test_reallocation_cannot_start_before_the_current_allocation(
    case_file, other_key_worker, coordinator
):
    with pytest.raises(CaseFileRefused, match="before the current one"):
        case_file_reallocate(
            case_file=case_file, key_worker=other_key_worker, on=date(2013, 8, 1), by=coordinator
        )
