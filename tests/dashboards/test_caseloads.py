"""Key-worker caseloads for coordinators, counted by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dashboards.selectors.caseloads import caseload_households, caseloads
from families.models import CaseFile
from tests.factories import (
    CaseFileFactory,
    CaseNoteFactory,
    HouseholdFactory,
    TaskFactory,
    UserFactory,
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


def seen(case_file: CaseFile, at: datetime) -> None:
    CaseNoteFactory(case_file=case_file, occurred_at=at)


@pytest.fixture
def workers(key_worker, other_key_worker):
    """Kim: H1 seen 5 days ago, one task overdue; H2 never seen since attachment on 1 September,
    two tasks overdue; H3 paused, seen exactly 14 days ago; H4 closed, with an overdue task.
    Otto: H5 awaiting closure, seen at 00:30 on 2 October London time (13 days).
    Una: a key worker with no families. Rex: no longer a key worker, still holding H6."""
    h1, h2 = family("H1", key_worker), family("H2", key_worker)
    h3 = family("H3", key_worker, CaseFile.Status.PAUSED)
    h4 = family("H4", key_worker, CaseFile.Status.CLOSED)
    seen(h1, datetime(2014, 10, 10, 9, tzinfo=UTC))
    seen(h3, datetime(2014, 10, 1, 15, tzinfo=UTC))
    TaskFactory(case_file=h1, due_on=date(2014, 10, 14))
    TaskFactory(case_file=h1, due_on=date(2014, 10, 15))
    TaskFactory(case_file=h1, due_on=date(2014, 10, 1), done_on=date(2014, 10, 2))
    TaskFactory.create_batch(2, case_file=h2, due_on=date(2014, 9, 30))
    TaskFactory(case_file=h4, due_on=date(2014, 9, 30))

    h5 = family("H5", other_key_worker, CaseFile.Status.CLOSURE_REQUESTED)
    seen(h5, datetime(2014, 10, 1, 23, 30, tzinfo=UTC))

    UserFactory(username="una", first_name="Una", role="key_worker")
    rex = UserFactory(username="rex", first_name="Rex")
    family("H6", rex)
    return {"h5": h5}


def test_each_key_workers_caseload_is_counted_from_their_active_families(workers):
    found = {c.username: c for c in caseloads(today=TODAY, limit=2)}

    kim = found["kim"]
    assert (kim.active, kim.paused, kim.closure_requested) == (3, 1, 0)
    assert (kim.overdue_tasks, kim.families_with_overdue_tasks) == (3, 2)
    assert kim.no_contact == 2
    assert (kim.oldest_contact, kim.longest_without_contact) == (date(2014, 9, 1), 44)

    otto = found["otto"]
    assert (otto.active, otto.closure_requested, otto.overdue_tasks) == (1, 1, 0)
    assert (otto.no_contact, otto.longest_without_contact) == (0, 13)

    assert (found["una"].active, found["una"].longest_without_contact) == (0, None)
    assert found["rex"].active == 1


def test_the_longest_without_contact_is_never_negative(workers):
    # Otto's only family was seen at a real moment after the service's (pinned) day.
    seen(workers["h5"], datetime(2014, 10, 20, 9, tzinfo=UTC))
    otto = next(c for c in caseloads(today=TODAY, limit=2) if c.username == "otto")
    assert otto.longest_without_contact == 0


def test_a_key_worker_over_the_limit_is_flagged(workers):
    flagged = {c.username for c in caseloads(today=TODAY, limit=2) if c.overloaded}
    assert flagged == {"kim"}
    assert not [c for c in caseloads(today=TODAY, limit=3) if c.overloaded]


def test_the_families_behind_each_caseload_figure(workers, key_worker):
    def refs(measure: str, worker=key_worker) -> set[str]:
        found = caseload_households(
            key_worker_id=worker.pk if worker else None, measure=measure, today=TODAY
        )
        return set(found.values_list("ref", flat=True))

    assert refs("active") == {"H1", "H2", "H3"}
    assert refs("overdue") == {"H1", "H2"}
    assert refs("no_contact") == {"H2", "H3"}
    assert refs("active", worker=None) == {"H1", "H2", "H3", "H5", "H6"}
    # H6 was never contacted since attachment on 1 September.
    assert refs("no_contact", worker=None) == {"H2", "H3", "H6"}
