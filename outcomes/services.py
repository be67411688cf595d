"""Results runs: assess every attached family on a claim day and store the answers.

A run is all-or-nothing: its results and the first-achieved days are written in one
transaction, so a failed or interrupted run leaves the previous good run current while the
failure itself stays recorded on the run.
"""

from __future__ import annotations

import json
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record
from outcomes.models import ResultsRun, ResultState, ResultType
from outcomes.results import CURRENT_RULES, ResultsRules, evaluate
from tfp import clock


class ResultsRefused(Exception):
    pass


# Earliest claim day on which each result was found achieved, whichever order runs came in.
_FIRST_ACHIEVED = """
INSERT INTO outcomes_firstachieved (household_id, result, first_achieved_on, run_id)
SELECT household_id, result, %(as_of)s, run_id
FROM outcomes_familyresult
WHERE run_id = %(run)s AND state = 'achieved'
ON CONFLICT (household_id, result) DO UPDATE
SET first_achieved_on = EXCLUDED.first_achieved_on, run_id = EXCLUDED.run_id
WHERE outcomes_firstachieved.first_achieved_on > EXCLUDED.first_achieved_on
"""


def results_run(
    as_of: date,
    *,
    trigger: str = "command",
    started_by=None,
    rules: ResultsRules = CURRENT_RULES,
) -> ResultsRun:
    """Assess every family attached on or before ``as_of`` and store the run."""
    today = clock.today()
    if as_of > today:
        # Records dated up to a day still to come cannot be in yet: such a run would show
        # results nobody could check, and move every page's "as of" into the future.
        raise ResultsRefused(
            f"Results cannot be assessed as of {as_of:%-d %B %Y}: the day must be today or in "
            f"the past (today is {today:%-d %B %Y})."
        )
    # Called outside a transaction (as commands and tasks do), the run record commits on its
    # own, so a failure stays recorded while everything the run wrote is rolled back.
    run = ResultsRun.objects.create(
        as_of=as_of, rules_version=rules.version, trigger=trigger, started_by=started_by
    )
    try:
        with transaction.atomic():
            _store(run, rules)
            audit_record(
                action=AuditEntry.Action.RUN,
                user=started_by,
                obj=run,
                summary=f"Results assessed as of {as_of} for {run.families_assessed} families",
                details={"trigger": trigger, "rules_version": rules.version},
            )
    except BaseException as error:
        ResultsRun.objects.filter(pk=run.pk).update(
            status=ResultsRun.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000],
        )
        raise
    return run


_COPY_RESULTS = (
    "COPY outcomes_familyresult (run_id, household_id, case_file_id, result, state, reason, "
    "details) FROM STDIN"
)


def _store(run: ResultsRun, rules: ResultsRules) -> None:
    families = evaluate(run.as_of, rules=rules)
    # COPY rather than INSERT: a county's thousands of families give three rows each, nightly.
    with connection.cursor() as cursor, cursor.copy(_COPY_RESULTS) as copy:
        for family in families:
            for result, assessment in family.assessments.items():
                details = {
                    **assessment.details,
                    "measures": {
                        m.name: {"state": m.state, **m.figures} for m in assessment.measures
                    },
                }
                copy.write_row(
                    (
                        run.pk,
                        family.household_id,
                        family.case_file_id,
                        result.value,
                        assessment.state.value,
                        assessment.reason,
                        json.dumps(details),
                    )
                )
    with connection.cursor() as cursor:
        cursor.execute(_FIRST_ACHIEVED, {"as_of": run.as_of, "run": run.pk})

    def achieved(result: ResultType) -> int:
        return sum(1 for family in families if family.state(result) == ResultState.ACHIEVED)

    run.families_assessed = len(families)
    run.crime_asb_education_achieved = achieved(ResultType.CRIME_ASB_EDUCATION)
    run.progress_to_work_achieved = achieved(ResultType.PROGRESS_TO_WORK)
    run.continuous_employment_achieved = achieved(ResultType.CONTINUOUS_EMPLOYMENT)
    run.status = ResultsRun.Status.SUCCEEDED
    run.finished_at = timezone.now()
    run.save()
