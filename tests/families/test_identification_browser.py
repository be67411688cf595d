"""The identification journeys in headless Chromium, each page checked with axe-core."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from families.models import CohortDecision, EligibilityRun
from tests.browser import assert_accessible, sign_in
from tests.factories import (
    AsbEventFactory,
    BenefitSpellFactory,
    CurrentEligibilityFactory,
    EligibilityChangeFactory,
    EligibilityRunFactory,
    ExclusionFactory,
    HouseholdFactory,
    PersonFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def identified_families(db):
    """Two eligible families and one that meets one criterion only, in one run."""
    run = EligibilityRunFactory(as_of=date(2014, 11, 15))
    for ref, family_name, education in (
        ("H00001", "Abbot", True),
        ("H00002", "Baker", True),
        ("H00003", "Crane", False),
    ):
        household = HouseholdFactory(ref=ref)
        adult = PersonFactory(household=household, given_name="Ava", family_name=family_name)
        child = PersonFactory(
            household=household,
            given_name="Noah",
            family_name=family_name,
            date_of_birth=date(2004, 3, 1),
        )
        BenefitSpellFactory(person=adult)
        ExclusionFactory(person=child, start_date=date(2014, 2, 3))
        AsbEventFactory(household=household, event_date=date(2014, 6, 1))
        CurrentEligibilityFactory(
            household=household,
            run=run,
            education=education,
            crime_asb=True,
            work=education,
            reasons=f"asbo 2014-06-01; 3 fixed exclusions (Noah {family_name})",
        )
        EligibilityChangeFactory(run=run, household=household)
    return run


def test_coordinator_filters_the_list_and_confirms_a_family(
    page, live_server, coordinator, identified_families
):
    sign_in(page, live_server, coordinator)
    page.get_by_role("link", name="Identification", exact=True).first.click()

    expect(page.get_by_role("heading", name="Identified families")).to_be_visible()
    expect(page.get_by_role("status").first).to_contain_text("2 families")
    assert_accessible(page)

    page.get_by_label("Name, family reference or postcode").fill("baker")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status").first).to_contain_text("1 family")
    expect(page.get_by_role("link", name="H00002")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Remove this filter.*baker"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="H00002").click()
    expect(page.get_by_role("heading", name="Family H00002")).to_be_visible()
    expect(page.locator(".moj-timeline")).to_contain_text("Fixed-period exclusion")
    assert_accessible(page)

    page.get_by_role("button", name="Confirm into cohort").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Family H00002 confirmed into the cohort"
    )
    assert_accessible(page)
    decision = CohortDecision.objects.get(household__ref="H00002", is_current=True)
    assert (decision.decision, decision.decided_by) == ("confirmed", coordinator)


def test_not_proceeding_without_a_reason_shows_an_error_summary(
    page, live_server, coordinator, identified_families
):
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + reverse("families:identification_family", args=["H00001"]))

    page.get_by_role("button", name="Not proceeding").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the reason the family is not proceeding")
    assert_accessible(page)
    page.get_by_label("Why is the family not proceeding?").fill("Moved out of the area")
    page.get_by_role("button", name="Not proceeding").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("not proceeding")


def test_list_sorts_by_a_column_and_shows_every_family_when_asked(
    page, live_server, coordinator, identified_families
):
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + reverse("families:identification_list"))

    page.get_by_label("Eligible or not").check()
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="Names").click()
    page.get_by_role("link", name="Names").click()

    first = page.locator("tbody tr").first
    expect(first).to_contain_text("Crane")
    expect(page.locator('th[aria-sort="descending"]')).to_have_text("Names")
    assert_accessible(page)


def test_data_officer_recalculates_and_lands_on_the_new_run(page, live_server, data_officer):
    household = HouseholdFactory(ref="H00001")
    BenefitSpellFactory(person=PersonFactory(household=household), start_date=date(2012, 1, 1))
    sign_in(page, live_server, data_officer)
    page.get_by_role("link", name="Eligibility runs", exact=True).first.click()
    assert_accessible(page)

    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("8")
    page.get_by_label("Year").fill("2013")
    page.get_by_role("button", name="Recalculate now").click()

    expect(page).to_have_url(re.compile(r"/families/runs/\d+/$"))
    run = EligibilityRun.objects.get()
    assert page.url == live_server.url + reverse("families:run_detail", args=[run.pk])
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(f"Run {run.pk}: as of 31 August 2013")
    assert_accessible(page)


def test_progress_page_moves_on_when_the_run_finishes(page, live_server, coordinator):
    sign_in(page, live_server, coordinator)
    run = EligibilityRunFactory(
        started_by=coordinator, trigger="button", status="running", finished_at=None
    )
    page.goto(f"{live_server.url}{reverse('families:run_progress')}?after={run.pk - 1}")
    expect(page.get_by_role("status").first).to_contain_text("Assessing every household")
    assert_accessible(page)

    EligibilityRun.objects.filter(pk=run.pk).update(status=EligibilityRun.Status.SUCCEEDED)

    expect(page).to_have_url(
        live_server.url + reverse("families:run_detail", args=[run.pk]), timeout=10_000
    )
