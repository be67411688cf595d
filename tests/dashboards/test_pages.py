"""The dashboard pages: who may open each, a fixed number of queries whatever the data, the
figures they show, their CSV exports and the drill-down to the families behind a figure."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from dashboards.models import Targets
from tests.factories import (
    CaseFileFactory,
    CaseNoteFactory,
    ClaimFactory,
    ClaimWindowFactory,
    CommitmentFactory,
    CurrentEligibilityFactory,
    FamilyResultFactory,
    FirstAchievedFactory,
    HouseholdFactory,
    ImportBatchFactory,
    InterventionFactory,
    ResultsRunFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

COORDINATOR_PAGES = ["progress", "caseloads", "results", "value", "freshness", "targets"]
PERSONAS = [
    "coordinator",
    "key_worker",
    "finance_officer",
    "data_officer",
    "auditor",
    "administrator",
]
ALLOWED = {
    **{page: {"coordinator"} for page in COORDINATOR_PAGES},
    "finance": {"finance_officer", "coordinator"},
    "key_worker": {"key_worker"},
}


def url(name: str, *args) -> str:
    return reverse(f"dashboards:{name}", args=args)


@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_each_dashboard_is_for_its_roles_only(client, request, page):
    for persona in PERSONAS:
        client.force_login(request.getfixturevalue(persona))
        expected = 200 if persona in ALLOWED[page] else 403
        assert client.get(url(page)).status_code == expected, persona


@pytest.mark.parametrize(
    ("persona", "landing"),
    [("coordinator", "progress"), ("key_worker", "key_worker"), ("finance_officer", "finance")],
)
def test_the_dashboards_link_lands_each_role_on_its_own(client, request, persona, landing):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url("index"))["Location"] == url(landing)


def test_a_role_with_no_dashboard_is_refused(client, auditor):
    client.force_login(auditor)
    assert client.get(url("index")).status_code == 403


# --- A fixed number of queries -------------------------------------------------------------------

START = date(2013, 9, 2)


def populate(count: int, key_worker, *, offset: int) -> None:
    """``count`` families with a bit of everything the dashboards count."""
    run = ResultsRunFactory(as_of=date(2014, 10, 31))
    for n in range(offset, offset + count):
        case_file = CaseFileFactory(
            household=HouseholdFactory(ref=f"Q{n:05d}"),
            key_worker=key_worker,
            attached_on=START + timedelta(days=30 * n),
        )
        CurrentEligibilityFactory(household=case_file.household, eligible_since=START)
        CurrentEligibilityFactory(household=HouseholdFactory(ref=f"E{n:05d}"))
        CaseNoteFactory(case_file=case_file, occurred_at=datetime(2014, 10, 1, tzinfo=UTC))
        TaskFactory(case_file=case_file, due_on=timezone.localdate() - timedelta(days=1))
        InterventionFactory(case_file=case_file)
        FirstAchievedFactory(household=case_file.household, first_achieved_on=date(2014, 4, 30))
        FamilyResultFactory(run=run, case_file=case_file, state="achieved")
        ClaimFactory(case_file=case_file, pack__window=ClaimWindowFactory(name="2014-10"))
    ImportBatchFactory(kind="people")


@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_each_dashboard_makes_the_same_ten_or_fewer_queries_for_3_or_30_families(
    client, request, page, key_worker, django_assert_max_num_queries
):
    persona = sorted(ALLOWED[page])[0]
    client.force_login(request.getfixturevalue(persona))
    CommitmentFactory(financial_year=2013, families=30)
    populate(3, key_worker, offset=0)
    with django_assert_max_num_queries(10) as few:
        assert client.get(url(page)).status_code == 200
    populate(27, key_worker, offset=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url(page)).status_code == 200


def test_the_families_behind_a_figure_in_a_fixed_number_of_queries(
    client, coordinator, key_worker, django_assert_max_num_queries
):
    client.force_login(coordinator)
    query = {"figure": "funnel", "stage": "attached"}
    populate(3, key_worker, offset=0)
    with django_assert_max_num_queries(10) as few:
        client.get(url("families"), query)
    populate(27, key_worker, offset=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("families"), query)
    assert response.context["page"].paginator.count == 30


# --- What the pages show -------------------------------------------------------------------------


def figure(response, key: str):
    return next(f for f in response.context["figures"] if f.key == key)


def texts(row) -> list[str]:
    return [cell.text for cell in row]


def test_the_progress_page_shows_the_funnel_and_the_year_two_test(client, coordinator, programme):
    CommitmentFactory(financial_year=2012, families=2)
    client.force_login(coordinator)
    response = client.get(url("progress"))

    funnel = figure(response, "funnel")
    assert [texts(row) for row in funnel.rows] == [
        ["2012/13", "2", "1", "1", "0", "0"],
        ["2013/14", "3", "3", "1", "2", "0"],
        ["2014/15", "1", "1", "1", "1", "1"],
    ]
    assert texts(funnel.foot) == ["All years", "6", "5", "3", "3", "1"]
    html = response.content.decode()
    assert "Work started with 1 of the 2 families committed in 2012/13 (50.0%)" in html
    assert "Half the year-two fees" in html
    assert 'data-chart="funnel"' in html and 'id="dashboard-charts"' in html


def test_every_figure_of_the_funnel_lists_as_many_families_as_it_says(
    client, coordinator, programme
):
    client.force_login(coordinator)
    funnel = figure(client.get(url("progress")), "funnel")
    for row in [*funnel.rows, funnel.foot]:
        for cell in row[1:]:
            if cell.href:
                listed = client.get(cell.href).context["page"].paginator.count
                assert listed == cell.value, cell.href


def test_the_caseloads_page_flags_an_overloaded_key_worker(client, coordinator, key_worker):
    Targets.objects.create(caseload_limit=2)
    for n in range(3):
        CaseFileFactory(key_worker=key_worker, household=HouseholdFactory(ref=f"K{n}"))
    client.force_login(coordinator)
    response = client.get(url("caseloads"))
    rows = {row[0].text: row for row in figure(response, "caseloads").rows}
    assert rows["Kim Notreal"][1].text == "3"
    assert (rows["Kim Notreal"][-1].text, rows["Kim Notreal"][-1].tag) == ("Overloaded", "red")
    assert "1 key worker with more than 2 active families: Kim Notreal (3)" in " ".join(
        response.content.decode().split()
    )


def test_a_key_worker_sees_only_their_own_families_on_their_dashboard(
    client, key_worker, other_key_worker
):
    CaseFileFactory(key_worker=key_worker, household=HouseholdFactory(ref="MINE1"))
    CaseFileFactory(key_worker=other_key_worker, household=HouseholdFactory(ref="OTTO1"))
    client.force_login(key_worker)
    html = client.get(url("key_worker")).content.decode()
    assert "MINE1" in html and "OTTO1" not in html


# --- CSV exports ---------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_a_figures_csv_holds_the_table_and_is_recorded(client, coordinator, programme):
    client.force_login(coordinator)
    response = client.get(url("export", "progress", "funnel"))
    assert response["Content-Type"] == "text/csv"
    assert read_csv(response) == [
        [
            "Financial year",
            "Identified",
            "Confirmed into the cohort",
            "Attached (work started)",
            "With a result achieved",
            "With a result claimed",
        ],
        ["2012/13", "2", "1", "1", "0", "0"],
        ["2013/14", "3", "3", "1", "2", "0"],
        ["2014/15", "1", "1", "1", "1", "1"],
        ["All years", "6", "5", "3", "3", "1"],
    ]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert (entry.username, entry.details["figure"]) == ("carol", "funnel")


def test_a_csv_cell_that_would_be_a_formula_is_defused(client, coordinator):
    worker = UserFactory(first_name="=HYPERLINK(1)", last_name="", role="key_worker")
    CaseFileFactory(key_worker=worker)
    client.force_login(coordinator)
    rows = read_csv(client.get(url("export", "caseloads", "caseloads")))
    assert [row[0] for row in rows if "HYPERLINK" in row[0]] == ["'=HYPERLINK(1)"]


def test_exports_follow_the_pages_roles(client, key_worker):
    client.force_login(key_worker)
    assert client.get(url("export", "progress", "funnel")).status_code == 403
    assert client.get(url("export", "key_worker", "contact")).status_code == 200
    assert client.get(url("export", "key_worker", "nothing")).status_code == 404
    assert client.get(url("export", "nowhere", "contact")).status_code == 404


def test_money_is_exported_as_numbers(client, finance_officer):
    ClaimFactory(amount=Decimal("1500.00"))
    client.force_login(finance_officer)
    rows = read_csv(client.get(url("export", "finance", "windows")))
    assert rows[1][0] == "2014-10" and "1500.00" in rows[1]


# --- The families behind a figure ----------------------------------------------------------------


def listed(response) -> list[str]:
    return [row.ref for row in response.context["rows"]]


def test_a_key_worker_sees_only_their_own_families_behind_a_figure(client, key_worker, programme):
    client.force_login(key_worker)
    response = client.get(url("families"), {"figure": "funnel", "stage": "attached"})
    assert listed(response) == ["H00003", "H00007"]
    assert "of yours" in response.content.decode()


def test_a_coordinator_sees_every_family_behind_a_figure_with_links(client, coordinator, programme):
    client.force_login(coordinator)
    response = client.get(
        url("families"), {"figure": "funnel", "stage": "identified", "year": "2013"}
    )
    assert listed(response) == ["H00002", "H00004", "H00008"]
    hrefs = {row.ref: row.href for row in response.context["rows"]}
    assert hrefs["H00004"] == reverse("casework:case_file", args=["H00004"])
    assert hrefs["H00002"] == reverse("families:identification_family", args=["H00002"])


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"figure": "nothing"},
        {"figure": "funnel", "stage": "nowhere"},
        {"figure": "funnel", "stage": "attached", "year": "last"},
        {"figure": "results", "result": "crime_asb_education", "quarter": "1"},
        {"figure": "caseload", "measure": "active", "worker": "999999"},
    ],
)
def test_a_figure_that_does_not_exist_is_not_found(client, coordinator, query):
    client.force_login(coordinator)
    assert client.get(url("families"), query).status_code == 404


def test_families_behind_figures_are_not_for_finance_officers(client, finance_officer):
    client.force_login(finance_officer)
    assert client.get(url("families"), {"figure": "value", "group": "all"}).status_code == 403


def test_the_families_behind_a_figure_export_as_csv_and_are_recorded(client, key_worker, programme):
    client.force_login(key_worker)
    response = client.get(url("families_export"), {"figure": "funnel", "stage": "attached"})
    rows = read_csv(response)
    assert rows[0] == ["family_ref", "attached_on", "key_worker", "status"]
    assert [row[0] for row in rows[1:]] == ["H00003", "H00007"]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert "(2)" in entry.summary and entry.username == "kim"


# --- Targets -------------------------------------------------------------------------------------


def test_a_coordinator_sets_the_targets_and_the_change_is_recorded(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        url("targets"),
        {
            "cohort_size": "395",
            "cohort_started_percent": "85",
            "cohort_started_by": "2013",
            "caseload_limit": "12",
        },
    )
    assert response["Location"] == url("progress")
    targets = Targets.current()
    assert (targets.cohort_size, targets.caseload_limit, targets.updated_by) == (
        395,
        12,
        coordinator,
    )
    entry = AuditEntry.objects.get(
        action=AuditEntry.Action.CHANGE, object_type="dashboards.targets"
    )
    assert entry.details["before"]["caseload_limit"] == 15
    assert entry.details["after"]["caseload_limit"] == 12


def test_targets_out_of_range_are_shown_as_errors(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        url("targets"),
        {"cohort_started_percent": "120", "cohort_started_by": "2013", "caseload_limit": "0"},
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not Targets.objects.exists()


def test_only_coordinators_set_targets(client, key_worker):
    client.force_login(key_worker)
    assert client.post(url("targets"), {"caseload_limit": "3"}).status_code == 403
