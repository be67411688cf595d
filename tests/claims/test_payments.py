"""Each payment rule of programme-rules.md (Payments)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from claims.models import RateCard, financial_year_of
from claims.payments import (
    ClaimHistory,
    ClaimLine,
    attachment_fee_income,
    claim_lines,
    claimable_for_run,
    draw_sample,
    funded_families,
    sample_size,
    year_two_test,
)
from outcomes.models import ResultType
from outcomes.services import results_run
from tests.factories import CaseFileFactory, HouseholdFactory

CAE = ResultType.CRIME_ASB_EDUCATION
PTW = ResultType.PROGRESS_TO_WORK
CE = ResultType.CONTINUOUS_EMPLOYMENT
ON = date(2014, 10, 31)

RATES_2013 = RateCard(
    financial_year=2013,
    attachment_fee=Decimal("2400"),
    results_element=Decimal("1600"),
    crime_asb_education=Decimal("1500"),
    progress_to_work=Decimal("100"),
    continuous_employment=Decimal("1600"),
)


def states(cae="not_achieved", ptw="not_achieved", ce="not_achieved") -> dict[str, str]:
    return {CAE: cae, PTW: ptw, CE: ce}


NOTHING_CLAIMED = ClaimHistory()


def lines(history=NOTHING_CLAIMED, rate=RATES_2013, **achieved) -> tuple[ClaimLine, ...]:
    return claim_lines(rate=rate, states=states(**achieved), history=history, as_of=ON)


# --- The rates by financial year of attachment ---------------------------------------------------


def test_the_financial_year_runs_from_1_april_to_31_march():
    assert financial_year_of(date(2013, 3, 31)) == 2012
    assert financial_year_of(date(2013, 4, 1)) == 2013


@pytest.mark.django_db
def test_the_seeded_rate_card_is_the_spec_table():
    cards = {c.financial_year: c for c in RateCard.objects.all()}
    assert {year: cards[year].amounts() for year in cards} == {
        2012: {
            "attachment_fee": "3200.00",
            "results_element": "800.00",
            "crime_asb_education": "700.00",
            "progress_to_work": "100.00",
            "continuous_employment": "800.00",
        },
        2013: {
            "attachment_fee": "2400.00",
            "results_element": "1600.00",
            "crime_asb_education": "1500.00",
            "progress_to_work": "100.00",
            "continuous_employment": "1600.00",
        },
        2014: {
            "attachment_fee": "1600.00",
            "results_element": "2400.00",
            "crime_asb_education": "2300.00",
            "progress_to_work": "100.00",
            "continuous_employment": "2400.00",
        },
    }


@pytest.mark.django_db
def test_a_family_attached_on_31_march_is_paid_at_the_earlier_years_rates():
    for ref, attached_on in (("H31MAR", date(2013, 3, 31)), ("H01APR", date(2013, 4, 1))):
        CaseFileFactory(
            household=HouseholdFactory(ref=ref),
            attached_on=attached_on,
            baseline_education=False,
            baseline_work=False,
            baseline_asb_events=3,
            baseline_youth_offences=0,
        )
    run = results_run(date(2014, 10, 31))
    by_ref = {family.ref: family for family in claimable_for_run(run)}
    assert (by_ref["H31MAR"].financial_year_label, by_ref["H31MAR"].amount) == (
        "2012/13",
        Decimal("700.00"),
    )
    assert (by_ref["H01APR"].financial_year_label, by_ref["H01APR"].amount) == (
        "2013/14",
        Decimal("1500.00"),
    )


# --- What may be claimed -------------------------------------------------------------------------


def test_crime_asb_education_and_progress_to_work_add_up():
    assert lines(cae="achieved", ptw="achieved") == (
        ClaimLine(CAE, Decimal("1500")),
        ClaimLine(PTW, Decimal("100")),
    )


def test_continuous_employment_pays_r_alone_even_beside_other_achieved_results():
    assert lines(cae="achieved", ptw="achieved", ce="achieved") == (ClaimLine(CE, Decimal("1600")),)


def test_continuous_employment_after_an_earlier_claim_pays_what_is_left_of_r():
    earlier = ClaimHistory(claimed_total=Decimal("1500"), claimed_results=frozenset({CAE}))
    assert lines(earlier, cae="achieved", ce="achieved") == (ClaimLine(CE, Decimal("100")),)


def test_nothing_more_once_r_has_been_claimed():
    earlier = ClaimHistory(claimed_total=Decimal("1600"), claimed_results=frozenset({CAE, PTW}))
    assert lines(earlier, cae="achieved", ptw="achieved", ce="achieved") == ()


def test_each_result_is_claimed_at_most_once():
    earlier = ClaimHistory(claimed_total=Decimal("1500"), claimed_results=frozenset({CAE}))
    assert lines(earlier, cae="achieved", ptw="achieved") == (ClaimLine(PTW, Decimal("100")),)


def test_the_sum_is_capped_at_what_is_left_of_r():
    generous = RateCard(
        financial_year=2013,
        attachment_fee=Decimal("2400"),
        results_element=Decimal("1600"),
        crime_asb_education=Decimal("1550"),
        progress_to_work=Decimal("100"),
        continuous_employment=Decimal("1600"),
    )
    capped = lines(rate=generous, cae="achieved", ptw="achieved")
    assert capped == (ClaimLine(CAE, Decimal("1550")), ClaimLine(PTW, Decimal("50")))
    assert sum(line.amount for line in capped) == generous.results_element


def test_results_not_achieved_or_not_relevant_pay_nothing():
    assert lines(cae="not_relevant", ptw="not_achieved", ce="not_relevant") == ()


def test_no_rate_card_for_the_year_means_nothing_can_be_claimed():
    assert lines(rate=None, cae="achieved") == ()


def test_a_withdrawn_result_is_claimable_again_only_when_achieved_on_a_later_day():
    withdrawn = ClaimHistory(withdrawn_assessed_on={CAE: ON})
    assert lines(withdrawn, cae="achieved") == ()
    later = claim_lines(
        rate=RATES_2013, states=states(cae="achieved"), history=withdrawn, as_of=date(2014, 11, 30)
    )
    assert later == (ClaimLine(CAE, Decimal("1500")),)


# --- Attachment fees and the year-two test -------------------------------------------------------


def test_attachment_fees_fund_five_families_in_six():
    harrow_2012 = RateCard(financial_year=2012, attachment_fee=Decimal("3200"))
    assert attachment_fee_income(committed=150, rate=harrow_2012) == Decimal("400000")
    # Whole families only: 100 committed are funded as 83.
    assert attachment_fee_income(committed=100, rate=harrow_2012) == Decimal("265600")


def test_the_number_dclg_funds_replaces_five_in_six_when_entered():
    kensington_2012 = RateCard(financial_year=2012, attachment_fee=Decimal("3200"))
    # 133 committed: five in six gives 110, DCLG's published figure is 111.
    assert funded_families(committed=133) == 110
    assert funded_families(committed=133, funded=111) == 111
    assert attachment_fee_income(committed=133, funded=111, rate=kensington_2012) == Decimal(
        "355200"
    )


@pytest.mark.parametrize(
    ("started", "funding"),
    [(75, "full"), (74, "half"), (33, "half"), (32, "none"), (0, "none")],
)
def test_year_two_fees_depend_on_the_share_of_year_one_started(started, funding):
    assert year_two_test(committed=100, started=started).funding == funding


def test_year_two_boundary_is_compared_exactly():
    # 112 of 150 is 74.67%: half; 113 is 75.33%: full.
    assert year_two_test(committed=150, started=112).funding == "half"
    assert year_two_test(committed=150, started=113).funding == "full"


# --- The internal-audit sample --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claims", "size"), [(0, 0), (1, 1), (9, 1), (10, 1), (11, 2), (19, 2), (100, 10)]
)
def test_the_sample_is_ten_percent_rounded_up_and_at_least_one(claims, size):
    assert sample_size(claims) == size


def test_the_sample_is_reproducible_from_its_seed():
    refs = [f"TF-2014-10-H{n:05d}-CAE" for n in range(50)]
    first = draw_sample(refs, seed=1234, percent=10)
    assert len(first) == 5
    assert draw_sample(reversed(refs), seed=1234, percent=10) == first
    assert draw_sample(refs, seed=4321, percent=10) != first
