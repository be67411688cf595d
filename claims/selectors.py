"""Reads that the claims pages, exports and commands share. Each is a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Case, Count, Q, QuerySet, Sum, When
from django.db.models.functions import ExtractYear

from claims.models import (
    AuditSample,
    Claim,
    ClaimAdjustment,
    ClaimPack,
    Commitment,
    financial_year_label,
)
from claims.payments import (
    ClaimHistory,
    FamilyClaimable,
    YearTwoTest,
    claim_histories,
    claim_lines,
    claimable_for_run,
    funded_families,
    rate_cards,
    year_two_test,
)
from families.models import CaseFile, Household
from outcomes.models import ResultsRun, ResultState, ResultType
from outcomes.selectors import close_to_result

ZERO = Decimal("0.00")


def households_sampled_for(auditor) -> QuerySet[Household]:
    """The families whose claims ``auditor`` drew for a spot check, for the sample's life: from
    the draw until internal audit signs the pack off (roles-and-access.md). Registered as the
    auditor's sight of case files in ``ClaimsConfig.ready``."""
    samples = AuditSample.objects.filter(drawn_by=auditor, pack__status=ClaimPack.Status.DRAFT)
    return Household.objects.filter(claims__audit_check__sample__in=samples)


# Every import batch that a family's records on a day came from: its members and their
# records dated up to that day, and the household's own ASB events and concerns. The members
# are looked up first so that each kind of record is read through its person index, not
# scanned whole.
_MEMBERS = """
SELECT m.person_id, m.household_id, m.import_batch_id, p.import_batch_id
FROM families_membership m JOIN families_person p ON p.id = m.person_id
WHERE m.household_id = ANY(%(households)s)
  AND m.valid_from <= %(day)s AND (m.valid_to IS NULL OR m.valid_to > %(day)s)
"""

_RECORD_BATCHES = """
SELECT DISTINCT person_id, NULL::bigint, import_batch_id FROM families_attendance
    WHERE person_id = ANY(%(persons)s) AND term_start <= %(day)s
UNION SELECT DISTINCT person_id, NULL::bigint, import_batch_id FROM families_exclusion
    WHERE person_id = ANY(%(persons)s) AND start_date <= %(day)s
UNION SELECT DISTINCT person_id, NULL::bigint, import_batch_id FROM families_educationstatus
    WHERE person_id = ANY(%(persons)s) AND start_date <= %(day)s
UNION SELECT DISTINCT person_id, NULL::bigint, import_batch_id FROM families_offence
    WHERE person_id = ANY(%(persons)s) AND offence_date <= %(day)s
UNION SELECT DISTINCT person_id, NULL::bigint, import_batch_id FROM families_asbevent
    WHERE person_id = ANY(%(persons)s) AND event_date <= %(day)s
UNION SELECT DISTINCT NULL::bigint, household_id, import_batch_id FROM families_asbevent
    WHERE household_id = ANY(%(households)s) AND event_date <= %(day)s
UNION SELECT DISTINCT person_id, NULL::bigint, import_batch_id FROM families_benefitspell
    WHERE person_id = ANY(%(persons)s) AND start_date <= %(day)s
UNION SELECT DISTINCT person_id, NULL::bigint, import_batch_id FROM families_employmentspell
    WHERE person_id = ANY(%(persons)s) AND start_date <= %(day)s
UNION SELECT DISTINCT person_id, NULL::bigint, import_batch_id FROM families_workprogress
    WHERE person_id = ANY(%(persons)s) AND attached_date <= %(day)s
"""


