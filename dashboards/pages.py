"""Each dashboard page: its figures (table, chart and CSV from the same rows) and whatever else
it shows, built from the selectors. Views and exports both call these, so a download holds
exactly what the page showed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from accounts.roles import Role
from dashboards.figures import (
    Axis,
    Cell,
    Figure,
    Limit,
    Series,
    bar_chart,
    count,
    drill_down,
    link,
    money,
    optional_money,
    percent,
    text,
)
from dashboards.models import Targets
from dashboards.selectors.caseloads import NO_CONTACT_DAYS, caseloads
from dashboards.selectors.finance import (
    EXCLUDED,
    STATES,
    WITHDRAWN,
    forecast,
    income_to_date,
    next_window,
    rate_cards_with_commitments,
    totals_by_state,
    windows,
)
from dashboards.selectors.freshness import eligibility_runs, imports_by_kind, results_runs
from dashboards.selectors.key_worker import TASKS_AHEAD_DAYS, key_worker_dashboard
from dashboards.selectors.progress import STAGE_KEYS, STAGES, Funnel, Progress, funnel, progress
from dashboards.selectors.results import RESULTS, results_by_quarter
from dashboards.selectors.value import value_for_money

COORDINATOR, KEY_WORKER, FINANCE = Role.COORDINATOR, Role.KEY_WORKER, Role.FINANCE_OFFICER


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    roles: frozenset[Role]
    build: Callable[..., dict]


# --- Coordinator: progress -----------------------------------------------------------------------


def funnel_figure(found: Funnel) -> Figure:
    def cells(row) -> list:
        return [
            count(row[stage], drill_down(figure="funnel", stage=stage, year=row.financial_year))
            for stage in STAGE_KEYS
        ]

    return Figure(
        key="funnel",
        title="From identification to claim, by financial year",
        description="Each family counts in the financial year it reached each stage.",
        columns=[("Financial year", False), *((label, True) for _, label in STAGES)],
        rows=[[text(row.label), *cells(row)] for row in found.years],
        foot=[text("All years"), *cells(found.total)],
        chart=bar_chart(
            [row.label for row in found.years],
            [Series(label, [row[stage] for row in found.years]) for stage, label in STAGES],
            axis=Axis("Families"),
        ),
        chart_label="Bar chart of the families identified, confirmed, attached, with a result "
        "and claimed in each financial year; the table below has the same figures.",
    )


def commitments_figure(found: Progress) -> Figure:
    return Figure(
        key="commitments",
        title="Families started against each year's commitment",
        columns=[
            ("Financial year", False),
            ("Families committed", True),
            ("Families started", True),
            ("Share of commitment started", True),
        ],
        rows=[
            [
                text(year.label),
                count(year.committed),
                count(
                    year.started,
                    drill_down(figure="funnel", stage="attached", year=year.financial_year),
                ),
                percent(year.share),
            ]
            for year in found.years
        ],
        chart=bar_chart(
            [year.label for year in found.years],
            [
                Series("Families committed", [year.committed for year in found.years]),
                Series("Families started", [year.started for year in found.years]),
            ],
            axis=Axis("Families"),
        ),
        chart_label="Bar chart of the families committed and started in each financial year; "
        "the table below has the same figures.",
    )


def progress_page(*, user, today: date) -> dict:
    targets = Targets.current()
    found = funnel()
    against = progress(funnel=found, targets=targets)
    return {
        "progress": against,
        "figures": [commitments_figure(against), funnel_figure(found)],
    }


# --- Coordinator: caseloads ----------------------------------------------------------------------


def caseloads_page(*, user, today: date) -> dict:
    limit = Targets.current().caseload_limit
    workers = caseloads(today=today, limit=limit)

    def figure(worker_id: int | None, measure: str) -> str:
        return drill_down(figure="caseload", worker=worker_id, measure=measure)

    rows = [
        [
            text(worker.name),
            count(worker.active, figure(worker.user_id, "active")),
            count(worker.paused),
            count(worker.closure_requested),
            count(worker.overdue_tasks),
            count(worker.families_with_overdue_tasks, figure(worker.user_id, "overdue")),
            count(worker.no_contact, figure(worker.user_id, "no_contact")),
            count(worker.longest_without_contact)
            if worker.longest_without_contact is not None
            else text("–"),
            text("Overloaded", tag="red") if worker.overloaded else text("Within the limit"),
        ]
        for worker in workers
    ]
    overloaded = [worker for worker in workers if worker.overloaded]
    foot = [
        text("Every key worker"),
        count(sum(w.active for w in workers), figure(None, "active")),
        count(sum(w.paused for w in workers)),
        count(sum(w.closure_requested for w in workers)),
        count(sum(w.overdue_tasks for w in workers)),
        count(sum(w.families_with_overdue_tasks for w in workers), figure(None, "overdue")),
        count(sum(w.no_contact for w in workers), figure(None, "no_contact")),
        text(""),
        text(f"{len(overloaded)} overloaded"),
    ]
    return {
        "limit": limit,
        "overloaded": overloaded,
        "no_contact_days": NO_CONTACT_DAYS,
        "figures": [
            Figure(
                key="caseloads",
                title="Key-worker caseloads",
                description=f"Active families are those whose case is not closed. A key worker "
                f"with more than {limit} is overloaded.",
                columns=[
                    ("Key worker", False),
                    ("Active families", True),
                    ("Paused", True),
                    ("Closure requested", True),
                    ("Overdue tasks", True),
                    ("Families with overdue tasks", True),
                    (f"No contact for {NO_CONTACT_DAYS} days", True),
                    ("Longest without contact (days)", True),
                    ("Caseload", False),
                ],
                rows=rows,
                foot=foot,
                chart=bar_chart(
                    [worker.name for worker in workers],
                    [Series("Active families", [worker.active for worker in workers])],
                    axis=Axis("Active families"),
                    limit=Limit(f"Caseload limit ({limit})", limit),
                ),
                chart_label="Bar chart of each key worker's active families against the "
                "caseload limit; the table below has the same figures.",
            )
        ],
    }


# --- Coordinator: results ------------------------------------------------------------------------


def results_page(*, user, today: date) -> dict:
    quarters = results_by_quarter()

    def cell(quarter, result) -> object:
        return count(
            quarter.counts.get(result, 0),
            drill_down(
                figure="results",
                result=result.value,
                year=quarter.financial_year,
                quarter=quarter.quarter,
            ),
        )

    return {
        "runs": results_runs(),
        "figures": [
            Figure(
                key="results",
                title="Results achieved by type, by quarter",
                description="Each family's result counts in the quarter a results run first "
                "found it achieved. Quarters are of the financial year: Q1 is April to June.",
                columns=[
                    ("Quarter", False),
                    *((result.label, True) for result in RESULTS),
                    ("All results", True),
                    ("All results to date", True),
                ],
                rows=[
                    [
                        text(quarter.label),
                        *(cell(quarter, result) for result in RESULTS),
                        count(quarter.total),
                        count(sum(quarter.cumulative.values())),
                    ]
                    for quarter in quarters
                ],
                chart=bar_chart(
                    [quarter.label for quarter in quarters],
                    [
                        Series(
                            result.label, [quarter.counts.get(result, 0) for quarter in quarters]
                        )
                        for result in RESULTS
                    ],
                    axis=Axis("Results first achieved", stacked=True),
                ),
                chart_label="Stacked bar chart of results first achieved each quarter by type "
                "of result; the table below has the same figures.",
            )
        ],
    }


# --- Coordinator: value for money ----------------------------------------------------------------


def value_page(*, user, today: date) -> dict:
    found = value_for_money()
    return {
        "value": found,
        "figures": [
            Figure(
                key="value",
                title="Intervention spend per family",
                description="Spend is the cost of every intervention planned, under way or "
                "completed, within a family's budget or approved beyond it; cancelled ones and "
                "requests refused or awaiting a decision are not counted.",
                columns=[
                    ("Families", False),
                    ("Number of families", True),
                    ("Intervention spend", True),
                    ("Spend per family", True),
                    ("Results payments claimed", True),
                ],
                rows=[
                    [
                        text(group.label),
                        count(group.families, drill_down(figure="value", group=group.key)),
                        money(group.spend),
                        optional_money(group.spend_per_family),
                        money(group.claimed),
                    ]
                    for group in found.groups
                ],
                chart=bar_chart(
                    [group.label for group in found.groups],
                    [
                        Series(
                            "Spend per family (£)",
                            [group.spend_per_family or 0 for group in found.groups],
                        )
                    ],
                    axis=Axis("Spend per family (£)", money=True),
                ),
                chart_label="Bar chart of the average intervention spend per family in each "
                "group; the table below has the same figures.",
            )
        ],
    }


# --- Coordinator: data freshness -----------------------------------------------------------------


def freshness_page(*, user, today: date) -> dict:
    return {
        "imports": imports_by_kind(today=today),
        "run_rows": [("Eligibility", eligibility_runs()), ("Results", results_runs())],
        "figures": [],
    }


# --- Finance -------------------------------------------------------------------------------------


def _claims_link(window: str, state: str) -> str:
    status = state if state in (WITHDRAWN, EXCLUDED) else "included"
    return link("claims:claims", window=window, status=status)


def finance_page(*, user, today: date) -> dict:
    rows = windows()
    totals = totals_by_state(rows)
    cards = rate_cards_with_commitments()
    expected = forecast(cards=cards)
    window_figure = Figure(
        key="windows",
        title="Claim windows: the money in each state",
        columns=[
            ("Window", False),
            ("Results as of", False),
            ("Pack", False),
            ("Families claimed", True),
            *((label, True) for _, label in STATES),
        ],
        rows=[
            [
                text(row.window.name),
                text(f"{row.window.assess_on:%-d %b %Y}"),
                text(row.pack.get_status_display() if row.pack else "Not built"),
                count(row.families),
                *(
                    money(amount, _claims_link(row.window.name, state))
                    for (state, _), amount in zip(STATES, row.cells, strict=True)
                ),
            ]
            for row in rows
        ],
        foot=[
            text("Every window"),
            text(""),
            text(""),
            text(""),
            *(money(totals[state]) for state, _ in STATES),
        ],
        chart=bar_chart(
            [row.window.name for row in rows],
            [
                Series(label, [row.cells[index] for row in rows])
                for index, (_, label) in enumerate(STATES)
            ],
            axis=Axis("Amount (£)", money=True, stacked=True),
        ),
        chart_label="Stacked bar chart of each claim window's claims by the state of their "
        "money; the table below has the same figures.",
    )
    forecast_figure = Figure(
        key="forecast",
        title="What the next window is likely to hold",
        description=(
            f"The claims a pack would make from the results assessed on "
            f"{expected.as_of:%-d %B %Y}, for every family with a result achieved and not yet "
            f"claimed."
            if expected.as_of
            else "No results run has been completed yet."
        ),
        columns=[("Result", False), ("Claims", True), ("Amount", True)],
        rows=[
            [text(label), count(claims, link("claims:ready")), money(amount)]
            for _, label, claims, amount in expected.rows
        ]
        if expected.as_of
        else [],
        foot=[text(f"{expected.families:,} families"), text(""), money(expected.amount)],
        chart=bar_chart(
            [label for _, label, _, _ in expected.rows],
            [Series("Amount (£)", [amount for _, _, _, amount in expected.rows])],
            axis=Axis("Amount (£)", money=True),
        ),
        chart_label="Bar chart of the amount likely to be claimed for each result in the next "
        "window; the table below has the same figures.",
    )
    return {
        "income": income_to_date(cards=cards, totals=totals),
        "totals": totals,
        "next_window": next_window(rows),
        "forecast": expected,
        "figures": [window_figure, forecast_figure],
    }


# --- Key worker ----------------------------------------------------------------------------------


def key_worker_page(*, user, today: date) -> dict:
    mine = key_worker_dashboard(user=user, today=today)
    families = sorted(
        mine.families,
        key=lambda family: (-family.days_since_contact, family.case_file.household.ref),
    )
    return {
        "mine": mine,
        "no_contact_days": NO_CONTACT_DAYS,
        "tasks_until": today + timedelta(days=TASKS_AHEAD_DAYS),
        "figures": [
            Figure(
                key="contact",
                title="My families: days since the last contact",
                description=f"The last contact is the latest case note, or the day the family "
                f"was attached before any. Families not seen for {NO_CONTACT_DAYS} days or more "
                f"are flagged.",
                columns=[
                    ("Family", False),
                    ("Status", False),
                    ("Last contact", False),
                    ("Days since contact", True),
                    ("Overdue tasks", True),
                ],
                rows=[
                    [
                        text(
                            family.case_file.household.ref,
                            href=link("casework:case_file", family.case_file.household.ref),
                        ),
                        text(family.case_file.get_status_display()),
                        text(f"{family.last_contact:%-d %b %Y}"),
                        Cell(
                            f"{family.days_since_contact:,}",
                            family.days_since_contact,
                            numeric=True,
                            tag="red" if family.no_contact else "",
                        ),
                        count(family.case_file.overdue_tasks),
                    ]
                    for family in families
                ],
                chart=bar_chart(
                    [family.case_file.household.ref for family in families],
                    [Series("Days since contact", [f.days_since_contact for f in families])],
                    axis=Axis("Days since the last contact"),
                    limit=Limit(f"{NO_CONTACT_DAYS} days", NO_CONTACT_DAYS),
                ),
                chart_label="Bar chart of the days since each of my families was last "
                f"contacted, against the {NO_CONTACT_DAYS}-day line; the table below has the "
                "same figures.",
            )
        ],
    }


PAGES = {
    page.key: page
    for page in (
        Page(
            "progress",
            "Progress against commitments and targets",
            frozenset({COORDINATOR}),
            progress_page,
        ),
        Page("caseloads", "Key-worker caseloads", frozenset({COORDINATOR}), caseloads_page),
        Page("results", "Results achieved", frozenset({COORDINATOR}), results_page),
        Page("value", "Value for money", frozenset({COORDINATOR}), value_page),
        Page("finance", "Income and claims", frozenset({FINANCE, COORDINATOR}), finance_page),
        Page("freshness", "Data freshness", frozenset({COORDINATOR}), freshness_page),
        Page("key_worker", "My dashboard", frozenset({KEY_WORKER}), key_worker_page),
    )
}
