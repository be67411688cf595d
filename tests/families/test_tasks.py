"""The Celery adapters run the same services as the commands."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from celery import current_app

from families.models import EligibilityRun
from families.tasks import (
    RESULTS_TASK,
    ResultsTaskMissing,
    nightly_recalculation,
    recalculate_eligibility_task,
)
from outcomes.models import ResultsRun


@pytest.fixture
def worker_tasks():
    """Every app's tasks registered, as a worker has them: Celery imports the tasks modules at
    a worker's start-up (``autodiscover_tasks``), not in a web or test process."""
    current_app.loader.import_default_modules()


@time_machine.travel("2014-11-15 02:00 +0000", tick=False)
def test_the_nightly_task_recalculates_as_of_today_in_london(db, worker_tasks):
    run_id = nightly_recalculation.delay().get()
    run = EligibilityRun.objects.get(pk=run_id)
    assert (run.as_of, run.trigger, run.status) == (date(2014, 11, 15), "nightly", "succeeded")


@time_machine.travel("2014-11-15 02:00 +0000", tick=False)
def test_the_nightly_chain_queues_results_for_the_same_day_once_eligibility_commits(
    db, worker_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        nightly_recalculation.delay()

    assert len(queued) == 1
    results = ResultsRun.objects.get()
    assert (results.as_of, results.trigger, results.status) == (
        date(2014, 11, 15),
        "nightly",
        "succeeded",
    )


def test_a_worker_without_the_results_task_refuses_the_nightly_run(db, worker_tasks, monkeypatch):
    # As a worker started without outcomes would have it.
    monkeypatch.delitem(current_app.tasks, RESULTS_TASK)

    with pytest.raises(ResultsTaskMissing, match="outcomes.tasks.nightly_results"):
        nightly_recalculation.delay()

    assert not EligibilityRun.objects.exists()


def test_the_recalculate_now_button_task_records_who_started_it(coordinator):
    run_id = recalculate_eligibility_task.delay("2013-08-31", coordinator.pk).get()
    run = EligibilityRun.objects.get(pk=run_id)
    assert (run.as_of, run.started_by, run.trigger) == (date(2013, 8, 31), coordinator, "button")
