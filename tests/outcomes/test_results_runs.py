"""Results runs: stored per run, first-achieved days, and a failed run changes nothing."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEntry
from outcomes.models import FamilyResult, FirstAchieved, ResultsRun, ResultType
from outcomes.selectors import current_run
from outcomes.services import ResultsRefused, results_run
from outcomes.tasks import nightly_results
from tests.factories import CaseFileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def family():
    # ASB 5 before attachment: achieved once six months have passed with no new events.
    return CaseFileFactory(
        attached_on=date(2013, 9, 2),
        baseline_education=False,
        baseline_work=False,
        baseline_asb_events=5,
        baseline_youth_offences=0,
    )


def test_a_run_stores_every_result_of_every_attached_family_with_its_reason(family):
    run = results_run(date(2014, 10, 15), trigger="command")
    assert run.status == ResultsRun.Status.SUCCEEDED
    assert run.families_assessed == 1
    assert run.crime_asb_education_achieved == 1
    stored = {r.result: r for r in FamilyResult.objects.filter(run=run)}
    assert set(stored) == set(ResultType.values)
    assert stored[ResultType.CRIME_ASB_EDUCATION].state == "achieved"
    assert "ASB: 0 events in the last 6 months against 5" in (
        stored[ResultType.CRIME_ASB_EDUCATION].reason
    )
    assert AuditEntry.objects.filter(action="run", object_id=str(run.pk)).exists()


def test_the_day_a_result_was_first_achieved_is_kept_whatever_order_runs_come_in(family):
    results_run(date(2014, 10, 15))
    results_run(date(2014, 3, 2))
    results_run(date(2014, 3, 1))  # not yet six months: not achieved, changes nothing
    first = FirstAchieved.objects.get(household=family.household)
    assert first.result == ResultType.CRIME_ASB_EDUCATION
    assert first.first_achieved_on == date(2014, 3, 2)


def test_a_failed_run_is_recorded_and_leaves_the_previous_run_current(family):
    good = results_run(date(2014, 10, 15))
    with (
        mock.patch("outcomes.services.evaluate", side_effect=RuntimeError("database went away")),
        pytest.raises(RuntimeError),
    ):
        results_run(date(2014, 10, 16))
    failed = ResultsRun.objects.get(as_of=date(2014, 10, 16))
    assert failed.status == ResultsRun.Status.FAILED
    assert "database went away" in failed.error
    assert not FamilyResult.objects.filter(run=failed).exists()
    assert current_run() == good


def test_the_nightly_task_runs_the_service_for_the_day_it_is_given(family):
    run = ResultsRun.objects.get(pk=nightly_results.delay("2014-10-15").get())
    assert (run.as_of, run.trigger) == (date(2014, 10, 15), "nightly")


def test_a_run_for_a_day_after_today_is_refused_everywhere(family, settings, tmp_path):
    settings.SERVICE_DATE = date(2014, 10, 15)
    assert results_run(date(2014, 10, 15)).as_of == date(2014, 10, 15)
    message = "Results cannot be assessed as of 16 October 2014: the day must be today or in"
    with pytest.raises(ResultsRefused, match=message):
        results_run(date(2014, 10, 16))
    with pytest.raises(ResultsRefused, match=message):
        nightly_results.delay("2014-10-16").get()
    with pytest.raises(CommandError, match=message):
        call_command("detect_results", "--as-of", "2014-10-16", "--out", str(tmp_path / "r.csv"))
    assert not ResultsRun.objects.filter(as_of=date(2014, 10, 16)).exists()