def evidence_batches(household_ids: Iterable[int], day: date) -> dict[int, list[int]]:
    """Each family's import batches on ``day``, in two queries."""
    households = list(household_ids)
    if not households:
        return {}
    batches: dict[int, set[int]] = {}
    household_of: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(_MEMBERS, {"households": households, "day": day})
        for person_id, household_id, membership_batch, person_batch in cursor.fetchall():
            household_of[person_id] = household_id
            batches.setdefault(household_id, set()).update((membership_batch, person_batch))
        cursor.execute(
            _RECORD_BATCHES,
            {"persons": list(household_of), "households": households, "day": day},
        )
        for person_id, household_id, batch in cursor.fetchall():
            owner = household_id if household_id is not None else household_of[person_id]
            batches.setdefault(owner, set()).add(batch)
    return {household_id: sorted(found) for household_id, found in batches.items()}


def pack_claims(pack: ClaimPack) -> QuerySet[Claim]:
    """The claims a pack sends: those still in it, by family then result."""
    return (
        pack.claims.filter(status__in=[Claim.Status.INCLUDED, Claim.Status.WITHDRAWN])
        .select_related("household")
        .order_by("household__ref", "result")
    )


@dataclass(frozen=True)
class ResultTotal:
    result: str
    label: str
    claims: int
    amount: Decimal


def pack_totals(pack: ClaimPack) -> tuple[list[ResultTotal], ResultTotal]:
    """Claims and amounts by result type, and the whole pack."""
    sums = {
        row["result"]: row
        for row in pack_claims(pack)
        .order_by()
        .values("result")
        .annotate(claims=Count("id"), amount=Sum("amount"))
    }
    by_result = [
        ResultTotal(
            result.value,
            result.label,
            sums.get(result, {}).get("claims", 0),
            sums.get(result, {}).get("amount") or ZERO,
        )
        for result in ResultType
    ]
    total = ResultTotal(
        "total",
        "All results",
        sum(t.claims for t in by_result),
        sum((t.amount for t in by_result), ZERO),
    )
    return by_result, total


def packs_overview() -> QuerySet[ClaimPack]:
    """Every pack with its window, how many claims it holds and their total."""
    live = Q(claims__status__in=[Claim.Status.INCLUDED, Claim.Status.WITHDRAWN])
    return ClaimPack.objects.select_related("window").annotate(
        claim_count=Count("claims", filter=live),
        excluded_count=Count("claims", filter=Q(claims__status=Claim.Status.EXCLUDED)),
        total=Sum("claims__amount", filter=live),
    )


def adjustments_total() -> Decimal:
    return ClaimAdjustment.objects.aggregate(total=Sum("amount"))["total"] or ZERO


# --- Pages ---------------------------------------------------------------------------------------


def ready_to_claim(run: ResultsRun | None) -> list[FamilyClaimable]:
    """Families with something claimable on the current run's day that is not yet claimed."""
    if run is None:
        return []
    return [family for family in claimable_for_run(run, achieving_only=True) if family.lines]


@dataclass(frozen=True)
class Forecast:
    ref: str
    result: str
    label: str
    what_is_left: str
    amount: Decimal


def forecast(run: ResultsRun | None) -> list[Forecast]:
    """What families close to a result would add to what can be claimed once they get there."""
    if run is None:
        return []
    families = {family.household_id: family for family in claimable_for_run(run)}
    histories = claim_histories()
    lines = []
    for close in close_to_result(run):
        family = families.get(close.household_id)
        if family is None:
            continue
        states = {result: stored.state for result, stored in family.family_results.items()}
        states[close.result] = ResultState.ACHIEVED
        then = claim_lines(
            rate=family.rate,
            states=states,
            history=histories.get(close.household_id, ClaimHistory()),
            as_of=run.as_of,
        )
        extra = sum((line.amount for line in then), ZERO) - family.amount
        if extra > 0:
            lines.append(Forecast(close.ref, close.result, close.label, close.what_is_left, extra))
    return lines


CLAIM_SORTS = {
    "ref": "claim_ref",
    "family": "household__ref",
    "window": "pack__window__assess_on",
    "result": "result",
    "amount": "amount",
    "status": "status",
}


