"""Data freshness: the last import of each kind, the last runs and their state."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dashboards.selectors.freshness import eligibility_runs, imports_by_kind, results_runs
from families.models import EligibilityRun, ImportBatch
from outcomes.models import ResultsRun
from tests.factories import EligibilityRunFactory, ImportBatchFactory, ResultsRunFactory

pytestmark = pytest.mark.django_db


def batch(kind: str, status: str, started: datetime, finished: datetime | None = None):
    made = ImportBatchFactory(kind=kind, status=status, finished_at=finished)
    ImportBatch.objects.filter(pk=made.pk).update(started_at=started)
    return made


def started(run, at: datetime):
    type(run).objects.filter(pk=run.pk).update(started_at=at)
    return run


def test_each_kind_shows_its_last_successful_import_and_a_failed_attempt_after_it(db):
    batch(
        "people",
        "succeeded",
        datetime(2014, 11, 1, 9, tzinfo=UTC),
        datetime(2014, 11, 1, 9, 5, tzinfo=UTC),
    )
    rejected = batch("people", "rejected", datetime(2014, 11, 10, 9, tzinfo=UTC))
    batch("attendance", "running", datetime(2014, 11, 12, 9, tzinfo=UTC))

    kinds = {k.kind: k for k in imports_by_kind(today=date(2014, 11, 15))}

    people = kinds["people"]
    assert people.latest == rejected and people.latest_failed
    assert people.latest.succeeded_at == datetime(2014, 11, 1, 9, 5, tzinfo=UTC)
    assert people.days_ago == 14
    attendance = kinds["attendance"]
    assert (attendance.latest.status, attendance.latest_failed) == ("running", False)
    assert (attendance.latest.succeeded_at, attendance.days_ago) == (None, None)
    assert kinds["benefits"].latest is None
    assert len(kinds) == 10


def test_the_latest_eligibility_run_failed_while_an_earlier_one_is_shown(db):
    good = started(EligibilityRunFactory(), datetime(2014, 11, 14, 2, tzinfo=UTC))
    failed = started(
        EligibilityRunFactory(status=EligibilityRun.Status.FAILED, error="boom"),
        datetime(2014, 11, 15, 2, tzinfo=UTC),
    )
    runs = eligibility_runs()
    assert (runs.latest, runs.current) == (failed, good)


def test_the_current_results_run_is_the_successful_one_with_the_latest_claim_day(db):
    october = started(
        ResultsRunFactory(as_of=date(2014, 10, 31)), datetime(2014, 11, 1, tzinfo=UTC)
    )
    september = started(
        ResultsRunFactory(as_of=date(2014, 9, 30)), datetime(2014, 11, 2, tzinfo=UTC)
    )
    runs = results_runs()
    assert (runs.latest, runs.current) == (september, october)


def test_no_runs_yet(db):
    assert (eligibility_runs().latest, eligibility_runs().current) == (None, None)
    assert results_runs().current is None


def test_a_running_results_run_is_the_latest_but_not_the_current(db):
    done = ResultsRunFactory()
    running = started(
        ResultsRunFactory(status=ResultsRun.Status.RUNNING, finished_at=None),
        datetime(2030, 1, 1, tzinfo=UTC),
    )
    runs = results_runs()
    assert (runs.latest, runs.current) == (running, done)
