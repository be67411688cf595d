"""A dashboard figure: the table a chart is drawn from, the chart, and the CSV export, all made
from the same rows so that the three can never disagree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from urllib.parse import urlencode

from django.urls import reverse

# GOV.UK Design System colours, in the order series take them; each is distinguishable from
# its neighbours for the commonest colour-vision deficiencies.
COLOURS = ("#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#28a197", "#505a5f")
LIMIT_COLOUR = "#d4351c"


@dataclass(frozen=True)
class Cell:
    text: str
    # What the CSV export holds (a number stays a number there).
    value: object
    href: str = ""
    numeric: bool = False
    # A GOV.UK tag colour ("red", "green"...) to show the text as a tag.
    tag: str = ""


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    columns: Sequence[tuple[str, bool]]  # (heading, numeric)
    rows: list[list[Cell]]
    foot: list[Cell] | None = None
    chart: dict | None = None
    # What the chart shows, for screen readers (the table carries the figures).
    chart_label: str = ""
    description: str = ""

    def csv_header(self) -> list[str]:
        return [heading for heading, _ in self.columns]

    def csv_rows(self) -> list[list[object]]:
        rows = self.rows + ([self.foot] if self.foot else [])
        return [[cell.value for cell in row] for row in rows]


# --- Cells --------------------------------------------------------------------------------------


def text(value: str, href: str = "", tag: str = "") -> Cell:
    return Cell(value, value, href=href, tag=tag)


def count(value: int, href: str = "") -> Cell:
    return Cell(f"{value:,}", value, href=href if value else "", numeric=True)


def money(value: Decimal, href: str = "") -> Cell:
    return Cell(f"£{value:,.2f}", value, href=href if value else "", numeric=True)


def percent(value: Decimal | None) -> Cell:
    return Cell("–" if value is None else f"{value}%", value, numeric=True)


def optional_money(value: Decimal | None) -> Cell:
    return Cell("–", None, numeric=True) if value is None else money(value)


@cache
def _families_url() -> str:
    return reverse("dashboards:families")


def drill_down(**params: object) -> str:
    """The drill-down page listing the families behind a figure (reversed once: a caseload
    table links hundreds of figures)."""
    query = {name: value for name, value in params.items() if value is not None}
    return _families_url() + "?" + urlencode(query)


def link(url_name: str, *args: object, **params: object) -> str:
    url = reverse(url_name, args=args)
    return url + ("?" + urlencode(params) if params else "")


# --- Charts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    label: str
    data: Sequence[float | int | Decimal]
    colour: str = ""


@dataclass(frozen=True)
class Limit:
    """A level drawn across the chart, such as the caseload limit."""

    label: str
    value: float | int


@dataclass(frozen=True)
class Axis:
    title: str
    money: bool = False
    stacked: bool = False
    whole_numbers: bool = True


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    axis: Axis,
    limit: Limit | None = None,
    x_title: str = "",
) -> dict:
    """A Chart.js bar chart's configuration (``static/dashboards/charts.js`` draws it)."""
    datasets: list[dict] = [
        {
            "label": one.label,
            "data": [float(value) for value in one.data],
            "backgroundColor": one.colour or COLOURS[index % len(COLOURS)],
            "borderColor": one.colour or COLOURS[index % len(COLOURS)],
        }
        for index, one in enumerate(series)
    ]
    if limit is not None:
        datasets.append(
            {
                "type": "line",
                "label": limit.label,
                "data": [limit.value] * len(labels),
                "borderColor": LIMIT_COLOUR,
                "backgroundColor": LIMIT_COLOUR,
                "borderDash": [6, 4],
                "pointRadius": 0,
                "fill": False,
            }
        )
    y_axis: dict = {
        "beginAtZero": True,
        "stacked": axis.stacked,
        "title": {"display": True, "text": axis.title},
    }
    if axis.whole_numbers and not axis.money:
        y_axis["ticks"] = {"precision": 0}
    return {
        "type": "bar",
        "money": axis.money,
        "data": {"labels": list(labels), "datasets": datasets},
        "options": {
            "responsive": True,
            "maintainAspectRatio": False,
            "animation": False,
            "scales": {
                "x": {
                    "stacked": axis.stacked,
                    "title": {"display": bool(x_title), "text": x_title},
                },
                "y": y_axis,
            },
        },
    }


def chart_configs(figures: Sequence[Figure]) -> dict[str, dict]:
    """The charts of a page keyed as its canvases name them, for ``json_script``."""
    return {figure.key: figure.chart for figure in figures if figure.chart and figure.rows}
