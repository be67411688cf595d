"""The outcome pages: who may see them, what they say, and a fixed number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from outcomes.services import results_run
from tests.factories import (
    AsbEventFactory,
    AttendanceFactory,
    BenefitSpellFactory,
    CaseFileFactory,
    EmploymentSpellFactory,
    HouseholdFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

CLAIM_DAY = date(2014, 10, 15)


@pytest.fixture
def family(key_worker):
    """Kim's family: ASB down from 5, and a parent 63 days into a job after JSA."""
    case_file = CaseFileFactory(
        household=HouseholdFactory(ref="H40001"),
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
    AttendanceFactory(
        person=child,
        academic_year="2013/14",
        term="summer",
        term_start=date(2014, 4, 1),
        term_end=date(2014, 8, 31),
        possible_sessions=200,
        unauthorised_sessions=10,
    )
    BenefitSpellFactory(person=parent, start_date=date(2012, 1, 10), end_date=date(2014, 8, 13))
    EmploymentSpellFactory(person=parent, start_date=date(2014, 8, 14))
    AsbEventFactory(household=case_file.household, event_date=date(2013, 6, 1))
    results_run(CLAIM_DAY)
    return case_file


def outcomes_url(ref: str) -> str:
    return reverse("outcomes:family", args=[ref])


def test_a_key_worker_sees_their_familys_results_reasons_and_measures(client, key_worker, family):
    client.force_login(key_worker)
    response = client.get(outcomes_url("H40001"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Employment: 63 of 91 days so far (Mia, in work from 2014-08-14)" in page
    assert "5.0% (10/200)" in page  # Leo's summer term, in the table beside the chart
    assert 'data-chart="absence"' in page and 'id="outcome-charts"' in page
    assert AuditEntry.objects.filter(action="view", family_ref="H40001").exists()


def test_why_not_yet_says_whose_attendance_extract_is_missing(client, key_worker, family):
    PersonFactory(household=family.household, given_name="Emma", date_of_birth=date(2005, 3, 1))
    results_run(CLAIM_DAY)
    client.force_login(key_worker)
    page = client.get(outcomes_url("H40001")).content.decode()
    assert "Education: no attendance data for Emma, 9, in the last three terms" in page
    assert "Why not yet" in page
    assert (
        "The schools&#x27; attendance extract has no rows for Emma (9) in autumn 2013/14, "
        "spring 2013/14 and summer 2013/14." in page
    )


def test_another_key_worker_gets_404_and_the_attempt_is_audited(client, other_key_worker, family):
    client.force_login(other_key_worker)
    assert client.get(outcomes_url("H40001")).status_code == 404
    assert AuditEntry.objects.filter(action="denied", family_ref="H40001").exists()


def test_a_coordinator_sees_any_family_and_a_finance_officer_none(
    client, coordinator, finance_officer, family
):
    client.force_login(coordinator)
    assert client.get(outcomes_url("H40001")).status_code == 200
    client.force_login(finance_officer)
    assert client.get(outcomes_url("H40001")).status_code == 404


def test_the_outcomes_page_takes_the_same_queries_however_many_records(
    client, key_worker, family, django_assert_max_num_queries
):
    client.force_login(key_worker)
    with django_assert_max_num_queries(20) as few:
        client.get(outcomes_url("H40001"))
    child = family.household.memberships.get(person__given_name="Leo").person
    for year in range(2010, 2013):
        for term, start, end in (
            ("autumn", date(year, 9, 1), date(year, 12, 31)),
            ("spring", date(year + 1, 1, 1), date(year + 1, 3, 31)),
        ):
            AttendanceFactory(
                person=child,
                academic_year=f"{year}/{(year + 1) % 100:02d}",
                term=term,
                term_start=start,
                term_end=end,
            )
    AsbEventFactory.create_batch(5, household=family.household, event_date=date(2014, 2, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(outcomes_url("H40001"))


def test_close_to_a_result_lists_a_key_workers_own_families_with_what_is_left(
    client, key_worker, other_key_worker, family
):
    client.force_login(key_worker)
    page = client.get(reverse("outcomes:close")).content.decode()
    assert "H40001" in page and "4 more weeks of employment" in page
    client.force_login(other_key_worker)
    assert "H40001" not in client.get(reverse("outcomes:close")).content.decode()


def test_close_to_a_result_is_for_key_workers_and_coordinators(client, finance_officer, db):
    client.force_login(finance_officer)
    assert client.get(reverse("outcomes:close")).status_code == 403
