"""The finance dashboard: claim windows and the money in each state, income to date, and what
the next window is likely to hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum

from claims.models import Claim, ClaimPack, ClaimWindow, Commitment, RateCard, financial_year_of
from claims.payments import ClaimHistory, attachment_fee_income, claim_lines
from dashboards.selectors.common import fetch
from outcomes.models import ResultType

ZERO = Decimal("0.00")

# Where the money of a claim stands, following its pack from draft to payment.
PREPARING, SUBMITTED, PAID, WITHDRAWN, EXCLUDED = (
    "preparing",
    "submitted",
    "paid",
    "withdrawn",
    "excluded",
)
STATES = (
    (PREPARING, "Being prepared (draft, signed off or approved)"),
    (SUBMITTED, "Submitted, awaiting payment"),
    (PAID, "Paid"),
    (WITHDRAWN, "Withdrawn by adjustment"),
    (EXCLUDED, "Excluded before sign-off"),
)


def money_state(pack: ClaimPack) -> str:
    """A live claim's money is paid or submitted with its pack, otherwise still in hand."""
    if pack.status == ClaimPack.Status.PAID:
        return PAID
    if pack.status == ClaimPack.Status.SUBMITTED:
        return SUBMITTED
    return PREPARING


def _amount(status: str) -> Sum:
    return Sum("pack__claims__amount", filter=Q(pack__claims__status=status))


@dataclass(frozen=True)
class WindowMoney:
    window: ClaimWindow
    pack: ClaimPack | None
    families: int
    amounts: dict[str, Decimal]

    @property
    def cells(self) -> list[Decimal]:
        return [self.amounts.get(state, ZERO) for state, _ in STATES]


def windows() -> list[WindowMoney]:
    """Every claim window, oldest first, with its pack and its claims' money by state. One
    query."""
    rows = (
        ClaimWindow.objects.select_related("pack")
        .annotate(
            families=Count(
                "pack__claims__household",
                filter=Q(pack__claims__status=Claim.Status.INCLUDED),
                distinct=True,
            ),
            included=_amount(Claim.Status.INCLUDED),
            withdrawn=_amount(Claim.Status.WITHDRAWN),
            excluded=_amount(Claim.Status.EXCLUDED),
        )
        .order_by("assess_on")
    )
    found = []
    for window in rows:
        pack = getattr(window, "pack", None)
        amounts = {WITHDRAWN: window.withdrawn or ZERO, EXCLUDED: window.excluded or ZERO}
        if pack is not None:
            amounts[money_state(pack)] = window.included or ZERO
        found.append(WindowMoney(window, pack, window.families, amounts))
    return found


def totals_by_state(rows: list[WindowMoney]) -> dict[str, Decimal]:
    return {state: sum((row.amounts.get(state, ZERO) for row in rows), ZERO) for state, _ in STATES}


def next_window(rows: list[WindowMoney]) -> ClaimWindow | None:
    """The earliest window whose pack has not been built."""
    return next((row.window for row in rows if row.pack is None), None)


def rate_cards_with_commitments() -> list[RateCard]:
    """Each year's rates, annotated with that year's commitment (``committed``) and the families
    DCLG funds if entered (``funded``). One query."""
    commitment = Commitment.objects.filter(financial_year=OuterRef("financial_year"))
    return list(
        RateCard.objects.annotate(
            committed=Subquery(commitment.values("families")[:1]),
            funded=Subquery(commitment.values("funded")[:1]),
        )
    )


@dataclass(frozen=True)
class Income:
    fees: Decimal
    results_paid: Decimal
    results_submitted: Decimal

    @property
    def to_date(self) -> Decimal:
        """Fees are paid up front; results count once paid."""
        return self.fees + self.results_paid


def income_to_date(*, cards: list[RateCard], totals: dict[str, Decimal]) -> Income:
    return Income(
        fees=sum(
            (
                attachment_fee_income(committed=card.committed, funded=card.funded, rate=card)
                for card in cards
                if card.committed
            ),
            ZERO,
        ),
        results_paid=totals[PAID],
        results_submitted=totals[SUBMITTED],
    )


