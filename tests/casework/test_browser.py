"""A key worker's day and a coordinator's allocation, in headless Chromium, axe-checked."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from casework.models import CaseNote, Intervention, Task
from families.models import CaseFile
from tests.browser import assert_accessible, sign_in
from tests.casework.test_pages import confirmed_family  # noqa: F401  (a fixture)
from tests.factories import InterventionTypeFactory, TaskFactory

pytestmark = pytest.mark.browser


def fill_date(page, label: str, day: date) -> None:
    group = page.get_by_role("group", name=label)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_a_key_workers_day(page, live_server, case_file, key_worker):
    InterventionTypeFactory(name="Parenting course")
    TaskFactory(case_file=case_file, title="Ring the school", due_on=date(2013, 9, 20))

    sign_in(page, live_server, key_worker)
    page.get_by_role("link", name="My caseload").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    expect(page.get_by_text("1 overdue")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="H10001").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Case file")
    assert_accessible(page)

    # A home visit note.
    page.get_by_role("link", name="Case notes").click()
    page.get_by_role("button", name="Record a case note").click()
    assert_accessible(page)
    page.get_by_label("Home visit").check()
    fill_date(page, "Date of the contact", date(2013, 11, 4))
    page.get_by_label("Time").fill("16:45")
    page.get_by_label("Ava Notrealson").check()
    page.get_by_label("What happened").fill("Ava has been at school every day this week.")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Ava has been at school every day this week.")).to_be_visible()
    assert_accessible(page)

    # An intervention with its cost.
    page.get_by_role("link", name="Interventions").click()
    page.get_by_role("button", name="Add an intervention").click()
    page.get_by_label("Type").select_option(label="Parenting course")
    page.get_by_label("Provider").fill("Family support service")
    fill_date(page, "Start date", date(2013, 11, 11))
    page.get_by_label("Cost", exact=True).fill("£350.00")
    assert_accessible(page)
    page.get_by_role("button", name="Add intervention").click()
    expect(page.get_by_text("£350.00")).to_be_visible()
    assert_accessible(page)

    # The overdue task, ticked off.
    page.get_by_role("link", name="Tasks").click()
    expect(page.get_by_text("Overdue")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Done task: Ring the school").click()
    expect(page.get_by_role("table", name="Done")).to_contain_text("Ring the school")

    note = CaseNote.objects.get()
    assert note.author == key_worker and list(note.people_seen.values_list("given_name")) == [
        ("Ava",)
    ]
    assert Intervention.objects.get().cost == 350
    assert Task.objects.get().done_by == key_worker


def test_a_coordinator_allocates_a_family(
    page,
    live_server,
    confirmed_family,  # noqa: F811
    coordinator,
    key_worker,
):
    sign_in(page, live_server, coordinator)
    page.get_by_role("link", name="Caseloads").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Families awaiting a key worker").click()
    assert_accessible(page)
    page.get_by_role("link", name="Allocate a key worker to family H10001").click()
    page.get_by_label("Key worker").select_option(label="Kim Notreal")
    fill_date(page, "Attachment date", date(2013, 9, 2))
    assert_accessible(page)
    page.get_by_role("button", name="Allocate key worker").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Case file")
    expect(page.get_by_text("Family H10001 attached and allocated")).to_be_visible()
    assert_accessible(page)
    assert CaseFile.objects.get(household=confirmed_family).key_worker == key_worker


def test_an_allocation_with_mistakes_shows_an_accessible_error_summary(
    page,
    live_server,
    confirmed_family,  # noqa: F811
    coordinator,
):
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + reverse("casework:case_allocate", args=["H10001"]))
    page.get_by_role("button", name="Allocate key worker").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    assert_accessible(page)


def test_the_other_case_file_pages_are_accessible(page, live_server, case_file, key_worker):
    sign_in(page, live_server, key_worker)
    for name in (
        "case_consent_new",
        "case_assessment_new",
        "case_plan",
        "case_timeline",
        "case_closure",
        "case_task_new",
    ):
        page.goto(live_server.url + reverse(f"casework:{name}", args=["H10001"]))
        assert_accessible(page)
