"""Value for money: what interventions cost per family, per family turned around and per
result type, beside what results payments have claimed for the same families.

"Turned around" is what DCLG counted: a family whose crime/ASB/education or continuous
employment result was achieved. Progress to work alone is progress, not turned around, and
is a group of its own."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from casework.models import Intervention
from dashboards.selectors.common import fetch, households_in
from families.models import Household
from outcomes.models import ResultType

ZERO = Decimal("0.00")

# Spend is what was committed to be spent: planned, under way or completed interventions,
# within budget or approved beyond it. Cancelled ones and refused or undecided requests
# for more than the budget are not spend.
_SPENT = f"""
    status <> '{Intervention.Status.CANCELLED}'
    AND approval IN ('{Intervention.Approval.NOT_NEEDED}', '{Intervention.Approval.APPROVED}')
"""

# (key, label) of the groups of attached families compared.
GROUPS = (
    ("all", "Every attached family"),
    ("turned_around", "Families turned around"),
    ("progress_only", "Families with progress to work only"),
    *((result.value, f"Families achieving {result.label.lower()}") for result in ResultType),
)
GROUP_KEYS = tuple(key for key, _ in GROUPS)

_FAMILY_GROUPS = f"""
WITH spend AS (
    SELECT case_file_id, sum(cost) AS spend FROM families_intervention
    WHERE {_SPENT} GROUP BY case_file_id
),
results AS (
    SELECT household_id,
        bool_or(result = 'crime_asb_education') AS cae,
        bool_or(result = 'progress_to_work') AS ptw,
        bool_or(result = 'continuous_employment') AS ce
    FROM outcomes_firstachieved GROUP BY household_id
),
claimed AS (
    SELECT household_id, sum(amount) AS amount FROM claims_claim
    WHERE status = 'included' GROUP BY household_id
),
family_groups AS (
    SELECT f.household_id, g.grp, coalesce(s.spend, 0) AS spend,
        coalesce(c.amount, 0) AS claimed
    FROM families_casefile f
    LEFT JOIN spend s ON s.case_file_id = f.id
    LEFT JOIN results r ON r.household_id = f.household_id
    LEFT JOIN claimed c ON c.household_id = f.household_id
    CROSS JOIN LATERAL (VALUES
        ('all', TRUE),
        ('turned_around', coalesce(r.cae OR r.ce, FALSE)),
        ('progress_only', coalesce(r.ptw AND NOT r.cae AND NOT r.ce, FALSE)),
        ('crime_asb_education', coalesce(r.cae, FALSE)),
        ('progress_to_work', coalesce(r.ptw, FALSE)),
        ('continuous_employment', coalesce(r.ce, FALSE))
    ) AS g (grp, member)
    WHERE g.member
)
"""

_VALUE = (
    _FAMILY_GROUPS
    + "SELECT grp, count(*), sum(spend), sum(claimed) FROM family_groups GROUP BY grp"
)

_GROUP_FAMILIES = _FAMILY_GROUPS + "SELECT household_id FROM family_groups WHERE grp = %(group)s"


@dataclass(frozen=True)
class GroupValue:
    key: str
    label: str
    families: int
    spend: Decimal
    claimed: Decimal

    @property
    def spend_per_family(self) -> Decimal | None:
        return (self.spend / self.families).quantize(Decimal("0.01")) if self.families else None


@dataclass(frozen=True)
class ValueForMoney:
    groups: list[GroupValue]

    def group(self, key: str) -> GroupValue:
        return next(g for g in self.groups if g.key == key)

    @property
    def spend_per_family_turned_around(self) -> Decimal | None:
        """All intervention spend over the families turned around: the business-case figure."""
        achieved = self.group("turned_around").families
        spend = self.group("all").spend
        return (spend / achieved).quantize(Decimal("0.01")) if achieved else None


def value_for_money() -> ValueForMoney:
    """Spend and results payments claimed per group of attached families. One query."""
    rows = {grp: (n, spend, claimed) for grp, n, spend, claimed in fetch(_VALUE)}
    groups = []
    for key, label in GROUPS:
        families, spend, claimed = rows.get(key, (0, ZERO, ZERO))
        groups.append(GroupValue(key, label, families, spend or ZERO, claimed or ZERO))
    return ValueForMoney(groups=groups)


def value_households(*, group: str) -> QuerySet[Household]:
    """The attached families in one group of the value-for-money table."""
    if group not in GROUP_KEYS:
        raise ValueError(f"No value-for-money group {group!r}.")
    return households_in(_GROUP_FAMILIES, {"group": group})
