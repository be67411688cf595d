"""Payments: what may be claimed for a family, attachment fees, the year-two funding test and
the internal-audit sample (programme-rules.md, Payments).

Pure rules over figures the selectors load set-based; nothing here reads "today".
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from claims.models import Claim, RateCard, financial_year_label, financial_year_of
from outcomes.models import FamilyResult, ResultsRun, ResultState, ResultType

ZERO = Decimal("0.00")
CAE, PTW, CE = (
    ResultType.CRIME_ASB_EDUCATION,
    ResultType.PROGRESS_TO_WORK,
    ResultType.CONTINUOUS_EMPLOYMENT,
)
# Continuous employment pays the whole of R; otherwise these add up, capped at R.
SUMMED_RESULTS = (CAE, PTW)

# Attachment fees fund five families in six: one in six is assumed to be helped by ESF.
FUNDED_PARTS, COMMITTED_PARTS = 5, 6
# Year-two test: the share of the year-one commitment the authority has started work with.
YEAR_TWO_FULL_PERCENT, YEAR_TWO_HALF_PERCENT = 75, 33

DEFAULT_SAMPLE_PERCENT = 10

# The 2012 rule set ends with the last payment date of May 2015: no claim window after it.
LAST_PAYMENT_DAY = date(2015, 5, 31)


@dataclass(frozen=True)
class ClaimHistory:
    """What has been claimed for one family before: live claims and withdrawn ones."""

    claimed_total: Decimal = ZERO
    claimed_results: frozenset[str] = frozenset()
    # A withdrawn result may be claimed again only on a later claim day than it was assessed.
    withdrawn_assessed_on: dict[str, date] = field(default_factory=dict)


@dataclass(frozen=True)
class ClaimLine:
    result: ResultType
    amount: Decimal


@dataclass(frozen=True)
class StoredResult:
    """A family's result as a results run stored it."""

    id: int
    state: str
    reason: str


@dataclass(frozen=True)
class FamilyClaimable:
    household_id: int
    case_file_id: int
    ref: str
    attached_on: date
    financial_year: int
    rate: RateCard | None
    already_claimed: Decimal
    lines: tuple[ClaimLine, ...]
    family_results: dict[str, StoredResult]

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)


def claim_lines(
    *,
    rate: RateCard | None,
    states: dict[str, str],
    history: ClaimHistory,
    as_of: date,
) -> tuple[ClaimLine, ...]:
    """The claims a family could make on ``as_of``: each result at most once, never more
    than R in all, continuous employment alone for whatever of R is left."""
    if rate is None:
        return ()
    remaining = rate.results_element - history.claimed_total
    if remaining <= 0:
        return ()

    def claimable(result: ResultType) -> bool:
        withdrawn_on = history.withdrawn_assessed_on.get(result)
        return (
            states.get(result) == ResultState.ACHIEVED
            and result not in history.claimed_results
            and (withdrawn_on is None or as_of > withdrawn_on)
        )

    if claimable(CE):
        return (ClaimLine(CE, remaining),)
    lines = []
    for result in SUMMED_RESULTS:
        if claimable(result):
            amount = min(rate.rate_for(result), remaining)
            if amount > 0:
                lines.append(ClaimLine(result, amount))
                remaining -= amount
    return tuple(lines)


def rate_cards() -> dict[int, RateCard]:
    return {card.financial_year: card for card in RateCard.objects.all()}


def claim_histories(household_ids: Iterable[int] | None = None) -> dict[int, ClaimHistory]:
    """Every family's claims so far, in one query."""
    claims = Claim.objects.filter(status__in=[Claim.Status.INCLUDED, Claim.Status.WITHDRAWN])
    if household_ids is not None:
        claims = claims.filter(household_id__in=list(household_ids))
    totals: dict[int, Decimal] = {}
    results: dict[int, set[str]] = {}
    withdrawn: dict[int, dict[str, date]] = {}
    for household_id, result, status, amount, assessed_on in claims.values_list(
        "household_id", "result", "status", "amount", "assessed_on"
    ):
        if status == Claim.Status.INCLUDED:
            totals[household_id] = totals.get(household_id, ZERO) + amount
            results.setdefault(household_id, set()).add(result)
        else:
            mine = withdrawn.setdefault(household_id, {})
            mine[result] = max(assessed_on, mine.get(result, assessed_on))
    return {
        household_id: ClaimHistory(
            claimed_total=totals.get(household_id, ZERO),
            claimed_results=frozenset(results.get(household_id, ())),
            withdrawn_assessed_on=withdrawn.get(household_id, {}),
        )
        for household_id in set(totals) | set(results) | set(withdrawn)
    }


