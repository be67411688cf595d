"""The families behind a dashboard figure, named by the figure's query string
(``?figure=funnel&stage=attached&year=2013``). Access rules are applied by the view."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from accounts.models import User
from claims.models import financial_year_label
from dashboards.selectors.caseloads import MEASURES, caseload_households
from dashboards.selectors.progress import STAGES, funnel_households
from dashboards.selectors.results import result_households
from dashboards.selectors.value import GROUPS, value_households
from families.models import Household
from outcomes.models import ResultType


class UnknownFigure(ValueError):
    pass


@dataclass(frozen=True)
class Behind:
    title: str
    households: QuerySet[Household]


def _number(query: Mapping[str, str], name: str) -> int | None:
    value = query.get(name) or None
    if value is None:
        return None
    try:
        return int(value)
    except ValueError as error:
        raise UnknownFigure(f"{name} must be a number.") from error


def _choice(query: Mapping[str, str], name: str, choices: dict[str, str]) -> str:
    value = query.get(name, "")
    if value not in choices:
        raise UnknownFigure(f"No {name} {value!r}.")
    return value


def _year_words(year: int | None) -> str:
    return "in every year" if year is None else f"in {financial_year_label(year)}"


def _funnel(query, today: date) -> Behind:
    stage = _choice(query, "stage", dict(STAGES))
    year = _number(query, "year")
    words = dict(STAGES)[stage]
    return Behind(
        f"Families {words[0].lower()}{words[1:]} {_year_words(year)}",
        funnel_households(stage=stage, year=year),
    )


def _caseload(query, today: date) -> Behind:
    measure = _choice(query, "measure", {key: label for key, (label, _) in MEASURES.items()})
    worker_id = _number(query, "worker")
    whose = "every key worker"
    if worker_id is not None:
        worker = User.objects.filter(pk=worker_id).first()
        if worker is None:
            raise UnknownFigure("No such key worker.")
        whose = worker.get_full_name() or worker.username
    return Behind(
        f"{MEASURES[measure][0]}: {whose}",
        caseload_households(key_worker_id=worker_id, measure=measure, today=today),
    )


def _results(query, today: date) -> Behind:
    result = _choice(query, "result", dict(ResultType.choices))
    year, quarter = _number(query, "year"), _number(query, "quarter")
    if quarter is not None and year is None:
        raise UnknownFigure("A quarter needs its year.")
    when = _year_words(year) if quarter is None else f"in {financial_year_label(year)} Q{quarter}"
    return Behind(
        f"Families first achieving {ResultType(result).label.lower()} {when}",
        result_households(result=result, year=year, quarter=quarter),
    )


def _value(query, today: date) -> Behind:
    group = _choice(query, "group", dict(GROUPS))
    return Behind(dict(GROUPS)[group], value_households(group=group))


FIGURES = {"funnel": _funnel, "caseload": _caseload, "results": _results, "value": _value}


def households_behind(query: Mapping[str, str], *, today: date) -> Behind:
    """The families behind the figure ``query`` names; ``UnknownFigure`` if it names none."""
    figure = FIGURES.get(query.get("figure", ""))
    if figure is None:
        raise UnknownFigure("No such figure.")
    return figure(query, today)
