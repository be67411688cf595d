"""The discretion explorer: what each concern type would do as the local-discretion criterion.

A family is eligible with three national criteria, or with two and an open concern of a
chosen type (programme-rules.md, Identification). Which concern types to choose is the
council's, and a choice is only as good as the families it would take in or leave out. So
every household is assessed for the day asked with every open concern kept, whatever type:
the reason rows are those of ``families.eligibility`` (the rules are written once), grouped
per household into the national criteria met and the concern types open. Every figure —
per type, and for the selection being drafted — is then a ``count(*) FILTER`` over those
households in the same statement, and the families behind a figure are the same condition as
a ``WHERE``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.db import connection

from families.eligibility import reasons_sql
from families.models import Concern

# Households with two or three national criteria, and the concern types open for them (the
# only households any choice of concern types can make or unmake eligible, or leaves
# eligible whatever the choice).
_HOUSEHOLDS_SQL = """
WITH {reasons},
households AS (
    SELECT household_id,
           bool_or(criterion = 1) AS crime_asb,
           bool_or(criterion = 2) AS education,
           bool_or(criterion = 3) AS work,
           coalesce(array_agg(DISTINCT concern::text) FILTER (WHERE criterion = 4), '{{}}')
               AS concerns
    FROM reasons
    GROUP BY household_id
),
candidates AS MATERIALIZED (
    SELECT *, crime_asb::int + education::int + work::int AS national
    FROM households
    WHERE crime_asb::int + education::int + work::int >= 2
)
"""


class Figure(StrEnum):
    """A figure of the explorer; each is a condition on a candidate household."""

    # Per concern type (``{type}``), against the setting in force (``current``):
    ADDS = "adds"  # made eligible if the type were chosen
    DROPS = "drops"  # no longer eligible if the type were removed
    # For the selection being drafted (``draft``), against the setting in force:
    ELIGIBLE_NOW = "eligible_now"
    ELIGIBLE = "eligible"
    ADDED = "added"
    DROPPED = "dropped"


PER_TYPE = (Figure.ADDS, Figure.DROPS)

# The conditions, over ``candidates``; ``{type}`` is the concern type of a per-type figure.
_CURRENT, _DRAFT = "%(current)s::text[]", "%(draft)s::text[]"
_CONDITIONS = {
    Figure.ADDS: f"national = 2 AND {{type}} = ANY(concerns) AND NOT concerns && {_CURRENT}",
    Figure.DROPS: f"national = 2 AND {{type}} = ANY(concerns) AND {{type}} = ANY({_CURRENT})"
    f" AND NOT concerns && array_remove({_CURRENT}, {{type}})",
    Figure.ELIGIBLE_NOW: f"national = 3 OR concerns && {_CURRENT}",
    Figure.ELIGIBLE: f"national = 3 OR concerns && {_DRAFT}",
    Figure.ADDED: f"national = 2 AND concerns && {_DRAFT} AND NOT concerns && {_CURRENT}",
    Figure.DROPPED: f"national = 2 AND concerns && {_CURRENT} AND NOT concerns && {_DRAFT}",
}

# Every per-type figure for every type in one pass: the types as rows, each joined to the
# households with a concern of that type open; the selection's figures beside them.
_SUMMARY_SQL = (
    _HOUSEHOLDS_SQL
    + """,
per_type AS (
    SELECT t.type, t.n, {per_type}
    FROM unnest(%(types)s::text[]) WITH ORDINALITY AS t(type, n)
    LEFT JOIN candidates c ON t.type = ANY(c.concerns)
    GROUP BY t.type, t.n
),
selection AS (SELECT {selection} FROM candidates)
SELECT per_type.*, selection.* FROM per_type CROSS JOIN selection ORDER BY per_type.n
"""
)

_FAMILIES_SQL = (
    _HOUSEHOLDS_SQL
    + """
