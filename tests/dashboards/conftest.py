"""The families the dashboard tests count by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from families.models import CohortDecision
from tests.factories import (
    CaseFileFactory,
    ClaimFactory,
    CohortDecisionFactory,
    CurrentEligibilityFactory,
    FirstAchievedFactory,
    HouseholdFactory,
)


def decided(household, at: datetime, decision=CohortDecision.Decision.CONFIRMED):
    made = CohortDecisionFactory(household=household, decision=decision)
    CohortDecision.objects.filter(pk=made.pk).update(decided_at=at)
    return made


@pytest.fixture
def programme(key_worker, other_key_worker):
    """Eight households on their way through the programme (financial years by first year):

    | family | identified | confirmed | attached | any result | claimed |
    |--------|------------|-----------|----------|------------|---------|
    | H00001 | 2012 (eligible since 31 Mar 2013) | | | | |
    | H00002 | 2013 (eligible since 1 Apr 2013) | 2013 | | | |
    | H00003 | 2012 | 2012 | 2012 (15 Mar 2013) | 2013 | 2014 |
    | H00004 | 2013 | 2013 | 2013 (2 Sep 2013) | 2013 (PTW Feb 2014) | |
    | H00005 | not proceeding: not in the programme |
    | H00006 | meets a criterion, not eligible: not in the programme |
    | H00007 | 2014 | 2014 | 2014 (1 May 2014) | 2014 | withdrawn only |
    | H00008 | 2013 | 2013 (decided 31 Mar 2013 23:30 UTC, 1 Apr in London) | | | |
    """
    h1 = CurrentEligibilityFactory(
        household=HouseholdFactory(ref="H00001"), eligible_since=date(2013, 3, 31)
    ).household
    h2 = CurrentEligibilityFactory(
        household=HouseholdFactory(ref="H00002"), eligible_since=date(2013, 4, 1)
    ).household
    decided(h2, datetime(2013, 6, 1, 10, tzinfo=UTC))

    h3 = CaseFileFactory(
        household=HouseholdFactory(ref="H00003"),
        key_worker=key_worker,
        attached_on=date(2013, 3, 15),
    )
    decided(h3.household, datetime.now(UTC))
    FirstAchievedFactory(household=h3.household, first_achieved_on=date(2013, 10, 31))
    ClaimFactory(case_file=h3, financial_year=2012)

    h4 = CaseFileFactory(
        household=HouseholdFactory(ref="H00004"),
        key_worker=other_key_worker,
        attached_on=date(2013, 9, 2),
    )
    CurrentEligibilityFactory(household=h4.household, eligible_since=date(2014, 11, 15))
    FirstAchievedFactory(
        household=h4.household, result="crime_asb_education", first_achieved_on=date(2014, 4, 30)
    )
    FirstAchievedFactory(
        household=h4.household, result="progress_to_work", first_achieved_on=date(2014, 2, 28)
    )

    decided(HouseholdFactory(ref="H00005"), datetime(2013, 6, 1, tzinfo=UTC), "not_proceeding")
    CurrentEligibilityFactory(
        household=HouseholdFactory(ref="H00006"), crime_asb=True, education=False, work=False
    )

    h7 = CaseFileFactory(
        household=HouseholdFactory(ref="H00007"),
        key_worker=key_worker,
        attached_on=date(2014, 5, 1),
    )
    FirstAchievedFactory(household=h7.household, first_achieved_on=date(2014, 11, 30))
    ClaimFactory(case_file=h7, status="withdrawn")

    decided(HouseholdFactory(ref="H00008"), datetime(2013, 3, 31, 23, 30, tzinfo=UTC))
    return {"h1": h1, "h3": h3, "h4": h4, "h7": h7}