def claims_table(
    *,
    window: str = "",
    result: str = "",
    status: str = "",
    family: str = "",
    sort: str = "family",
) -> QuerySet[Claim]:
    """Every claim in every pack, filtered and sorted for the claims table."""
    claims = Claim.objects.select_related("household", "pack__window")
    if window:
        claims = claims.filter(pack__window__name=window)
    if result:
        claims = claims.filter(result=result)
    if status:
        claims = claims.filter(status=status)
    if family:
        claims = claims.filter(household__ref__icontains=family)
    descending = sort.startswith("-")
    field = CLAIM_SORTS.get(sort.lstrip("-"), "household__ref")
    return claims.order_by(f"-{field}" if descending else field, "household__ref", "result")


@dataclass(frozen=True)
class YearFigures:
    financial_year: int
    label: str
    committed: int
    funded: int
    # Whether ``funded`` is the number DCLG gave, entered by a coordinator (not five in six).
    funded_entered: bool
    attachment_fee: Decimal
    fee_income: Decimal
    started: int
    results_element: Decimal
    results_maximum: Decimal
    results_claimed: Decimal
    results_paid: Decimal


@dataclass(frozen=True)
class Income:
    years: list[YearFigures]
    year_two: YearTwoTest | None
    fees: Decimal
    claimed: Decimal
    paid: Decimal
    returned: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class CommitmentFunding:
    label: str
    committed: int
    funded: int
    funded_entered: bool


def commitments_with_funding() -> list[CommitmentFunding]:
    """Each year's commitment beside the families DCLG funds. One query."""
    return [
        CommitmentFunding(
            label=c.label,
            committed=c.families,
            funded=funded_families(committed=c.families, funded=c.funded),
            funded_entered=c.funded is not None,
        )
        for c in Commitment.objects.all()
    ]


def income() -> Income:
    """Fees and results by financial year against the programme maximum: the fee on the
    families DCLG funds (five in six of those committed unless entered), and R for each
    committed family."""
    cards = rate_cards()
    commitments = {c.financial_year: c for c in Commitment.objects.all()}
    started = dict(
        CaseFile.objects.annotate(
            fy=ExtractYear("attached_on") - Case(When(attached_on__month__lt=4, then=1), default=0)
        )
        .values("fy")
        .annotate(n=Count("id"))
        .values_list("fy", "n")
    )
    live = [Claim.Status.INCLUDED]
    claimed = dict(
        Claim.objects.filter(status__in=live)
        .values("financial_year")
        .annotate(total=Sum("amount"))
        .values_list("financial_year", "total")
    )
    paid = dict(
        Claim.objects.filter(status__in=live, pack__status=ClaimPack.Status.PAID)
        .values("financial_year")
        .annotate(total=Sum("amount"))
        .values_list("financial_year", "total")
    )
    years = []
    for year in sorted(set(cards) | set(commitments)):
        card = cards.get(year)
        commitment = commitments.get(year)
        committed = commitment.families if commitment else 0
        entered = commitment.funded if commitment else None
        funded = funded_families(committed=committed, funded=entered)
        fee = card.attachment_fee if card else ZERO
        r = card.results_element if card else ZERO
        years.append(
            YearFigures(
                financial_year=year,
                label=financial_year_label(year),
                committed=committed,
                funded=funded,
                funded_entered=entered is not None,
                attachment_fee=fee,
                fee_income=funded * fee,
                started=started.get(year, 0),
                results_element=r,
                results_maximum=committed * r,
                results_claimed=claimed.get(year) or ZERO,
                results_paid=paid.get(year) or ZERO,
            )
        )
    committed_years = [y for y in years if y.committed]
    year_two = (
        year_two_test(committed=committed_years[0].committed, started=committed_years[0].started)
        if committed_years
        else None
    )
    return Income(
        years=years,
        year_two=year_two,
        fees=sum((y.fee_income for y in years), ZERO),
        claimed=sum((y.results_claimed for y in years), ZERO),
        paid=sum((y.results_paid for y in years), ZERO),
        returned=adjustments_total(),
        maximum=sum((y.fee_income + y.results_maximum for y in years), ZERO),
    )
