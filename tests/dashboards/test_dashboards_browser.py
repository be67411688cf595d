"""Every dashboard in headless Chromium: charts drawn from their tables' figures, axe clean."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dashboards.models import Targets
from tests.browser import assert_accessible, sign_in
from tests.factories import (
    CaseNoteFactory,
    ClaimWindowFactory,
    CommitmentFactory,
    FamilyResultFactory,
    InterventionFactory,
    ResultsRunFactory,
    TaskFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def county(programme):
    """The hand-counted programme, with commitments, spend, tasks, a note and a results run."""
    CommitmentFactory(financial_year=2012, families=2)
    CommitmentFactory(financial_year=2013, families=3)
    Targets.objects.create(caseload_limit=1)
    for case_file in (programme["h3"], programme["h4"]):
        InterventionFactory(case_file=case_file, cost=Decimal("750.00"))
    TaskFactory(case_file=programme["h3"], due_on=timezone.localdate())
    CaseNoteFactory(case_file=programme["h7"])
    run = ResultsRunFactory(as_of=date(2015, 3, 31))
    FamilyResultFactory(run=run, case_file=programme["h4"], state="achieved")
    ClaimWindowFactory(name="2015-06", assess_on=date(2015, 6, 30))
    return programme


def charts_drawn(page, *keys: str) -> None:
    for key in keys:
        canvas = page.locator(f'canvas[data-chart="{key}"]')
        expect(canvas).to_be_visible()
        assert canvas.evaluate("c => c.chart !== undefined && c.width > 0"), key


def test_a_coordinator_goes_through_every_dashboard(page, live_server, coordinator, county):
    sign_in(page, live_server, coordinator)
    page.get_by_role("link", name="Dashboards", exact=True).click()

    expect(
        page.get_by_role("heading", name="Progress against commitments and targets", level=1)
    ).to_be_visible()
    charts_drawn(page, "commitments", "funnel")
    expect(page.get_by_text("Half the year-two fees")).to_be_visible()
    assert_accessible(page)

    funnel = page.locator('table[data-figure="funnel"]')
    funnel.locator("tfoot").get_by_role("link", name="3").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Families attached (work started) in every year"
    )
    expect(page.get_by_text("3 families.")).to_be_visible()
    assert_accessible(page)

    for tab, heading, charts in (
        ("Key-worker caseloads", "Key-worker caseloads", ("caseloads",)),
        ("Results achieved", "Results achieved", ("results",)),
        ("Value for money", "Value for money", ("value",)),
        ("Income and claims", "Income and claims", ("windows", "forecast")),
        ("Data freshness", "Data freshness", ()),
    ):
        page.get_by_role("navigation", name="Dashboards").get_by_role("link", name=tab).click()
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        charts_drawn(page, *charts)
        assert_accessible(page)

    page.get_by_role("navigation", name="Dashboards").get_by_role(
        "link", name="Targets", exact=True
    ).click()
    assert_accessible(page)
    page.get_by_label("Most active families per key worker").fill("5")
    page.get_by_role("button", name="Save the targets").click()
    expect(page.get_by_text("Targets saved.")).to_be_visible()
    assert Targets.current().caseload_limit == 5


def test_the_caseloads_chart_flags_the_overloaded_key_worker(
    page, live_server, coordinator, county
):
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + reverse("dashboards:caseloads"))
    expect(page.get_by_text("Overloaded").first).to_be_visible()
    limit = page.locator('canvas[data-chart="caseloads"]').evaluate(
        "c => c.chart.data.datasets.find(d => d.type === 'line').data[0]"
    )
    assert limit == 1


def test_a_key_workers_dashboard(page, live_server, key_worker, county):
    sign_in(page, live_server, key_worker)
    page.get_by_role("link", name="Dashboards", exact=True).click()

    expect(page.get_by_role("heading", name="My dashboard", level=1)).to_be_visible()
    charts_drawn(page, "contact")
    table = page.locator('table[data-figure="contact"]')
    expect(table.get_by_role("link", name="H00003")).to_be_visible()
    expect(table.get_by_role("link", name="H00004")).to_have_count(0)
    assert_accessible(page)


def test_a_finance_officers_dashboard_and_its_csv(page, live_server, finance_officer, county):
    sign_in(page, live_server, finance_officer)
    page.get_by_role("link", name="Dashboards", exact=True).click()

    expect(page.get_by_role("heading", name="Income and claims", level=1)).to_be_visible()
    charts_drawn(page, "windows", "forecast")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role(
            "region", name="Claim windows: the money in each state", exact=True
        ).get_by_role("link", name="Download these figures (CSV)").click()
    assert download.value.suggested_filename.startswith("finance-windows-")
