"""Value for money: intervention spend per family, per family turned around and per result
type, counted by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from casework.models import Intervention
from dashboards.selectors.value import value_for_money, value_households
from tests.factories import (
    CaseFileFactory,
    ClaimFactory,
    FirstAchievedFactory,
    HouseholdFactory,
    InterventionFactory,
)

pytestmark = pytest.mark.django_db

Status, Approval = Intervention.Status, Intervention.Approval


def spend(case_file, cost: str, **fields) -> None:
    InterventionFactory(case_file=case_file, cost=Decimal(cost), **fields)


def from_budget(case_file, cost: str, approval) -> None:
    spend(case_file, cost, paid_from_budget=True, approval=approval)


@pytest.fixture
def families(db):
    """A: £900 spent (£500 under way, £300 completed, £100 approved beyond budget; not the
    £1,000 cancelled, £200 awaiting approval or £50 refused), crime/ASB/education achieved and
    £1,500 claimed. B: £250 planned, progress to work and continuous employment, £100 claimed.
    C: nothing. D: £1,000, no result. E: £400, progress to work only (not turned around)."""
    a, b, c, d, e = (CaseFileFactory(household=HouseholdFactory(ref=ref)) for ref in "ABCDE")
    spend(a, "500.00")
    spend(a, "300.00", status=Status.COMPLETED)
    spend(a, "1000.00", status=Status.CANCELLED)
    from_budget(a, "100.00", Approval.APPROVED)
    from_budget(a, "200.00", Approval.AWAITING)
    from_budget(a, "50.00", Approval.REFUSED)
    FirstAchievedFactory(household=a.household, result="crime_asb_education")
    ClaimFactory(case_file=a, amount=Decimal("1500.00"))

    spend(b, "250.00", status=Status.PLANNED)
    FirstAchievedFactory(household=b.household, result="progress_to_work")
    FirstAchievedFactory(household=b.household, result="continuous_employment")
    ClaimFactory(case_file=b, result="progress_to_work", amount=Decimal("100.00"))

    spend(d, "1000.00")

    spend(e, "400.00")
    FirstAchievedFactory(household=e.household, result="progress_to_work")


def test_spend_and_claims_per_group_of_families(families):
    found = value_for_money()
    table = {g.key: (g.families, g.spend, g.spend_per_family, g.claimed) for g in found.groups}
    assert table == {
        "all": (5, Decimal("2550.00"), Decimal("510.00"), Decimal("1600.00")),
        "turned_around": (2, Decimal("1150.00"), Decimal("575.00"), Decimal("1600.00")),
        "progress_only": (1, Decimal("400.00"), Decimal("400.00"), Decimal("0.00")),
        "crime_asb_education": (1, Decimal("900.00"), Decimal("900.00"), Decimal("1500.00")),
        "progress_to_work": (2, Decimal("650.00"), Decimal("325.00"), Decimal("100.00")),
        "continuous_employment": (1, Decimal("250.00"), Decimal("250.00"), Decimal("100.00")),
    }


def test_all_spend_over_the_families_turned_around_is_the_business_case_figure(families):
    # £2,550 over A and B: E's progress to work alone does not turn the family around.
    assert value_for_money().spend_per_family_turned_around == Decimal("1275.00")


def test_with_no_family_attached_there_is_nothing_to_divide(db):
    found = value_for_money()
    assert found.group("all").families == 0
    assert found.group("all").spend_per_family is None
    assert found.spend_per_family_turned_around is None


def test_the_families_behind_a_group(families):
    assert set(value_households(group="turned_around").values_list("ref", flat=True)) == {"A", "B"}
    assert set(value_households(group="progress_only").values_list("ref", flat=True)) == {"E"}
    assert set(value_households(group="all").values_list("ref", flat=True)) == set("ABCDE")


def test_the_page_shows_progress_to_work_only_as_its_own_line(client, coordinator, families):
    client.force_login(coordinator)
    page = client.get(reverse("dashboards:value")).content.decode()
    assert "£1,275.00" in page
    assert "Families turned around" in page
    assert "Families with progress to work only" in page