def claimable_for_run(run: ResultsRun, *, achieving_only: bool = False) -> list[FamilyClaimable]:
    """What each family assessed in ``run`` could claim on the run's day, after what was
    claimed before; sorted by family reference. With ``achieving_only``, only families with
    a result achieved (the only ones that can claim). A fixed number of queries."""
    rows = FamilyResult.objects.filter(run=run)
    if achieving_only:
        rows = rows.filter(
            household__in=FamilyResult.objects.filter(run=run, state=ResultState.ACHIEVED).values(
                "household_id"
            )
        )
    by_family: dict[int, dict[str, StoredResult]] = {}
    about: dict[int, tuple[str, int, date]] = {}
    # Plain rows, not model instances: a county's run holds thousands of families.
    for pk, household_id, result, state, reason, ref, case_file_id, attached_on in rows.order_by(
        "household__ref", "result"
    ).values_list(
        "pk",
        "household_id",
        "result",
        "state",
        "reason",
        "household__ref",
        "case_file_id",
        "case_file__attached_on",
    ):
        by_family.setdefault(household_id, {})[result] = StoredResult(pk, state, reason)
        about[household_id] = (ref, case_file_id, attached_on)
    cards = rate_cards()
    histories = claim_histories()
    families = []
    for household_id, results in by_family.items():
        ref, case_file_id, attached_on = about[household_id]
        year = financial_year_of(attached_on)
        history = histories.get(household_id, ClaimHistory())
        families.append(
            FamilyClaimable(
                household_id=household_id,
                case_file_id=case_file_id,
                ref=ref,
                attached_on=attached_on,
                financial_year=year,
                rate=cards.get(year),
                already_claimed=history.claimed_total,
                lines=claim_lines(
                    rate=cards.get(year),
                    states={result: stored.state for result, stored in results.items()},
                    history=history,
                    as_of=run.as_of,
                ),
                family_results=results,
            )
        )
    return families


# --- Attachment fees and the year-two funding test ------------------------------------------


def funded_families(*, committed: int, funded: int | None = None) -> int:
    """Families the attachment fee is paid on: the number DCLG funds when a coordinator has
    entered it, else five in six of those committed, whole families."""
    if funded is not None:
        return funded
    return committed * FUNDED_PARTS // COMMITTED_PARTS


def attachment_fee_income(*, committed: int, rate: RateCard, funded: int | None = None) -> Decimal:
    """Harrow: 150 committed in 2012/13, funded as 125 x £3,200 = £400,000."""
    return funded_families(committed=committed, funded=funded) * rate.attachment_fee


@dataclass(frozen=True)
class YearTwoTest:
    committed: int
    started: int
    share: Decimal  # percent, for display
    funding: str  # "full", "half" or "none"

    @property
    def fraction(self) -> Decimal:
        return {"full": Decimal(1), "half": Decimal("0.5"), "none": Decimal(0)}[self.funding]


def year_two_test(*, committed: int, started: int) -> YearTwoTest:
    """At least 75% of the year-one commitment started: year-two fees in full; 33% to 75%:
    half; below 33%: nothing until the authority catches up. Compared in whole numbers."""
    if committed and started * 100 >= committed * YEAR_TWO_FULL_PERCENT:
        funding = "full"
    elif committed and started * 100 >= committed * YEAR_TWO_HALF_PERCENT:
        funding = "half"
    else:
        funding = "none"
    share = (Decimal(started) * 100 / committed).quantize(Decimal("0.1")) if committed else ZERO
    return YearTwoTest(committed=committed, started=started, share=share, funding=funding)


# --- Internal audit sample -----------------------------------------------------------------------


def sample_size(claims: int, percent: int = DEFAULT_SAMPLE_PERCENT) -> int:
    """``percent`` of a pack's claims, rounded up, and at least one when there are any."""
    if claims == 0:
        return 0
    return max(1, math.ceil(claims * percent / 100))


def draw_sample(claim_refs: Iterable[str], *, seed: int, percent: int) -> list[str]:
    """The sampled claim refs: the same refs, seed and percent always give the same sample."""
    population = sorted(claim_refs)
    return sorted(random.Random(seed).sample(population, sample_size(len(population), percent)))
