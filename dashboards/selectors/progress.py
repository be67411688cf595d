"""The coordinator's progress: the funnel from identification to claim by financial year, and
progress against the commitments and the coordinator's targets."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from claims.models import Commitment, financial_year_label
from claims.payments import YearTwoTest, year_two_test
from dashboards.models import Targets
from dashboards.selectors.common import fetch, fy_sql, households_in, london_day_sql
from families.models import Household

# (key, label) of the funnel's stages, in the order a family moves through them.
STAGES = (
    ("identified", "Identified"),
    ("confirmed", "Confirmed into the cohort"),
    ("attached", "Attached (work started)"),
    ("any_result", "With a result achieved"),
    ("claimed", "With a result claimed"),
)
STAGE_KEYS = tuple(key for key, _ in STAGES)

# Each family in the programme with the day it reached each stage. A family counts in the
# year it reached a stage; the earlier stages take the earliest day known, because a family
# attached on a day was confirmed and identified by then even when the decision was recorded
# later, or its current spell of eligibility began after it (a family turned around is often
# no longer eligible). Each table is read once: its rows give the stages they prove, and the
# earliest day per family and stage wins.
_STAGE_DAYS = f"""
WITH evidence (household_id, identified, confirmed, attached, any_result, claimed) AS (
    SELECT household_id, coalesce(eligible_since, as_of), NULL::date, NULL::date,
        NULL::date, NULL::date
    FROM families_currenteligibility WHERE eligible
    UNION ALL
    SELECT household_id, {london_day_sql("decided_at")}, {london_day_sql("decided_at")},
        NULL, NULL, NULL
    FROM families_cohortdecision WHERE is_current AND decision = 'confirmed'
    UNION ALL
    SELECT household_id, attached_on, attached_on, attached_on, NULL, NULL
    FROM families_casefile
    UNION ALL
    SELECT household_id, NULL, NULL, NULL, first_achieved_on, NULL
    FROM outcomes_firstachieved
    UNION ALL
    SELECT household_id, NULL, NULL, NULL, NULL, assessed_on
    FROM claims_claim WHERE status = 'included'
),
families AS MATERIALIZED (
    SELECT household_id, min(identified) AS identified, min(confirmed) AS confirmed,
        min(attached) AS attached, min(any_result) AS any_result, min(claimed) AS claimed
    FROM evidence GROUP BY household_id
    HAVING min(identified) IS NOT NULL
)
"""

_FUNNEL = _STAGE_DAYS + "\nUNION ALL\n".join(
    f"SELECT '{stage}', {fy_sql(stage)}, count(*) FROM families "
    f"WHERE {stage} IS NOT NULL GROUP BY 2"
    for stage in STAGE_KEYS
)

_FUNNEL_FAMILIES = (
    _STAGE_DAYS
    + f"""
SELECT f.household_id FROM families f
CROSS JOIN LATERAL (VALUES {", ".join(f"('{stage}', f.{stage})" for stage in STAGE_KEYS)})
    AS s (stage, day)
WHERE s.stage = %(stage)s AND s.day IS NOT NULL
  AND (%(year)s::int IS NULL OR {fy_sql("s.day")} = %(year)s::int)
"""
)


@dataclass(frozen=True)
class FunnelRow:
    financial_year: int | None  # None: every year
    counts: dict[str, int]

    @property
    def label(self) -> str:
        return (
            "All years"
            if self.financial_year is None
            else financial_year_label(self.financial_year)
        )

    def __getitem__(self, stage: str) -> int:
        return self.counts.get(stage, 0)

    @property
    def cells(self) -> list[int]:
        return [self[stage] for stage in STAGE_KEYS]


@dataclass(frozen=True)
class Funnel:
    years: list[FunnelRow]
    total: FunnelRow


def funnel() -> Funnel:
    """How many families reached each stage, by the financial year they reached it. One query."""
    by_year: dict[int, dict[str, int]] = {}
    total: dict[str, int] = {}
    for stage, year, count in fetch(_FUNNEL):
        by_year.setdefault(year, {})[stage] = count
        total[stage] = total.get(stage, 0) + count
    return Funnel(
        years=[FunnelRow(year, by_year[year]) for year in sorted(by_year)],
        total=FunnelRow(None, total),
    )


def funnel_households(*, stage: str, year: int | None) -> QuerySet[Household]:
    """The families behind one figure of the funnel (``year`` None: every year)."""
    if stage not in STAGE_KEYS:
        raise ValueError(f"No funnel stage {stage!r}.")
    return households_in(_FUNNEL_FAMILIES, {"stage": stage, "year": year})


# --- Progress against commitments and targets ----------------------------------------------------


def percent_of(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


@dataclass(frozen=True)
class YearProgress:
    financial_year: int
    committed: int
    started: int

    @property
    def label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def share(self) -> Decimal | None:
        return percent_of(self.started, self.committed)


@dataclass(frozen=True)
class CohortTarget:
    """``percent`` of the whole cohort (``size`` families) started by the end of ``by``."""

    size: int
    from_commitments: bool
    percent: int
    by: int
    started: int

    @property
    def deadline(self) -> date:
        return date(self.by + 1, 3, 31)

    @property
    def needed(self) -> int:
        return math.ceil(self.size * self.percent / 100)

    @property
    def still_needed(self) -> int:
        return max(self.needed - self.started, 0)

    @property
    def met(self) -> bool:
        return self.started * 100 >= self.size * self.percent

    @property
    def share(self) -> Decimal | None:
        return percent_of(self.started, self.size)


@dataclass(frozen=True)
class Progress:
    years: list[YearProgress]
    # The year-two funding test on the first committed year, if any year is committed.
    year_one: YearProgress | None
    year_two: YearTwoTest | None
    cohort: CohortTarget | None


def progress(*, funnel: Funnel, targets: Targets) -> Progress:
    """Families started (attached) against each year's commitment, the year-two funding test
    and the whole-cohort target. One query (the commitments) beside the funnel's."""
    committed = dict(Commitment.objects.values_list("financial_year", "families"))
    started = {row.financial_year: row["attached"] for row in funnel.years}
    years = [
        YearProgress(year, committed.get(year, 0), started.get(year, 0))
        for year in sorted(set(committed) | {y for y, n in started.items() if n})
    ]
    committed_years = [y for y in years if y.committed]
    year_one = committed_years[0] if committed_years else None
    size = targets.cohort_size or sum(committed.values())
    cohort = (
        CohortTarget(
            size=size,
            from_commitments=not targets.cohort_size,
            percent=targets.cohort_started_percent,
            by=targets.cohort_started_by,
            started=sum(n for year, n in started.items() if year <= targets.cohort_started_by),
        )
        if size
        else None
    )
    return Progress(
        years=years,
        year_one=year_one,
        year_two=(
            year_two_test(committed=year_one.committed, started=year_one.started)
            if year_one
            else None
        ),
        cohort=cohort,
    )
