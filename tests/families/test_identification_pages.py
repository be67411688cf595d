"""The coordinator's identification pages: list, export, family page, decisions, settings, runs."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse

from audit.models import AuditEntry
from families.identification import RUN_LOCK_KEY
from families.models import (
    CohortDecision,
    EligibilityChange,
    EligibilityRun,
    Membership,
)
from tests.factories import (
    AsbEventFactory,
    AttendanceFactory,
    BenefitSpellFactory,
    CaseFileFactory,
    CohortDecisionFactory,
    ConcernFactory,
    CurrentEligibilityFactory,
    EducationStatusFactory,
    EligibilityChangeFactory,
    EligibilityResultFactory,
    EligibilityRunFactory,
    EmploymentSpellFactory,
    ExclusionFactory,
    HouseholdFactory,
    OffenceFactory,
    PersonFactory,
    WorkProgressFactory,
    write_member_texts,
)

AS_OF = date(2014, 11, 15)
LIST = reverse("families:identification_list")
EXPORT = reverse("families:identification_export")


@pytest.fixture
def run(db):
    return EligibilityRunFactory(as_of=AS_OF)


def identified(ref, run, *, family_name="Notrealson", postcode="ZZ99 1AA", **assessment):
    """A household with one adult member, assessed in ``run`` (eligible on all three unless
    told otherwise)."""
    household = HouseholdFactory(ref=ref)
    PersonFactory(household=household, given_name="Ava", family_name=family_name, postcode=postcode)
    CurrentEligibilityFactory(household=household, run=run, **assessment)
    return household


def refs(response) -> list[str]:
    return [row.ref for row in response.context["page"].object_list]


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


# --- The list ------------------------------------------------------------------------------


def test_list_shows_a_tag_for_each_criterion_the_family_meets(coordinator_client, run):
    identified("H00001", run, crime_asb=True, education=False, work=True, local_discretion=True)
    response = coordinator_client.get(LIST)
    html = response.content.decode()
    assert refs(response) == ["H00001"]
    assert 'govuk-tag--red">Crime/ASB' in html
    assert 'govuk-tag--blue">Work' in html
    assert "Local discretion</strong>" in html
    assert "Education</strong>" not in html


def test_list_shows_eligible_families_unless_asked_for_the_others(coordinator_client, run):
    identified("H00001", run)
    identified("H00002", run, crime_asb=False, education=False)
    assert refs(coordinator_client.get(LIST)) == ["H00001"]
    assert refs(coordinator_client.get(LIST, {"eligible": "not_eligible"})) == ["H00002"]
    assert refs(coordinator_client.get(LIST, {"eligible": "all"})) == ["H00001", "H00002"]


def test_criterion_filter_keeps_families_meeting_every_ticked_criterion(coordinator_client, run):
    identified("H00001", run)
    identified("H00002", run, crime_asb=False, local_discretion=True)
    identified("H00003", run, education=False, local_discretion=True)
    assert refs(coordinator_client.get(LIST, {"criterion": "local_discretion"})) == [
        "H00002",
        "H00003",
    ]
    both = {"criterion": ["local_discretion", "education"]}
    assert refs(coordinator_client.get(LIST, both)) == ["H00002"]


def test_new_filter_keeps_families_newly_eligible_in_the_latest_run(coordinator_client, run):
    earlier = EligibilityRunFactory(
        as_of=date(2014, 11, 14), finished_at=run.finished_at - timedelta(days=1)
    )
    old = identified("H00001", earlier)
    new = identified("H00002", run)
    changed = identified("H00003", run)
    EligibilityChangeFactory(run=earlier, household=old)
    EligibilityChangeFactory(run=run, household=new)
    EligibilityChangeFactory(
        run=run, household=changed, change=EligibilityChange.Change.CRITERIA_CHANGED
    )
    response = coordinator_client.get(LIST, {"new": "yes"})
    assert refs(response) == ["H00002"]
    assert 'moj-badge--blue">New' in response.content.decode()


def test_decision_filter_separates_confirmed_declined_and_undecided(coordinator_client, run):
    confirmed = identified("H00001", run)
    declined = identified("H00002", run)
    identified("H00003", run)
    CohortDecisionFactory(household=confirmed)
    CohortDecisionFactory(
        household=declined, decision=CohortDecision.Decision.NOT_PROCEEDING, reason="Moved"
    )
    assert refs(coordinator_client.get(LIST, {"decision": "confirmed"})) == ["H00001"]
    assert refs(coordinator_client.get(LIST, {"decision": "not_proceeding"})) == ["H00002"]
    assert refs(coordinator_client.get(LIST, {"decision": "undecided"})) == ["H00003"]
    both = {"decision": ["undecided", "confirmed"]}
    assert refs(coordinator_client.get(LIST, both)) == ["H00001", "H00003"]


def test_a_superseded_decision_no_longer_counts(coordinator_client, run):
    household = identified("H00001", run)
    CohortDecisionFactory(household=household, is_current=False)
    assert refs(coordinator_client.get(LIST, {"decision": "undecided"})) == ["H00001"]


@pytest.mark.parametrize(
    "search",
    ["H00002", "h0000", "ava", "Ava Smithee", "smithee", "zz991bb", "ZZ99 1BB"],
)
def test_search_finds_a_family_by_reference_member_name_or_postcode(
    coordinator_client, run, search
):
    identified("H00001", run)
    identified("H00002", run, family_name="Smithee", postcode="ZZ99 1BB")
    found = refs(coordinator_client.get(LIST, {"q": search}))
    assert "H00002" in found
    if search not in ("h0000", "ava"):
        assert "H00001" not in found


def test_search_looks_at_members_on_the_runs_as_of_day_only(coordinator_client, run):
    household = identified("H00001", run)
    leaver = PersonFactory(household=household, given_name="Zed", family_name="Gone")
    Membership.objects.filter(person=leaver).update(valid_to=date(2014, 1, 1))
    write_member_texts(household.current_eligibility)
    assert refs(coordinator_client.get(LIST, {"q": "Zed"})) == []
    assert refs(coordinator_client.get(LIST, {"q": "Ava"})) == ["H00001"]


def test_columns_sort_both_ways(coordinator_client, run):
    identified("H00001", run, family_name="Crane")
    identified("H00002", run, family_name="Abbot")
    identified("H00003", run, family_name="Baker", crime_asb=False, local_discretion=True)
    assert refs(coordinator_client.get(LIST, {"sort": "name"})) == ["H00002", "H00003", "H00001"]
    assert refs(coordinator_client.get(LIST, {"sort": "-name"})) == ["H00001", "H00003", "H00002"]
    assert refs(coordinator_client.get(LIST, {"sort": "-ref"})) == ["H00003", "H00002", "H00001"]
    assert refs(coordinator_client.get(LIST, {"sort": "criteria"}))[0] == "H00003"


def test_sorted_column_is_marked_and_its_link_reverses_the_order(coordinator_client, run):
    identified("H00001", run)
    html = coordinator_client.get(LIST, {"sort": "name"}).content.decode()
    assert (
        'aria-sort="ascending"><a class="govuk-link govuk-link--no-visited-state tfp-sort-link"'
        ' href="?sort=-name">Names'
    ) in html


def test_list_pages_fifty_families_at_a_time(coordinator_client, run):
    for number in range(1, 53):
        identified(f"H{number:05d}", run)
    first = coordinator_client.get(LIST)
    assert len(refs(first)) == 50
    assert 'class="govuk-pagination"' in first.content.decode()
    last = coordinator_client.get(LIST, {"page": 2})
    assert refs(last) == ["H00051", "H00052"]


def test_list_makes_a_fixed_number_of_queries_however_many_families(
    coordinator_client, run, django_assert_max_num_queries
):
    def families(start, count):
        for number in range(start, start + count):
            household = identified(f"H{number:05d}", run)
            CohortDecisionFactory(household=household)
            EligibilityChangeFactory(run=run, household=household)

    families(1, 3)
    with django_assert_max_num_queries(10):
        assert len(refs(coordinator_client.get(LIST, {"q": "ava", "sort": "name"}))) == 3
    families(100, 40)
    with django_assert_max_num_queries(10):
        assert len(refs(coordinator_client.get(LIST, {"q": "ava", "sort": "name"}))) == 43


# --- CSV export --------------------------------------------------------------------------


def export_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_export_holds_every_filtered_family_not_only_one_page(coordinator_client, run):
    for number in range(1, 56):
        identified(f"H{number:05d}", run)
    identified("H00100", run, crime_asb=False)
    response = coordinator_client.get(EXPORT)
    assert response["Content-Type"] == "text/csv"
    rows = export_rows(response)
    assert len(rows) == 55
    assert rows[0]["family_ref"] == "H00001"
    assert rows[0]["eligible"] == "true"
    not_eligible = export_rows(coordinator_client.get(EXPORT, {"eligible": "not_eligible"}))
    assert [(r["family_ref"], r["crime_asb"]) for r in not_eligible] == [("H00100", "false")]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_export_guards_cells_that_a_spreadsheet_would_read_as_a_formula(
    coordinator_client, run, start
):
    identified("H00001", run, family_name=f"{start}HYPERLINK(1)", reasons=f"{start}cmd")
    row = export_rows(coordinator_client.get(EXPORT))[0]
    assert row["family_names"] == f"'{start}HYPERLINK(1)"
    assert row["reasons"] == f"'{start}cmd"


def test_export_is_recorded_in_the_audit_log_with_its_filters(coordinator_client, coordinator, run):
    identified("H00001", run)
    export_rows(coordinator_client.get(EXPORT, {"criterion": "work"}))
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.user == coordinator
    assert entry.details["filters"] == {"criterion": "work"}


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["key_worker", "finance_officer", "data_officer", "auditor"])
@pytest.mark.parametrize("url", [LIST, EXPORT])
def test_only_coordinators_reach_the_identification_pages(client, request, persona, url, run):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("persona", ["key_worker", "finance_officer", "data_officer"])
def test_a_family_page_is_404_and_audited_for_anyone_but_a_coordinator(
    client, request, persona, run
):
    identified("H00001", run)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("families:identification_family", args=["H00001"]))
    assert response.status_code == 404
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DENIED, family_ref="H00001").exists()


def test_an_unknown_family_is_404(coordinator_client):
    response = coordinator_client.get(reverse("families:identification_family", args=["H404"]))
    assert response.status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- The family page -----------------------------------------------------------------------


def family_url(ref: str) -> str:
    return reverse("families:identification_family", args=[ref])


def test_family_page_lists_members_on_the_as_of_day_with_age_and_role(coordinator_client, run):
    household = identified("H00001", run)
    PersonFactory(household=household, given_name="Leo", date_of_birth=date(1996, 11, 15))
    PersonFactory(household=household, given_name="Mia", date_of_birth=date(1996, 11, 16))
    moved = PersonFactory(household=household, given_name="Zed")
    Membership.objects.filter(person=moved).update(valid_to=date(2014, 1, 1))
    members = coordinator_client.get(family_url("H00001")).context["family"].members
    assert [(m.name.split()[0], m.age, m.role) for m in members] == [
        ("Ava", 34, "Adult"),
        ("Leo", 18, "Adult"),
        ("Mia", 17, "Child"),
    ]


def test_family_page_puts_every_kind_of_record_on_the_timeline(coordinator_client, run):
    household = identified("H00001", run)
    child = PersonFactory(household=household, given_name="Noah", date_of_birth=date(2001, 5, 1))
    adult = household.memberships.exclude(person=child).get().person
    AttendanceFactory(person=child, unauthorised_sessions=20)
    ExclusionFactory(person=child)
    EducationStatusFactory(person=child)
    OffenceFactory(person=child, offence_type="criminal damage")
    AsbEventFactory(household=household, event_type="asbo")
    AsbEventFactory(household=None, person=child, event_type="incident")
    BenefitSpellFactory(person=adult)
    EmploymentSpellFactory(person=adult, start_date=date(2014, 6, 1))
    WorkProgressFactory(person=adult)
    ConcernFactory(household=household, concern="domestic_abuse")
    response = coordinator_client.get(family_url("H00001"))
    kinds = {entry.kind for entry in response.context["family"].timeline}
    assert kinds == {
        "attendance",
        "exclusion",
        "education_status",
        "offence",
        "asb",
        "benefit",
        "employment",
        "work_progress",
        "concern",
    }
    crime = coordinator_client.get(family_url("H00001"), {"records": "crime"})
    assert {entry.kind for entry in crime.context["family"].timeline} == {"offence", "asb"}
    html = response.content.decode()
    assert "20 of 100 sessions unauthorised absence (20.0%)" in html
    assert "Offence: criminal damage" in html
    assert "Concern: domestic abuse" in html
    assert 'class="moj-timeline"' in html


def test_the_timeline_says_how_an_offence_was_dealt_with(coordinator_client, run):
    household = identified("H00001", run)
    child = PersonFactory(household=household, given_name="Noah", date_of_birth=date(2001, 5, 1))
    OffenceFactory(person=child, outcome_date=date(2013, 2, 10), outcome_type="youth_caution")
    OffenceFactory(
        person=child, outcome_date=date(2013, 2, 11), outcome_type="community_resolution"
    )
    html = coordinator_client.get(family_url("H00001"), {"records": "crime"}).content.decode()
    assert "Proven on 10 February 2013 (youth caution)" in html
    assert "Community resolution on 11 February 2013: not a proven offence" in html


def test_a_confirmed_family_is_offered_only_not_proceeding(coordinator_client, run):
    CohortDecisionFactory(household=identified("H00001", run))
    html = coordinator_client.get(family_url("H00001")).content.decode()
    assert "Confirm into cohort</button>" not in html
    assert "Why is the family not proceeding?" in html


def test_records_of_someone_else_stay_off_the_timeline(coordinator_client, run):
    identified("H00001", run)
    stranger = PersonFactory(household=HouseholdFactory(ref="H00009"))
    OffenceFactory(person=stranger, offence_type="burglary")
    response = coordinator_client.get(family_url("H00001"))
    assert "burglary" not in response.content.decode()


def test_family_page_shows_the_reasons_and_when_the_family_became_eligible(coordinator_client, run):
    earlier = EligibilityRunFactory(as_of=date(2014, 10, 1))
    household = identified("H00001", run, reasons="eviction 2014-06-01; 3 fixed exclusions (Noah)")
    EligibilityResultFactory(run=earlier, household=household, reasons="asbo 2014-02-01; JSA (Ava)")
    EligibilityChangeFactory(run=earlier, household=household)
    html = coordinator_client.get(family_url("H00001")).content.decode()
    assert "<li>3 fixed exclusions (Noah)</li>" in html
    assert "Newly eligible" in html
    assert "asbo 2014-02-01; JSA (Ava)" in html


def test_each_look_at_a_family_page_is_audited(coordinator_client, coordinator, run):
    identified("H00001", run)
    coordinator_client.get(family_url("H00001"))
    coordinator_client.get(family_url("H00001"))
    views = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW, family_ref="H00001")
    assert views.count() == 2
    assert views.first().user == coordinator


def test_family_page_makes_a_fixed_number_of_queries(
    coordinator_client, run, django_assert_max_num_queries
):
    household = identified("H00001", run)

    def grow(children):
        for number in range(children):
            child = PersonFactory(household=household, date_of_birth=date(2004, 1, 1))
            AttendanceFactory(person=child)
            ExclusionFactory(person=child, start_date=date(2014, 1, number + 1))
            CohortDecisionFactory(household=household, is_current=False)

    for children in (1, 8):
        grow(children)
        with django_assert_max_num_queries(22):
            assert coordinator_client.get(family_url("H00001")).status_code == 200


def test_a_family_that_met_nothing_still_has_a_page(coordinator_client, run):
    PersonFactory(household=HouseholdFactory(ref="H00005"))
    response = coordinator_client.get(family_url("H00005"))
    assert response.status_code == 200
    assert "met no criterion in the latest run" in response.content.decode()


# --- Cohort decisions -------------------------------------------------------------------------


def test_confirming_records_who_and_when_and_is_audited(coordinator_client, coordinator, run):
    household = identified("H00001", run)
    response = coordinator_client.post(reverse("families:identification_confirm", args=["H00001"]))
    assert response.status_code == 302
    decision = CohortDecision.objects.get(household=household)
    assert (decision.decision, decision.decided_by, decision.is_current) == (
        CohortDecision.Decision.CONFIRMED,
        coordinator,
        True,
    )
    assert decision.decided_at is not None
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREATE, family_ref="H00001")
    assert entry.user == coordinator
    assert entry.object_id == str(decision.pk)


def test_not_proceeding_needs_a_reason(coordinator_client, run):
    household = identified("H00001", run)
    url = reverse("families:identification_not_proceeding", args=["H00001"])
    response = coordinator_client.post(url, {"reason": "  "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter the reason the family is not proceeding" in html
    assert not CohortDecision.objects.filter(household=household).exists()


def test_a_new_decision_supersedes_the_previous_one(coordinator_client, coordinator, run):
    household = identified("H00001", run)
    coordinator_client.post(reverse("families:identification_confirm", args=["H00001"]))
    coordinator_client.post(
        reverse("families:identification_not_proceeding", args=["H00001"]),
        {"reason": "Family moved out of the area"},
    )
    current = CohortDecision.objects.get(household=household, is_current=True)
    assert (current.decision, current.reason, current.decided_by) == (
        CohortDecision.Decision.NOT_PROCEEDING,
        "Family moved out of the area",
        coordinator,
    )
    assert CohortDecision.objects.filter(household=household, is_current=False).count() == 1
    audit = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, family_ref="H00001")
    assert audit.count() == 2
    assert audit.first().details["reason"] == "Family moved out of the area"


def test_a_family_not_eligible_cannot_be_confirmed(coordinator_client, run):
    household = identified("H00001", run, crime_asb=False)
    response = coordinator_client.post(reverse("families:identification_confirm", args=["H00001"]))
    assert response.status_code == 200
    assert "is not eligible in the latest run" in response.content.decode()
    assert not CohortDecision.objects.filter(household=household).exists()


def test_confirming_twice_is_refused_with_a_message(coordinator_client, run):
    household = identified("H00001", run)
    url = reverse("families:identification_confirm", args=["H00001"])
    coordinator_client.post(url)
    response = coordinator_client.post(url)
    assert "already recorded as" in response.content.decode()
    assert CohortDecision.objects.filter(household=household).count() == 1


def test_decisions_are_post_only(coordinator_client, run):
    identified("H00001", run)
    url = reverse("families:identification_confirm", args=["H00001"])
    assert coordinator_client.get(url).status_code == 405


def test_a_key_worker_cannot_decide(client, key_worker, run):
    household = identified("H00001", run)
    client.force_login(key_worker)
    response = client.post(reverse("families:identification_confirm", args=["H00001"]))
    assert response.status_code == 404
    assert not CohortDecision.objects.filter(household=household).exists()


# --- Eligibility runs ----------------------------------------------------------------------


RUNS = reverse("families:run_list")


@pytest.mark.parametrize("persona", ["coordinator", "data_officer"])
def test_coordinators_and_data_officers_see_the_runs(client, request, persona, run):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(RUNS)
    assert response.status_code == 200
    assert f"Run {run.pk}" in response.content.decode()


@pytest.mark.parametrize("persona", ["key_worker", "finance_officer", "auditor"])
def test_others_do_not_see_the_runs(client, request, persona, run):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(RUNS).status_code == 403
    assert client.get(reverse("families:run_detail", args=[run.pk])).status_code == 403
    assert client.post(reverse("families:run_recalculate")).status_code == 403


def test_run_page_lists_what_changed_by_kind(client, data_officer, run):
    newly = HouseholdFactory(ref="H00001")
    gone = HouseholdFactory(ref="H00002")
    EligibilityChangeFactory(run=run, household=newly)
    EligibilityChangeFactory(
        run=run, household=gone, change=EligibilityChange.Change.NO_LONGER_ELIGIBLE
    )
    client.force_login(data_officer)
    url = reverse("families:run_detail", args=[run.pk])
    everything = client.get(url)
    assert [c.household.ref for c in everything.context["page"].object_list] == [
        "H00001",
        "H00002",
    ]
    gone_only = client.get(url, {"change": "no_longer_eligible"})
    assert [c.household.ref for c in gone_only.context["page"].object_list] == ["H00002"]
    # A data officer reads the run but may not open the families.
    assert family_url("H00001") not in everything.content.decode()


def test_recalculate_now_runs_the_task_and_ends_on_the_runs_page(
    client, coordinator, django_capture_on_commit_callbacks
):
    household = HouseholdFactory(ref="H00001")
    BenefitSpellFactory(person=PersonFactory(household=household), start_date=date(2012, 1, 1))
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("families:run_recalculate"),
            {"as_of_0": "31", "as_of_1": "8", "as_of_2": "2013"},
        )
    run = EligibilityRun.objects.get()
    assert (run.as_of, run.started_by, run.trigger, run.status) == (
        date(2013, 8, 31),
        coordinator,
        "button",
        EligibilityRun.Status.SUCCEEDED,
    )
    assert run.households_meeting_any == 1
    progress = client.get(response["Location"])
    assert progress["Location"] == reverse("families:run_detail", args=[run.pk])
    assert AuditEntry.objects.filter(action=AuditEntry.Action.RUN, user=coordinator).exists()


def test_recalculate_now_refuses_a_second_run_with_a_clear_message(
    client, data_officer, django_capture_on_commit_callbacks
):
    client.force_login(data_officer)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [RUN_LOCK_KEY])
    try:
        with django_capture_on_commit_callbacks(execute=True) as queued:
            response = client.post(
                reverse("families:run_recalculate"),
                {"as_of_0": "31", "as_of_1": "8", "as_of_2": "2013"},
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK_KEY])
    assert response.status_code == 200
    assert "Another eligibility recalculation is running" in response.content.decode()
    assert queued == []
    assert not EligibilityRun.objects.exists()


def test_recalculate_now_refuses_a_day_in_the_future(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("families:run_recalculate"),
        {"as_of_0": "1", "as_of_1": "1", "as_of_2": "2999"},
    )
    assert "The date must be today or in the past" in response.content.decode()
    assert not EligibilityRun.objects.exists()


def test_progress_says_queued_until_the_users_run_starts(client, coordinator, run):
    client.force_login(coordinator)
    status_url = reverse("families:run_progress_status")
    assert client.get(status_url, {"after": run.pk}).json()["state"] == "queued"
    mine = EligibilityRunFactory(
        started_by=coordinator,
        trigger="button",
        status=EligibilityRun.Status.RUNNING,
        finished_at=None,
    )
    running = client.get(status_url, {"after": run.pk}).json()
    assert running["state"] == "running"
    assert running["url"] == reverse("families:run_detail", args=[mine.pk])
    page = client.get(reverse("families:run_progress"), {"after": run.pk})
    assert page.status_code == 200
    assert "tfp/run-progress.js" in page.content.decode()


def test_runs_pages_make_a_fixed_number_of_queries(
    client, coordinator, run, django_assert_max_num_queries
):
    client.force_login(coordinator)
    detail = reverse("families:run_detail", args=[run.pk])
    for extra in (1, 20):
        for _ in range(extra):
            EligibilityRunFactory(started_by=coordinator)
            EligibilityChangeFactory(run=run)
        with django_assert_max_num_queries(9):
            assert client.get(RUNS).status_code == 200
        # One more: the audit entry saying who read the run's families.
        with django_assert_max_num_queries(10):
            assert client.get(detail).status_code == 200


def test_an_attached_family_offers_no_decision_but_its_case_file(coordinator_client, run):
    household = identified("H00001", run)
    CaseFileFactory(household=household)
    html = coordinator_client.get(family_url("H00001")).content.decode()
    assert "Confirm into cohort</button>" not in html
    assert "Not proceeding</button>" not in html
    assert reverse("casework:case_file", args=["H00001"]) in html


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("", "", ""), "Enter the day the families are assessed as of"),
        (("30", "2", "2013"), "Day the families are assessed as of must be a real date"),
        (("30", "", "2013"), "Day the families are assessed as of must include a month"),
    ],
)
def test_recalculate_now_asks_for_a_real_day_in_words(client, data_officer, typed, message):
    client.force_login(data_officer)
    day, month, year = typed

    response = client.post(
        reverse("families:run_recalculate"), {"as_of_0": day, "as_of_1": month, "as_of_2": year}
    )

    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    assert message in page
    assert not EligibilityRun.objects.exists()


def test_export_gives_reasons_and_decisions_in_words(coordinator_client, run):
    confirmed = identified(
        "H00001", run, reasons="Housing notice seeking possession, 18 August 2014"
    )
    CohortDecisionFactory(household=confirmed)
    identified("H00002", run, reasons="Income Support (Oliver)")

    rows = export_rows(coordinator_client.get(EXPORT))

    assert [(r["decision"], r["reasons"]) for r in rows] == [
        ("Confirmed into cohort", "Housing notice seeking possession, 18 August 2014"),
        ("Undecided", "Income Support (Oliver)"),
    ]
