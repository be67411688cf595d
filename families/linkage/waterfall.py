"""The review page's waterfall: how each field moved a candidate's match weight.

A match weight is the log2 of the odds that the two records are one person; the prior
starts it, and every field adds (agrees) or takes away (disagrees). Drawn on the server as
SVG bars, so the chart needs no script and the table beside it says the same in numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 150
BAR_HEIGHT = 22
GAP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    level: str
    weight: float
    # SVG geometry, in the chart's own units.
    x: float
    y: float
    width: float
    positive: bool
    total: bool = False


@dataclass(frozen=True)
class Waterfall:
    bars: list[Bar]
    height: int
    zero_x: float
    final_weight: float


def waterfall(contributions: list[dict]) -> Waterfall:
    """Bars for the prior and each field (as ``score_candidates`` wrote them), then the
    total: each bar runs from the running total before it to the one after."""
    steps = [
        (c.get("label", c["field"]), c.get("level", ""), c["match_weight"]) for c in contributions
    ]
    running = [0.0]
    for _, _, weight in steps:
        running.append(running[-1] + weight)
    final = running[-1]
    low, high = min(running + [0.0]), max(running + [0.0])
    span = (high - low) or 1.0
    scale = (WIDTH - LABEL_WIDTH - 10) / span

    def x_of(value: float) -> float:
        return LABEL_WIDTH + (value - low) * scale

    bars = []
    for index, (label, level, weight) in enumerate(steps):
        start, end = running[index], running[index + 1]
        bars.append(
            Bar(
                label=label,
                level=level,
                weight=weight,
                x=round(x_of(min(start, end)), 1),
                y=index * (BAR_HEIGHT + GAP),
                width=round(max(abs(end - start) * scale, 1.0), 1),
                positive=weight >= 0,
            )
        )
    bars.append(
        Bar(
            label="Match weight",
            level="",
            weight=final,
            x=round(x_of(min(0.0, final)), 1),
            y=len(steps) * (BAR_HEIGHT + GAP),
            width=round(max(abs(final) * scale, 1.0), 1),
            positive=final >= 0,
            total=True,
        )
    )
    height = (len(steps) + 1) * (BAR_HEIGHT + GAP)
    return Waterfall(bars=bars, height=height, zero_x=round(x_of(0.0), 1), final_weight=final)
