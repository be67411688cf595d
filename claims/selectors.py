"""Reads that the claims pages, exports and commands share. Each is a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum

from claims.models import Claim, ClaimAdjustment, ClaimPack
from outcomes.models import ResultType

ZERO = Decimal("0.00")

# Every import batch that a family's records on a day came from: its members and their
# records dated up to that day, and the household's own ASB events and concerns.
_EVIDENCE_BATCHES = """
WITH members AS (
    SELECT m.household_id, m.person_id, m.import_batch_id
    FROM families_membership m
    WHERE m.household_id = ANY(%(households)s)
      AND m.valid_from <= %(day)s AND (m.valid_to IS NULL OR m.valid_to > %(day)s)
),
batches AS (
    SELECT household_id, import_batch_id FROM members
    UNION SELECT mb.household_id, p.import_batch_id
        FROM members mb JOIN families_person p ON p.id = mb.person_id
    UNION SELECT mb.household_id, r.import_batch_id
        FROM members mb JOIN families_attendance r ON r.person_id = mb.person_id
        WHERE r.term_start <= %(day)s
    UNION SELECT mb.household_id, r.import_batch_id
        FROM members mb JOIN families_exclusion r ON r.person_id = mb.person_id
        WHERE r.start_date <= %(day)s
    UNION SELECT mb.household_id, r.import_batch_id
        FROM members mb JOIN families_educationstatus r ON r.person_id = mb.person_id
        WHERE r.start_date <= %(day)s
    UNION SELECT mb.household_id, r.import_batch_id
        FROM members mb JOIN families_offence r ON r.person_id = mb.person_id
        WHERE r.offence_date <= %(day)s
    UNION SELECT mb.household_id, r.import_batch_id
        FROM members mb JOIN families_asbevent r ON r.person_id = mb.person_id
        WHERE r.event_date <= %(day)s
    UNION SELECT r.household_id, r.import_batch_id
        FROM families_asbevent r
        WHERE r.household_id = ANY(%(households)s) AND r.event_date <= %(day)s
    UNION SELECT mb.household_id, r.import_batch_id
        FROM members mb JOIN families_benefitspell r ON r.person_id = mb.person_id
        WHERE r.start_date <= %(day)s
    UNION SELECT mb.household_id, r.import_batch_id
        FROM members mb JOIN families_employmentspell r ON r.person_id = mb.person_id
        WHERE r.start_date <= %(day)s
    UNION SELECT mb.household_id, r.import_batch_id
        FROM members mb JOIN families_workprogress r ON r.person_id = mb.person_id
        WHERE r.attached_date <= %(day)s
)
SELECT household_id, array_agg(import_batch_id ORDER BY import_batch_id)
FROM batches
GROUP BY household_id
"""


def evidence_batches(household_ids: Iterable[int], day: date) -> dict[int, list[int]]:
    ids = list(household_ids)
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_EVIDENCE_BATCHES, {"households": ids, "day": day})
        return dict(cursor.fetchall())


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
