"""The family outcomes page in headless Chromium: every chart drawn, axe clean."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from outcomes.services import results_run
from tests.browser import assert_accessible, sign_in
from tests.factories import (
    AsbEventFactory,
    AttendanceFactory,
    BenefitSpellFactory,
    CaseFileFactory,
    EmploymentSpellFactory,
    ExclusionFactory,
    HouseholdFactory,
    PersonFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def family(key_worker):
    case_file = CaseFileFactory(
        household=HouseholdFactory(ref="H60001"),
        key_worker=key_worker,
        attached_on=date(2013, 9, 2),
        baseline_education=True,
        baseline_work=True,
        baseline_asb_events=5,
        baseline_youth_offences=0,
    )
    parent = PersonFactory(household=case_file.household, given_name="Mia")
    child = PersonFactory(
        household=case_file.household, given_name="Leo", date_of_birth=date(2004, 5, 1)
    )
    for year, term, start, end, missed in (
        ("2012/13", "summer", date(2013, 4, 1), date(2013, 8, 31), 40),
        ("2013/14", "autumn", date(2013, 9, 1), date(2013, 12, 31), 20),
        ("2013/14", "spring", date(2014, 1, 1), date(2014, 3, 31), 8),
    ):
        AttendanceFactory(
            person=child,
            academic_year=year,
            term=term,
            term_start=start,
            term_end=end,
            possible_sessions=200,
            unauthorised_sessions=missed,
        )
    ExclusionFactory(person=child, start_date=date(2013, 5, 1))
    BenefitSpellFactory(person=parent, start_date=date(2012, 1, 10), end_date=date(2014, 4, 30))
    EmploymentSpellFactory(person=parent, start_date=date(2014, 5, 1))
    AsbEventFactory.create_batch(3, household=case_file.household, event_date=date(2013, 7, 1))
    results_run(date(2014, 10, 15))
    return case_file


def test_a_key_worker_sees_the_measures_charted_beside_their_tables(
    page, live_server, key_worker, family
):
    sign_in(page, live_server, key_worker)
    page.goto(live_server.url + reverse("outcomes:family", args=["H60001"]))

    expect(page.get_by_role("heading", name="Outcomes", level=1)).to_be_visible()
    for chart in ("absence", "exclusions", "asb", "youth", "spells"):
        canvas = page.locator(f'canvas[data-chart="{chart}"]')
        expect(canvas).to_be_visible()
        assert canvas.evaluate("c => c.chart !== undefined && c.width > 0"), chart
    expect(page.get_by_role("cell", name="20.0% (40/200)")).to_be_visible()
    assert_accessible(page)


def test_close_to_a_result_is_accessible(page, live_server, key_worker, family):
    sign_in(page, live_server, key_worker)
    page.get_by_role("link", name="Families close to a result").click()

    expect(page.get_by_role("heading", name="Families close to a result")).to_be_visible()
    assert_accessible(page)