SELECT h.ref, h.member_names, h.postcodes, c.crime_asb, c.education, c.work, c.concerns,
       count(*) OVER ()
FROM candidates c JOIN families_household h ON h.id = c.household_id
WHERE {condition}
ORDER BY h.ref
LIMIT %(limit)s OFFSET %(offset)s
"""
)


@dataclass(frozen=True)
class TypeFigures:
    concern_type: str
    label: str
    chosen: bool
    adds: int
    drops: int


@dataclass(frozen=True)
class Exploration:
    as_of: date
    current: tuple[str, ...]
    draft: tuple[str, ...]
    types: list[TypeFigures]
    eligible_now: int
    eligible: int
    added: int
    dropped: int


@dataclass(frozen=True)
class CandidateFamily:
    ref: str
    names: str
    postcodes: str
    national: str
    concerns: str


def _ordered(types: Sequence[str]) -> list[str]:
    """Known concern types in the programme's order (data-formats.md)."""
    return [value for value in Concern.Type.values if value in types]


def _params(as_of: date, current: Sequence[str], draft: Sequence[str]):
    # Every open concern is a reason row here, whatever the setting: the figures say what
    # each type would do.
    reasons, params = reasons_sql(as_of, concern_types=list(Concern.Type.values))
    params |= {"current": _ordered(current), "draft": _ordered(draft)}
    return reasons, params


def explore(*, as_of: date, current: Sequence[str], draft: Sequence[str]) -> Exploration:
    """Every concern type's figures and the drafted selection's, in one statement."""
    reasons, params = _params(as_of, current, draft)
    params["types"] = list(Concern.Type.values)
    per_type = ", ".join(
        f"count(c.household_id) FILTER (WHERE {_CONDITIONS[f].format(type='t.type')}) AS {f}"
        for f in PER_TYPE
    )
    selection = ", ".join(
        f"count(*) FILTER (WHERE {_CONDITIONS[f]}) AS {f}"
        for f in (Figure.ELIGIBLE_NOW, Figure.ELIGIBLE, Figure.ADDED, Figure.DROPPED)
    )
    sql = _SUMMARY_SQL.format(reasons=reasons, per_type=per_type, selection=selection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    labels = dict(Concern.Type.choices)
    first = rows[0]
    return Exploration(
        as_of=as_of,
        current=tuple(params["current"]),
        draft=tuple(params["draft"]),
        types=[
            TypeFigures(
                concern_type=row[0],
                label=labels[row[0]],
                chosen=row[0] in params["current"],
                adds=row[2],
                drops=row[3],
            )
            for row in rows
        ],
        eligible_now=first[4],
        eligible=first[5],
        added=first[6],
        dropped=first[7],
    )


def figure_families(
    *,
    as_of: date,
    figure: Figure,
    current: Sequence[str],
    draft: Sequence[str] = (),
    concern_type: str = "",
    limit: int,
    offset: int,
) -> tuple[int, list[CandidateFamily]]:
    """The families behind one figure, by family reference: how many, and those from
    ``offset`` (at most ``limit``), in one statement."""
    reasons, params = _params(as_of, current, draft)
    params |= {"type": concern_type, "limit": limit, "offset": offset}
    condition = _CONDITIONS[figure].format(type="%(type)s::text")
    with connection.cursor() as cursor:
        cursor.execute(_FAMILIES_SQL.format(reasons=reasons, condition=condition), params)
        rows = cursor.fetchall()
    labels = dict(Concern.Type.choices)
    families = [
        CandidateFamily(
            ref=ref,
            names=names,
            postcodes=postcodes,
            national=", ".join(
                name
                for name, met in (("crime/ASB", crime), ("education", education), ("work", work))
                if met
            ),
            concerns=", ".join(labels[c] for c in _ordered(concerns)) or "none",
        )
        for ref, names, postcodes, crime, education, work, concerns, _total in rows
    ]
    return (rows[0][-1] if rows else 0), families
