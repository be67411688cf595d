"""Results achieved by type over time: each family's result counted in the financial quarter
a results run first found it achieved."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from claims.models import financial_year_label
from dashboards.selectors.common import fetch, fy_sql, households_in
from families.models import Household
from outcomes.models import ResultType

# Quarters of the financial year: April-June is the first.
_QUARTER = "((extract(month FROM first_achieved_on)::int + 8) %% 12) / 3 + 1"

_BY_QUARTER = f"""
SELECT {fy_sql("first_achieved_on")} AS fy, {_QUARTER} AS quarter, result, count(*)
FROM outcomes_firstachieved
GROUP BY 1, 2, 3
"""

_FAMILIES = f"""
SELECT household_id FROM outcomes_firstachieved
WHERE result = %(result)s
  AND (%(year)s::int IS NULL OR {fy_sql("first_achieved_on")} = %(year)s::int)
  AND (%(quarter)s::int IS NULL OR {_QUARTER} = %(quarter)s::int)
"""

RESULTS = tuple(ResultType)


@dataclass(frozen=True)
class Quarter:
    financial_year: int
    quarter: int
    counts: dict[str, int]
    # Running totals by result up to and including this quarter.
    cumulative: dict[str, int]

    @property
    def label(self) -> str:
        return f"{financial_year_label(self.financial_year)} Q{self.quarter}"

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(result, 0) for result in RESULTS]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def results_by_quarter() -> list[Quarter]:
    """Results first achieved in each quarter, every quarter from the first to the last shown
    (a quiet quarter is a zero, not a gap). One query."""
    counts: dict[tuple[int, int], dict[str, int]] = {}
    for year, quarter, result, count in fetch(_BY_QUARTER):
        counts.setdefault((year, quarter), {})[result] = count
    if not counts:
        return []
    first, last = min(counts), max(counts)
    quarters = []
    running = dict.fromkeys(RESULTS, 0)
    year, quarter = first
    while (year, quarter) <= last:
        these = counts.get((year, quarter), {})
        for result in RESULTS:
            running[result] += these.get(result, 0)
        quarters.append(Quarter(year, quarter, these, dict(running)))
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    return quarters


def result_households(
    *, result: str, year: int | None = None, quarter: int | None = None
) -> QuerySet[Household]:
    """The families behind one figure: those first achieving ``result`` in the quarter."""
    if result not in ResultType.values:
        raise ValueError(f"No result {result!r}.")
    return households_in(_FAMILIES, {"result": result, "year": year, "quarter": quarter})
