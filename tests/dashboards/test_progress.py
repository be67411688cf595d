"""The funnel and progress against commitments and targets, against hand counts
(``tests/dashboards/conftest.py::programme`` tabulates the families)."""

from __future__ import annotations

from datetime import date

import pytest

from dashboards.models import Targets
from dashboards.selectors.progress import funnel, funnel_households, progress
from tests.factories import CaseFileFactory, CommitmentFactory

pytestmark = pytest.mark.django_db


def refs(households) -> set[str]:
    return set(households.values_list("ref", flat=True))


def test_each_family_counts_in_the_financial_year_it_reached_each_stage(programme):
    found = funnel()
    by_year = {row.financial_year: row.cells for row in found.years}
    # identified, confirmed, attached, any result, claimed
    assert by_year == {
        2012: [2, 1, 1, 0, 0],
        2013: [3, 3, 1, 2, 0],
        2014: [1, 1, 1, 1, 1],
    }
    assert found.total.cells == [6, 5, 3, 3, 1]


def test_the_31st_of_march_closes_a_financial_year_on_the_london_calendar(programme):
    identified_2012 = refs(funnel_households(stage="identified", year=2012))
    identified_2013 = refs(funnel_households(stage="identified", year=2013))
    assert {"H00001", "H00003"} == identified_2012
    # Eligible from 1 April, and confirmed at 00:30 on 1 April British Summer Time.
    assert {"H00002", "H00004", "H00008"} == identified_2013


def test_an_attached_family_was_identified_and_confirmed_by_its_attachment(programme):
    # H00003's decision was recorded long after it was attached; H00004 has none and its
    # current spell of eligibility began after attachment: both count from attachment.
    assert "H00003" in refs(funnel_households(stage="confirmed", year=2012))
    assert "H00004" in refs(funnel_households(stage="confirmed", year=2013))


def test_a_family_with_a_result_counts_once_on_its_first(programme):
    assert refs(funnel_households(stage="any_result", year=2013)) == {"H00003", "H00004"}
    assert refs(funnel_households(stage="any_result", year=None)) == {
        "H00003",
        "H00004",
        "H00007",
    }


def test_only_a_live_claim_makes_a_family_claimed(programme):
    assert refs(funnel_households(stage="claimed", year=None)) == {"H00003"}


def test_families_not_proceeding_or_not_eligible_are_not_in_the_funnel(programme):
    everyone = set()
    for stage in ("identified", "confirmed", "attached", "any_result", "claimed"):
        everyone |= refs(funnel_households(stage=stage, year=None))
    assert not everyone & {"H00005", "H00006"}


def attach(count: int, on: date) -> None:
    for _ in range(count):
        CaseFileFactory(attached_on=on)


@pytest.mark.parametrize(
    ("started", "funding"), [(3, "full"), (2, "half"), (1, "none"), (0, "none")]
)
def test_the_year_two_test_compares_year_one_starts_with_its_commitment(started, funding, db):
    CommitmentFactory(financial_year=2012, families=4)
    CommitmentFactory(financial_year=2013, families=6)
    attach(started, date(2013, 3, 31))
    attach(2, date(2013, 4, 1))  # year two: not counted for year one

    found = progress(funnel=funnel(), targets=Targets.current())

    assert found.year_one.label == "2012/13"
    assert (found.year_two.committed, found.year_two.started) == (4, started)
    assert found.year_two.funding == funding
    assert [(y.label, y.committed, y.started) for y in found.years] == [
        ("2012/13", 4, started),
        ("2013/14", 6, 2),
    ]


def test_the_cohort_target_counts_starts_to_the_end_of_its_year_against_the_commitments(db):
    CommitmentFactory(financial_year=2012, families=2)
    CommitmentFactory(financial_year=2013, families=3)
    attach(1, date(2013, 3, 1))
    attach(1, date(2014, 3, 31))
    attach(1, date(2014, 4, 1))  # after 31 March 2014

    cohort = progress(funnel=funnel(), targets=Targets.current()).cohort

    assert (cohort.size, cohort.from_commitments, cohort.percent) == (5, True, 85)
    assert cohort.deadline == date(2014, 3, 31)
    # 85% of 5 is 4.25: 5 families are needed, 2 have started.
    assert (cohort.started, cohort.needed, cohort.still_needed, cohort.met) == (2, 5, 3, False)


def test_a_coordinators_cohort_size_and_share_replace_the_defaults(db):
    CommitmentFactory(financial_year=2012, families=150)
    attach(3, date(2013, 3, 1))
    targets = Targets.objects.create(
        cohort_size=4, cohort_started_percent=75, cohort_started_by=2012
    )

    cohort = progress(funnel=funnel(), targets=targets).cohort

    assert (cohort.size, cohort.from_commitments) == (4, False)
    assert (cohort.started, cohort.needed, cohort.met) == (3, 3, True)
