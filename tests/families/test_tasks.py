"""The Celery adapters run the same services as the commands."""

from __future__ import annotations

from datetime import date

import time_machine

from families.models import EligibilityRun
from families.tasks import nightly_recalculation, recalculate_eligibility_task


@time_machine.travel("2014-11-15 02:00 +0000", tick=False)
def test_the_nightly_task_recalculates_as_of_today_in_london(db):
    run_id = nightly_recalculation.delay().get()
    run = EligibilityRun.objects.get(pk=run_id)
    assert (run.as_of, run.trigger, run.status) == (date(2014, 11, 15), "nightly", "succeeded")


def test_the_recalculate_now_button_task_records_who_started_it(coordinator):
    run_id = recalculate_eligibility_task.delay("2013-08-31", coordinator.pk).get()
    run = EligibilityRun.objects.get(pk=run_id)
    assert (run.as_of, run.started_by, run.trigger) == (date(2013, 8, 31), coordinator, "button")
