"""Results achieved by type over time, counted by hand."""

from __future__ import annotations

from datetime import date

import pytest

from dashboards.selectors.results import result_households, results_by_quarter
from tests.factories import FirstAchievedFactory, HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def first_achieved(db):
    for ref, result, day in (
        ("H1", "progress_to_work", date(2014, 3, 31)),
        ("H2", "crime_asb_education", date(2014, 4, 1)),
        ("H3", "crime_asb_education", date(2014, 6, 30)),
        ("H4", "continuous_employment", date(2014, 12, 31)),
        ("H5", "continuous_employment", date(2015, 1, 1)),
    ):
        FirstAchievedFactory(
            household=HouseholdFactory(ref=ref), result=result, first_achieved_on=day
        )


def test_results_count_in_the_financial_quarter_first_achieved_with_quiet_quarters_as_zero(
    first_achieved,
):
    quarters = results_by_quarter()
    # crime/ASB/education, progress to work, continuous employment
    assert [(q.label, q.cells, sum(q.cumulative.values())) for q in quarters] == [
        ("2013/14 Q4", [0, 1, 0], 1),
        ("2014/15 Q1", [2, 0, 0], 3),
        ("2014/15 Q2", [0, 0, 0], 3),
        ("2014/15 Q3", [0, 0, 1], 4),
        ("2014/15 Q4", [0, 0, 1], 5),
    ]


def test_no_results_yet_is_no_quarters(db):
    assert results_by_quarter() == []


def test_the_families_behind_a_quarters_figure(first_achieved):
    def refs(**figure) -> set[str]:
        return set(result_households(**figure).values_list("ref", flat=True))

    assert refs(result="crime_asb_education", year=2014, quarter=1) == {"H2", "H3"}
    assert refs(result="continuous_employment", year=2014) == {"H4", "H5"}
    assert refs(result="progress_to_work", year=2014, quarter=1) == set()
