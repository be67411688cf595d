from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.browser import assert_accessible
from tests.factories import (
    AsbEventFactory,
    BenefitSpellFactory,
    CaseFileFactory,
    EmploymentSpellFactory,
    HouseholdFactory,
    PersonFactory,
)


def asb_family(ref: str, attached_on: date = date(2013, 9, 2)):
    """Five ASB events before attachment and none since: crime/ASB/education is achieved six
    months after attachment."""
    case_file = CaseFileFactory(
        household=HouseholdFactory(ref=ref),
        attached_on=attached_on,
        baseline_education=False,
        baseline_work=False,
        baseline_asb_events=5,
        baseline_youth_offences=0,
    )
    PersonFactory(household=case_file.household, date_of_birth=date(1980, 1, 1))
    AsbEventFactory.create_batch(
        5, household=case_file.household, event_date=attached_on - timedelta(days=30)
    )
    return case_file


def working_family(ref: str, job_start: date, *, asb_events: int = 0):
    """An adult on JSA at attachment (2013-09-02) who starts work on ``job_start``: continuous
    employment is achieved on its 91st day."""
    case_file = CaseFileFactory(
        household=HouseholdFactory(ref=ref),
        attached_on=date(2013, 9, 2),
        baseline_education=False,
        baseline_work=True,
        baseline_asb_events=asb_events,
        baseline_youth_offences=0,
    )
    parent = PersonFactory(household=case_file.household, date_of_birth=date(1980, 1, 1))
    BenefitSpellFactory(
        person=parent, start_date=date(2012, 1, 10), end_date=job_start - timedelta(days=1)
    )
    EmploymentSpellFactory(person=parent, start_date=job_start)
    return case_file


@pytest.fixture
def two_families(db):
    """H10001 achieves crime/ASB/education (£1,500) and H10002 continuous employment
    (£1,600) by the 2014-10 window."""
    return asb_family("H10001"), working_family("H10002", date(2014, 6, 1))


SPOT_CHECK_QUESTIONS = (
    "Was the family eligible when it was attached?",
    "Is there evidence of whole-family working?",
    "Is the result evidenced?",
)


def record_a_passing_verdict(page) -> None:
    """On a sampled claim's page: answer yes to each spot-check question (the form checked
    with axe) and record the verdict."""
    for question in SPOT_CHECK_QUESTIONS:
        page.get_by_role("group", name=question).get_by_label("Yes").check()
    assert_accessible(page)
    page.get_by_role("button", name="Record the verdict").click()
