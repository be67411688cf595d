"""Reads of results that pages, exports and other apps share. Each is a fixed number of
queries, however many families or records there are."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from families.dates import last_three_terms
from families.models import Household
from outcomes.facts import EMPLOYMENT_DAYS
from outcomes.models import FamilyResult, FirstAchieved, ResultsRun, ResultState, ResultType


def current_run() -> ResultsRun | None:
    """The run the pages show: the successful run with the latest claim day (the latest
    finished among runs of that day). A failed run never replaces it."""
    return (
        ResultsRun.objects.filter(status=ResultsRun.Status.SUCCEEDED)
        .order_by("-as_of", "-finished_at", "-id")
        .first()
    )


# --- A family's results now ----------------------------------------------------------------------


@dataclass(frozen=True)
class ResultNow:
    result: str
    label: str
    state: str
    state_label: str
    reason: str
    first_achieved_on: date | None
    # What the data officer can do about a result not achieved for want of data.
    why_not_yet: str = ""


def _why_not_yet(family_result: FamilyResult, as_of: date) -> str:
    education = (family_result.details or {}).get("measures", {}).get("education", {})
    missing = education.get("missing_attendance")
    if family_result.state != ResultState.NOT_ACHIEVED or not missing:
        return ""
    children = [f"{name} ({age})" for name, age in missing]
    terms = [str(term) for term in last_three_terms(as_of)]
    return (
        f"The schools' attendance extract has no rows for {_listed(children)} in "
        f"{_listed(terms)}. Ask the school for the attendance data of those terms and import "
        "it: until then the education measure cannot be evidenced."
    )


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def family_results_now(household: Household, run: ResultsRun | None) -> list[ResultNow]:
    """The family's three results in ``run``, with the day each was first achieved."""
    if run is None:
        return []
    stored = {r.result: r for r in FamilyResult.objects.filter(run=run, household=household)}
    first = dict(
        FirstAchieved.objects.filter(household=household).values_list("result", "first_achieved_on")
    )
    return [
        ResultNow(
            result=result.value,
            label=result.label,
            state=stored[result].state,
            state_label=ResultState(stored[result].state).label,
            reason=stored[result].reason,
            first_achieved_on=first.get(result),
            why_not_yet=_why_not_yet(stored[result], run.as_of),
        )
        for result in ResultType
        if result in stored
    ]


# --- Close to a result ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CloseToResult:
    household_id: int
    ref: str
    key_worker: str
    result: str
    label: str
    what_is_left: str
    # For ordering: the smaller, the closer.
    distance: int


def _what_is_left(family_result: FamilyResult) -> tuple[str, int] | None:
    details = family_result.details or {}
    if family_result.result == ResultType.CONTINUOUS_EMPLOYMENT:
        days = details.get("days_so_far", 0)
        if days <= 0:
            return None
        weeks = math.ceil((EMPLOYMENT_DAYS - days) / 7)
        return f"{weeks} more week{'s' if weeks != 1 else ''} of employment", weeks
    if family_result.result != ResultType.CRIME_ASB_EDUCATION:
        return None
    if details.get("measures_achieved") and details.get("work_done_on"):
        done = date.fromisoformat(details["work_done_on"])
        return f"every measure met; six months of work complete on {done:%-d %B %Y}", 1
    over = [
        (name, figures["recent"] - figures["allowed"])
        for name, figures in details.get("measures", {}).items()
        if figures.get("state") == ResultState.NOT_ACHIEVED and "allowed" in figures
    ]
    others_fine = all(
        figures.get("state") != ResultState.NOT_ACHIEVED or "allowed" in figures
        for figures in details.get("measures", {}).values()
    )
    if over and others_fine and all(excess <= 2 for _, excess in over):
        words = {"asb": ("ASB event", "ASB events"), "youth_offending": ("offence", "offences")}
        parts = [
            f"{excess} fewer {words[name][0] if excess == 1 else words[name][1]}"
            for name, excess in over
        ]
        return " and ".join(parts) + " in the last 6 months", sum(e for _, e in over) * 4
    return None


def close_to_result(run: ResultsRun | None, *, key_worker=None) -> list[CloseToResult]:
    """Families not yet there but close: weeks of employment left, six months of work still
    to pass, or one or two events too many. Only ``key_worker``'s families if given."""
    if run is None:
        return []
    rows = (
        FamilyResult.objects.filter(
            run=run,
            state=ResultState.NOT_ACHIEVED,
            result__in=[ResultType.CONTINUOUS_EMPLOYMENT, ResultType.CRIME_ASB_EDUCATION],
        )
        .select_related("household", "case_file__key_worker")
        .order_by("household__ref", "result")
    )
    if key_worker is not None:
        rows = rows.filter(case_file__key_worker=key_worker)
    close = []
    for row in rows:
        left = _what_is_left(row)
        if left is None:
            continue
        worker = row.case_file.key_worker
        close.append(
            CloseToResult(
                household_id=row.household_id,
                ref=row.household.ref,
                key_worker=worker.get_full_name() or worker.username,
                result=row.result,
                label=ResultType(row.result).label,
                what_is_left=left[0],
                distance=left[1],
            )
        )
    return sorted(close, key=lambda c: (c.distance, c.ref))
