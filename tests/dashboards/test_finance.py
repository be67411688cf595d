"""The finance dashboard: money by window and state, income to date, and what the next window
is likely to hold, counted by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from claims.models import ClaimPack
from claims.selectors import ready_to_claim
from dashboards.selectors.finance import (
    forecast,
    income_to_date,
    next_window,
    rate_cards_with_commitments,
    totals_by_state,
    windows,
)
from outcomes.selectors import current_run
from tests.factories import (
    CaseFileFactory,
    ClaimFactory,
    ClaimPackFactory,
    ClaimWindowFactory,
    CommitmentFactory,
    FamilyResultFactory,
    HouseholdFactory,
    ResultsRunFactory,
)

pytestmark = pytest.mark.django_db


def pounds(text: str) -> Decimal:
    return Decimal(text)


def family(ref: str, attached_on: date = date(2013, 9, 2)):
    return CaseFileFactory(household=HouseholdFactory(ref=ref), attached_on=attached_on)


def pack_of(name: str, assess_on: date) -> ClaimPack:
    return ClaimPackFactory(window=ClaimWindowFactory(name=name, assess_on=assess_on))


def mark(pack: ClaimPack, *statuses: str) -> None:
    # A pack's status moves on only after its claims are in: a submitted pack takes none.
    for status in statuses:
        ClaimPack.objects.filter(pk=pack.pk).update(status=status)


@pytest.fixture
def claim_windows(db):
    """2014-10, paid: H1 £1,500 and H2 £1,600 live, H3 £700 withdrawn, H4 £100 excluded.
    2015-02, submitted: H5 £100. 2015-06, a draft: H6 £2,300. 2015-10: no pack yet."""
    paid = pack_of("2014-10", date(2014, 10, 31))
    ClaimFactory(pack=paid, case_file=family("H1"))
    ClaimFactory(
        pack=paid, case_file=family("H2"), result="continuous_employment", amount=pounds("1600.00")
    )
    ClaimFactory(
        pack=paid,
        case_file=family("H3", date(2012, 9, 3)),
        financial_year=2012,
        amount=pounds("700.00"),
        results_element=pounds("800.00"),
        status="withdrawn",
    )
    ClaimFactory(
        pack=paid,
        case_file=family("H4"),
        result="progress_to_work",
        amount=pounds("100.00"),
        status="excluded",
        excluded_reason="No evidence of the work programme place",
    )
    mark(paid, "submitted", "paid")

    submitted = pack_of("2015-02", date(2015, 2, 28))
    ClaimFactory(
        pack=submitted, case_file=family("H5"), result="progress_to_work", amount=pounds("100.00")
    )
    mark(submitted, "submitted")

    ClaimFactory(
        pack=pack_of("2015-06", date(2015, 6, 30)),
        case_file=family("H6", date(2014, 5, 1)),
        financial_year=2014,
        amount=pounds("2300.00"),
        results_element=pounds("2400.00"),
    )
    ClaimWindowFactory(name="2015-10", assess_on=date(2015, 10, 31))


def test_each_windows_money_by_the_state_it_is_in(claim_windows):
    found = {row.window.name: row for row in windows()}
    # being prepared, submitted, paid, withdrawn, excluded
    assert found["2014-10"].cells == [0, 0, pounds("3100.00"), pounds("700.00"), pounds("100.00")]
    assert found["2014-10"].families == 2
    assert found["2015-02"].cells == [0, pounds("100.00"), 0, 0, 0]
    assert found["2015-06"].cells == [pounds("2300.00"), 0, 0, 0, 0]
    assert (found["2015-10"].pack, found["2015-10"].cells) == (None, [0, 0, 0, 0, 0])
    assert list(found) == ["2014-10", "2015-02", "2015-06", "2015-10"]


def test_the_totals_and_the_next_window(claim_windows):
    rows = windows()
    assert totals_by_state(rows) == {
        "preparing": pounds("2300.00"),
        "submitted": pounds("100.00"),
        "paid": pounds("3100.00"),
        "withdrawn": pounds("700.00"),
        "excluded": pounds("100.00"),
    }
    assert next_window(rows).name == "2015-10"


def test_income_to_date_is_the_fees_on_commitments_and_the_results_paid(claim_windows):
    # Harrow: 150 in 2012/13, funded as 125 x £3,200; 198 in 2013/14, 165 x £2,400.
    CommitmentFactory(financial_year=2012, families=150)
    CommitmentFactory(financial_year=2013, families=198)
    income = income_to_date(cards=rate_cards_with_commitments(), totals=totals_by_state(windows()))
    assert income.fees == pounds("796000.00")
    assert (income.results_paid, income.results_submitted) == (pounds("3100.00"), pounds("100.00"))
    assert income.to_date == pounds("799100.00")


@pytest.fixture
def waiting(db):
    """The current run, as of 31 March 2015 (rates of 2013/14 unless said):
    F1 crime/ASB/education and progress to work achieved: £1,500 + £100.
    F2 continuous employment achieved after £1,500 claimed: the £100 left of R.
    F3 (2012/13) crime/ASB/education achieved and claimed already: nothing.
    F4 (2014/15) crime/ASB/education achieved again after a claim withdrawn in 2014-10: £2,300.
    F5 nothing achieved."""
    earlier = pack_of("2014-10", date(2014, 10, 31))
    f1, f2, f5 = family("F1"), family("F2"), family("F5")
    f3 = family("F3", date(2012, 9, 3))
    f4 = family("F4", date(2014, 5, 1))
    ClaimFactory(pack=earlier, case_file=f2)
    ClaimFactory(
        pack=earlier,
        case_file=f3,
        financial_year=2012,
        amount=pounds("700.00"),
        results_element=pounds("800.00"),
    )
    ClaimFactory(
        pack=earlier,
        case_file=f4,
        financial_year=2014,
        amount=pounds("2300.00"),
        results_element=pounds("2400.00"),
        status="withdrawn",
    )
    ResultsRunFactory(as_of=date(2014, 12, 31))
    run = ResultsRunFactory(as_of=date(2015, 3, 31))
    for case_file, states in (
        (f1, ("achieved", "achieved", "not_achieved")),
        (f2, ("achieved", "not_relevant", "achieved")),
        (f3, ("achieved", "not_achieved", "not_achieved")),
        (f4, ("achieved", "not_relevant", "not_relevant")),
        (f5, ("not_achieved", "not_achieved", "not_achieved")),
    ):
        for result, state in zip(
            ("crime_asb_education", "progress_to_work", "continuous_employment"),
            states,
            strict=True,
        ):
            FamilyResultFactory(run=run, case_file=case_file, result=result, state=state)


def test_the_next_window_is_likely_to_hold_what_is_achieved_and_not_yet_claimed(waiting):
    expected = forecast(cards=rate_cards_with_commitments())
    assert expected.as_of == date(2015, 3, 31)
    assert expected.families == 3
    assert {result: figures for result, _, *figures in expected.rows} == {
        "crime_asb_education": [2, pounds("3800.00")],
        "progress_to_work": [1, pounds("100.00")],
        "continuous_employment": [1, pounds("100.00")],
    }
    assert expected.amount == pounds("4000.00")


def test_the_forecast_agrees_with_the_claims_apps_own_reckoning(waiting):
    ready = ready_to_claim(current_run())
    assert (
        sum((family.amount for family in ready), Decimal(0))
        == forecast(cards=rate_cards_with_commitments()).amount
    )


def test_no_results_run_no_forecast(db):
    expected = forecast(cards=rate_cards_with_commitments())
    assert (expected.as_of, expected.families, expected.amount) == (None, 0, 0)
