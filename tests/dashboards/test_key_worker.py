"""A key worker's dashboard: my families, tasks due, no contact for 14 days, close to a
result; only ever the key worker's own families."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dashboards.selectors.key_worker import key_worker_dashboard
from families.models import CaseFile
from tests.factories import (
    CaseFileFactory,
    CaseNoteFactory,
    FamilyResultFactory,
    HouseholdFactory,
    ResultsRunFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2014, 10, 15)


def family(ref: str, worker, status=CaseFile.Status.OPEN) -> CaseFile:
    return CaseFileFactory(
        household=HouseholdFactory(ref=ref),
        key_worker=worker,
        attached_on=date(2014, 9, 1),
        status=status,
    )


@pytest.fixture
def kims_families(key_worker, other_key_worker, coordinator):
    """H1 seen yesterday, a task overdue, one due in 7 days and one in 8, one the coordinator's;
    H2 never seen since 1 September; H3 closed with an overdue task; H4 paused, seen 14 days
    ago. Otto's H5 has a task given to Kim. H1 and H5 are 63 days into a job."""
    h1 = family("H1", key_worker)
    family("H2", key_worker)
    h3 = family("H3", key_worker, CaseFile.Status.CLOSED)
    h4 = family("H4", key_worker, CaseFile.Status.PAUSED)
    h5 = family("H5", other_key_worker)
    CaseNoteFactory(case_file=h1, occurred_at=datetime(2014, 10, 14, 11, tzinfo=UTC))
    CaseNoteFactory(case_file=h4, occurred_at=datetime(2014, 10, 1, 11, tzinfo=UTC))
    TaskFactory(case_file=h1, title="Overdue", due_on=date(2014, 10, 10))
    TaskFactory(case_file=h1, title="In a week", due_on=date(2014, 10, 22))
    TaskFactory(case_file=h1, title="In eight days", due_on=date(2014, 10, 23))
    TaskFactory(
        case_file=h1, title="Coordinator's", due_on=date(2014, 10, 10), assignee=coordinator
    )
    TaskFactory(case_file=h3, title="Closed case", due_on=date(2014, 10, 1))
    TaskFactory(case_file=h5, title="Not my family", due_on=date(2014, 10, 1), assignee=key_worker)
    run = ResultsRunFactory(as_of=date(2014, 10, 15))
    for case_file in (h1, h5):
        FamilyResultFactory(
            run=run,
            case_file=case_file,
            result="continuous_employment",
            state="not_achieved",
            details={"days_so_far": 63},
        )


def test_my_families_are_those_not_closed_with_days_since_contact(kims_families, key_worker):
    mine = key_worker_dashboard(user=key_worker, today=TODAY)
    assert {f.case_file.household.ref: f.days_since_contact for f in mine.families} == {
        "H1": 1,
        "H2": 44,
        "H4": 14,
    }


def test_days_without_contact_are_never_negative(key_worker):
    # A note written at a real moment after the service's (pinned) day.
    later = family("H9", key_worker)
    CaseNoteFactory(case_file=later, occurred_at=datetime(2014, 10, 20, 11, tzinfo=UTC))
    (mine,) = key_worker_dashboard(user=key_worker, today=TODAY).families
    assert (mine.last_contact, mine.days_since_contact) == (date(2014, 10, 20), 0)


def test_families_with_no_contact_for_14_days_longest_first(kims_families, key_worker):
    mine = key_worker_dashboard(user=key_worker, today=TODAY)
    assert [f.case_file.household.ref for f in mine.no_contact] == ["H2", "H4"]


def test_my_tasks_overdue_or_due_within_a_week_on_my_open_cases(kims_families, key_worker):
    mine = key_worker_dashboard(user=key_worker, today=TODAY)
    assert [task.title for task in mine.tasks] == ["Overdue", "In a week"]
    assert [task.title for task in mine.overdue_tasks] == ["Overdue"]


def test_only_my_families_close_to_a_result(kims_families, key_worker):
    mine = key_worker_dashboard(user=key_worker, today=TODAY)
    assert [(c.ref, c.what_is_left) for c in mine.close] == [("H1", "4 more weeks of employment")]