# The families of the current results run with a result achieved that no live claim holds:
# what they have achieved, what was claimed for them before, and claims withdrawn since.
_WAITING = """
WITH run AS (
    SELECT id, as_of FROM outcomes_resultsrun WHERE status = 'succeeded'
    ORDER BY as_of DESC, finished_at DESC, id DESC LIMIT 1
),
waiting AS (
    SELECT DISTINCT fr.household_id
    FROM outcomes_familyresult fr JOIN run ON run.id = fr.run_id
    WHERE fr.state = 'achieved' AND NOT EXISTS (
        SELECT 1 FROM claims_claim c
        WHERE c.household_id = fr.household_id AND c.result = fr.result
          AND c.status = 'included')
),
families AS (
    SELECT w.household_id, f.attached_on,
        r.results, r.states,
        coalesce(live.total, 0) AS claimed, live.results AS claimed_results,
        gone.results AS withdrawn_results, gone.assessed AS withdrawn_assessed
    FROM waiting w
    JOIN families_casefile f ON f.household_id = w.household_id
    CROSS JOIN LATERAL (
        SELECT array_agg(fr.result) AS results, array_agg(fr.state) AS states
        FROM outcomes_familyresult fr
        WHERE fr.run_id = (SELECT id FROM run) AND fr.household_id = w.household_id
    ) r
    LEFT JOIN LATERAL (
        SELECT sum(c.amount) AS total, array_agg(c.result) AS results FROM claims_claim c
        WHERE c.household_id = w.household_id AND c.status = 'included'
    ) live ON TRUE
    LEFT JOIN LATERAL (
        SELECT array_agg(result) AS results, array_agg(assessed_on) AS assessed FROM (
            SELECT c.result, max(c.assessed_on) AS assessed_on FROM claims_claim c
            WHERE c.household_id = w.household_id AND c.status = 'withdrawn'
            GROUP BY c.result) last_withdrawn
    ) gone ON TRUE
)
SELECT run.as_of, fam.attached_on, fam.results, fam.states, fam.claimed,
    fam.claimed_results, fam.withdrawn_results, fam.withdrawn_assessed
FROM run LEFT JOIN families fam ON TRUE
"""


@dataclass(frozen=True)
class Forecast:
    """What a pack built on the current results run's day would hold."""

    as_of: date | None
    families: int
    by_result: dict[str, tuple[int, Decimal]]

    @property
    def amount(self) -> Decimal:
        return sum((amount for _, amount in self.by_result.values()), ZERO)

    @property
    def rows(self) -> list[tuple[str, str, int, Decimal]]:
        return [
            (result.value, result.label, *self.by_result.get(result, (0, ZERO)))
            for result in ResultType
        ]


def forecast(*, cards: list[RateCard]) -> Forecast:
    """The claims the families waiting for one would make, by ``claims.payments.claim_lines``
    (the payment rules stay in one place). One query, whatever the size of the run."""
    rates = {card.financial_year: card for card in cards}
    rows = fetch(_WAITING)
    if not rows:
        return Forecast(as_of=None, families=0, by_result={})
    by_result: dict[str, tuple[int, Decimal]] = {}
    families = 0
    for as_of, attached_on, results, states, claimed, claimed_results, gone, gone_on in rows:
        if attached_on is None:
            continue
        lines = claim_lines(
            rate=rates.get(financial_year_of(attached_on)),
            states=dict(zip(results, states, strict=True)),
            history=ClaimHistory(
                claimed_total=claimed,
                claimed_results=frozenset(claimed_results or ()),
                withdrawn_assessed_on=dict(zip(gone or (), gone_on or (), strict=True)),
            ),
            as_of=as_of,
        )
        families += bool(lines)
        for line in lines:
            count, amount = by_result.get(line.result, (0, ZERO))
            by_result[line.result] = (count + 1, amount + line.amount)
    return Forecast(as_of=rows[0][0], families=families, by_result=by_result)
