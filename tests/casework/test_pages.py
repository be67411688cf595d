"""The case-file pages over HTTP: what each shows to whom, what reading them records, the forms'
error summaries, and query counts that stay fixed as the data grows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from casework.models import CaseNote, Intervention, Task
from casework.selectors import members_on
from casework.services.case_tasks import task_add
from casework.services.consent import consent_record, consent_withdraw
from casework.services.interventions import family_budget_set, intervention_add
from casework.services.notes import case_note_add, case_note_addendum_add
from claims.services import audit_sample_draw
from families import access
from families.access import Sight
from families.models import CaseFile
from tests.factories import (
    AsbEventFactory,
    BenefitSpellFactory,
    CaseFileFactory,
    CaseNoteFactory,
    ClaimFactory,
    CohortDecisionFactory,
    ExclusionFactory,
    HouseholdFactory,
    InterventionTypeFactory,
    PersonFactory,
    TaskFactory,
)


def url(name: str, case_file: CaseFile, *args) -> str:
    return reverse(f"casework:{name}", args=[case_file.household.ref, *args])


def page_text(response) -> str:
    return response.content.decode()


def add_families(key_worker, count: int, start: int) -> None:
    """``count`` more families for ``key_worker``, each with members, notes and tasks."""
    for n in range(start, start + count):
        case_file = CaseFileFactory(
            household=HouseholdFactory(ref=f"H3{n:04d}"), key_worker=key_worker
        )
        PersonFactory(household=case_file.household)
        for day in (1, 2):
            CaseNoteFactory(
                case_file=case_file, occurred_at=timezone.make_aware(datetime(2013, 10, day))
            )
            TaskFactory(case_file=case_file, due_on=date(2013, 10, day))


# Caseloads -----------------------------------------------------------------------------------


def test_a_key_workers_caseload_shows_only_their_families_with_contact_and_tasks(
    client, case_file, key_worker, other_key_worker
):
    CaseFileFactory(household=HouseholdFactory(ref="H20002"), key_worker=other_key_worker)
    CaseNoteFactory(case_file=case_file, occurred_at=timezone.make_aware(datetime(2013, 11, 5, 9)))
    TaskFactory(case_file=case_file, title="Ring the school", due_on=date(2013, 9, 20))
    TaskFactory(case_file=case_file, title="Book the review", due_on=date(2999, 1, 1))
    client.force_login(key_worker)
    response = client.get(reverse("casework:caseload"))
    [row] = response.context["case_files"]
    assert row.household.ref == "H10001"
    assert timezone.localdate(row.last_contact) == date(2013, 11, 5)
    assert (row.next_task, row.next_task_due, row.overdue_tasks) == (
        "Ring the school",
        date(2013, 9, 20),
        1,
    )
    assert "1 overdue" in page_text(response)
    assert "H20002" not in page_text(response)


def test_the_caseload_page_makes_the_same_number_of_queries_for_3_or_30_families(
    client, key_worker, django_assert_max_num_queries
):
    client.force_login(key_worker)
    add_families(key_worker, 3, start=0)
    with django_assert_max_num_queries(8) as small:
        client.get(reverse("casework:caseload"))
    add_families(key_worker, 27, start=3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("casework:caseload"))
    assert len(response.context["case_files"]) == 30


def test_every_caseload_for_a_coordinator_in_a_fixed_number_of_queries(
    client, coordinator, key_worker, other_key_worker, django_assert_max_num_queries
):
    add_families(key_worker, 5, start=0)
    add_families(other_key_worker, 25, start=5)
    client.force_login(coordinator)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("casework:caseloads"))
    totals = {worker.username: worker.active_cases for worker in response.context["totals"]}
    assert totals == {"kim": 5, "otto": 25}
    filtered = client.get(reverse("casework:caseloads"), {"key_worker": other_key_worker.pk})
    assert filtered.context["page"].paginator.count == 25


@pytest.mark.parametrize("persona", ["other_key_worker", "finance_officer", "auditor"])
def test_the_coordinators_pages_are_for_coordinators(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for name in ("caseloads", "allocation_queue", "decision_queue", "intervention_types"):
        assert client.get(reverse(f"casework:{name}")).status_code == 403


# Reading a case file -------------------------------------------------------------------------


def test_every_read_of_a_case_file_page_is_audited(client, case_file, coordinator):
    client.force_login(coordinator)
    client.get(url("case_notes", case_file))
    entry = AuditEntry.objects.get(action="view", user=coordinator)
    assert (entry.family_ref, entry.object_type, entry.path) == (
        "H10001",
        "families.casefile",
        url("case_notes", case_file),
    )
    assert entry.summary == "Viewed case notes of family H10001"


def test_a_key_worker_typing_another_familys_address_gets_404_and_is_audited(
    client, case_file, other_key_worker
):
    client.force_login(other_key_worker)
    assert client.get(url("case_file", case_file)).status_code == 404
    entry = AuditEntry.objects.get(user=other_key_worker)
    assert (entry.action, entry.family_ref) == ("denied", "H10001")


def test_an_unknown_family_is_as_absent_as_a_hidden_one(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("casework:case_file", args=["NOPE"])).status_code == 404
    assert AuditEntry.objects.filter(action="denied", family_ref="NOPE").exists()


def notes_with_sensitive(case_file):
    members = list(members_on(household=case_file.household, day=date(2013, 9, 10)))
    seen = timezone.make_aware(datetime(2013, 9, 10, 10))
    case_note_add(
        case_file=case_file,
        contact_type="home_visit",
        occurred_at=seen,
        text="Everyone at home.",
        people_seen=members[:2],
        by=case_file.key_worker,
    )
    sensitive = case_note_add(
        case_file=case_file,
        contact_type="phone",
        occurred_at=seen + timedelta(days=1),
        text="Mia disclosed domestic abuse.",
        is_sensitive=True,
        by=case_file.key_worker,
    )
    case_note_addendum_add(note=sensitive, text="Referred to MARAC.", by=case_file.key_worker)


@pytest.fixture
def sampled_for_audit(case_file, auditor):
    """The auditor has drawn internal audit's spot-check sample, and it holds this family's
    claim: claims' ``ready`` opens the case file to that auditor until sign-off."""
    claim = ClaimFactory(case_file=case_file)
    audit_sample_draw(pack=claim.pack, drawn_by=auditor, percent=100)


def test_sensitive_notes_show_to_the_key_worker_and_coordinators_only(
    client, case_file, key_worker, coordinator, auditor, sampled_for_audit
):
    notes_with_sensitive(case_file)
    for reader in (key_worker, coordinator):
        client.force_login(reader)
        for page in ("case_notes", "case_timeline"):
            text = page_text(client.get(url(page, case_file)))
            assert "domestic abuse" in text and "Referred to MARAC" in text
    client.force_login(auditor)
    for page in ("case_notes", "case_timeline"):
        response = client.get(url(page, case_file))
        assert response.status_code == 200
        assert "Everyone at home." in page_text(response)
        assert "domestic abuse" not in page_text(response)
        assert "MARAC" not in page_text(response)


def test_an_auditor_with_a_sampled_case_file_reads_it_but_records_nothing(
    client, case_file, auditor, sampled_for_audit
):
    client.force_login(auditor)
    assert client.get(url("case_file", case_file)).status_code == 200
    assert client.get(url("case_note_new", case_file)).status_code == 404
    response = client.post(url("case_note_new", case_file), {"text": "Auditor was here"})
    assert response.status_code == 404
    assert not CaseNote.objects.exists()
    assert "Record a case note" not in page_text(client.get(url("case_notes", case_file)))


def test_nobody_but_coordinators_may_be_given_sight_of_casework():
    with pytest.raises(ValueError):
        access.register_sight(access.Role.AUDITOR, Sight.CASEWORK, lambda user: None)


def test_the_notes_page_makes_a_fixed_number_of_queries(
    client, case_file, key_worker, django_assert_max_num_queries
):
    client.force_login(key_worker)
    notes_with_sensitive(case_file)
    with django_assert_max_num_queries(14) as few:
        client.get(url("case_notes", case_file))
    for _ in range(10):
        notes_with_sensitive(case_file)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("case_notes", case_file))


def test_the_timeline_puts_records_and_casework_in_one_order_in_fixed_queries(
    client, case_file, key_worker, django_assert_max_num_queries
):
    household = case_file.household
    AsbEventFactory(household=household, event_date=date(2013, 3, 1))
    notes_with_sensitive(case_file)
    client.force_login(key_worker)
    with django_assert_max_num_queries(40) as few:
        response = client.get(url("case_timeline", case_file))
    titles = [entry.title for entry in response.context["entries"]]
    assert titles.index("Phone call") < titles.index(
        "Attached to the programme: key worker Kim Notreal"
    )
    assert titles.index("Attached to the programme: key worker Kim Notreal") < titles.index(
        "Anti-social behaviour order (Household)"
    )
    leo = household.memberships.get(person__given_name="Leo").person
    for n in range(5):
        ExclusionFactory(person=leo, start_date=date(2013, 1, 10 + n))
        AsbEventFactory(household=household, event_date=date(2013, 4, 1 + n))
        notes_with_sensitive(case_file)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("case_timeline", case_file))
    only_notes = client.get(url("case_timeline", case_file), {"show": "note"})
    assert {entry.kind for entry in only_notes.context["entries"]} == {"note"}


def mias_consent(case_file, key_worker):
    """Mia's signed consent to working together, given on 10 September 2013."""
    mia = members_on(household=case_file.household, day=date(2013, 9, 10)).get(given_name="Mia")
    return consent_record(
        case_file=case_file,
        given_by=mia,
        working_together=True,
        share_information=False,
        given_on=date(2013, 9, 10),
        method="signed",
        by=key_worker,
    )


def test_withdrawn_consent_shows_a_banner_on_every_case_page_and_in_the_caseload(
    client, case_file, key_worker
):
    given = mias_consent(case_file, key_worker)
    consent_withdraw(consent=given, withdrawn_on=date(2013, 12, 1), reason="", by=key_worker)
    client.force_login(key_worker)
    for page in ("case_file", "case_notes", "case_plan", "case_tasks", "case_note_new"):
        text = page_text(client.get(url(page, case_file)))
        assert "Consent withdrawn" in text and "1 December 2013" in text, page
    assert "Paused (consent withdrawn)" in page_text(client.get(reverse("casework:caseload")))


# Recording -----------------------------------------------------------------------------------


def test_a_note_form_with_mistakes_shows_a_govuk_error_summary(client, case_file, key_worker):
    client.force_login(key_worker)
    response = client.post(url("case_note_new", case_file), {"occurred_time": "25:99"})
    text = page_text(response)
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in text and "There is a problem" in text
    assert "<title>Error:" in text
    assert not CaseNote.objects.exists()


def test_recording_a_home_visit_note(client, case_file, key_worker):
    client.force_login(key_worker)
    ava = case_file.household.memberships.get(person__given_name="Ava").person
    response = client.post(
        url("case_note_new", case_file),
        {
            "contact_type": "home_visit",
            "occurred_on_0": "4",
            "occurred_on_1": "11",
            "occurred_on_2": "2013",
            "occurred_time": "16:45",
            "people_seen": [ava.pk],
            "text": "Ava back at school all week.",
        },
    )
    assert response.status_code == 302
    note = CaseNote.objects.get()
    assert timezone.localtime(note.occurred_at).replace(tzinfo=None) == datetime(
        2013, 11, 4, 16, 45
    )
    assert list(note.people_seen.all()) == [ava]


def test_ticking_a_task_off(client, case_file, key_worker):
    task = task_add(
        case_file=case_file,
        title="Ring school",
        due_on=date(2013, 9, 20),
        assignee=key_worker,
        by=key_worker,
    )
    client.force_login(key_worker)
    client.post(url("case_task_done", case_file, task.pk))
    task.refresh_from_db()
    assert task.done_on == timezone.localdate() and task.done_by == key_worker


def test_spending_beyond_the_budget_is_approved_on_the_coordinators_page(
    client, case_file, key_worker, coordinator
):
    family_budget_set(case_file=case_file, allocation=Decimal("100.00"), by=coordinator)
    beyond = intervention_add(
        case_file=case_file,
        intervention_type=InterventionTypeFactory(name="Respite"),
        provider="Carers' centre",
        starts_on=date(2013, 10, 1),
        cost=Decimal("180.00"),
        paid_from_budget=True,
        by=key_worker,
    )
    client.force_login(coordinator)
    assert "Respite" in page_text(client.get(reverse("casework:decision_queue")))
    client.post(
        url("case_intervention_approval", case_file, beyond.pk),
        {"decision": "approve", "note": "Needed"},
    )
    beyond.refresh_from_db()
    assert beyond.approval == Intervention.Approval.APPROVED


def test_closing_a_case_through_the_pages(client, case_file, key_worker, coordinator):
    client.force_login(key_worker)
    client.post(url("case_closure", case_file), {"reason": "results_achieved"})
    closure = case_file.closures.get()
    assert client.get(url("case_closure_decide", case_file, closure.pk)).status_code == 404
    client.force_login(coordinator)
    client.post(url("case_closure_decide", case_file, closure.pk), {"decision": "approve"})
    assert CaseFile.objects.get(pk=case_file.pk).status == CaseFile.Status.CLOSED
    client.force_login(key_worker)
    assert "Record a case note" not in page_text(client.get(url("case_notes", case_file)))


# Allocation ----------------------------------------------------------------------------------


@pytest.fixture
def confirmed_family(family, coordinator):
    """H10001 meets all three criteria on 2 September 2013 and is confirmed into the cohort."""
    people = {m.person.given_name: m.person for m in family.memberships.select_related("person")}
    AsbEventFactory(household=family, event_date=date(2013, 4, 1), event_type="asbo")
    for start in (date(2013, 1, 10), date(2013, 2, 11), date(2013, 5, 13)):
        ExclusionFactory(person=people["Leo"], start_date=start, exclusion_type="fixed")
    BenefitSpellFactory(person=people["Mia"], benefit="JSA", start_date=date(2012, 1, 10))
    CohortDecisionFactory(household=family, decided_by=coordinator)
    return family


def allocate(client, family, key_worker, day: str):
    d, m, y = day.split("/")
    return client.post(
        reverse("casework:case_allocate", args=[family.ref]),
        {"key_worker": key_worker.pk, "attached_on_0": d, "attached_on_1": m, "attached_on_2": y},
    )


def test_a_coordinator_allocates_a_key_worker_to_a_confirmed_family(
    client, confirmed_family, coordinator, key_worker
):
    client.force_login(coordinator)
    queue = client.get(reverse("casework:allocation_queue"))
    assert [h.ref for h in queue.context["page"].object_list] == ["H10001"]
    response = allocate(client, confirmed_family, key_worker, "2/9/2013")
    assert response.status_code == 302
    case_file = CaseFile.objects.get(household=confirmed_family)
    assert (case_file.key_worker, case_file.attached_on) == (key_worker, date(2013, 9, 2))
    assert case_file.baseline_asb_events == 1
    assert not client.get(reverse("casework:allocation_queue")).context["page"].object_list


def test_allocation_refused_by_the_rules_shows_why(
    client, confirmed_family, coordinator, key_worker
):
    client.force_login(coordinator)
    # By 2015 the ASB event and the exclusions are too old: the family is no longer eligible.
    response = allocate(client, confirmed_family, key_worker, "1/6/2015")
    assert response.status_code == 200
    assert "There is a problem" in page_text(response) and "not eligible" in page_text(response)
    assert not CaseFile.objects.exists()


def test_tasks_due_before_today_are_marked_overdue(client, case_file, key_worker):
    TaskFactory(case_file=case_file, title="Late one", due_on=date(2013, 9, 20))
    TaskFactory(case_file=case_file, title="Future one", due_on=date(2999, 1, 1))
    client.force_login(key_worker)
    text = page_text(client.get(url("case_tasks", case_file)))
    late_row = text[text.index("Late one") : text.index("Future one")]
    assert "Overdue" in late_row
    assert "Overdue" not in text[text.index("Future one") :]
    assert Task.objects.count() == 2


def test_other_pages_show_the_consent_banner_with_a_template_tag(case_file, key_worker):
    banner = Template("{% load casework %}{% consent_banner household %}")
    assert "Consent withdrawn" not in banner.render(Context({"household": case_file.household}))
    given = mias_consent(case_file, key_worker)
    consent_withdraw(consent=given, withdrawn_on=date(2013, 12, 1), reason="", by=key_worker)
    shown = banner.render(Context({"household": case_file.household}))
    assert "Consent withdrawn" in shown and "1 December 2013" in shown


# Dates that cannot be true -------------------------------------------------------------------

TOMORROW = {"_0": "16", "_1": "10", "_2": "2014"}  # the service's day is pinned to 15 October 2014


def tomorrow(field: str) -> dict[str, str]:
    return {f"{field}{part}": value for part, value in TOMORROW.items()}


@pytest.mark.parametrize(
    ("page", "field", "message"),
    [
        ("case_consent_new", "given_on", "Date consent was given must be today or in the past"),
        ("case_note_new", "occurred_on", "Date of the contact must be today or in the past"),
        (
            "case_assessment_new",
            "assessed_on",
            "Date of the assessment must be today or in the past",
        ),
        ("case_review_new", "held_on", "Date of the meeting must be today or in the past"),
    ],
)
def test_a_day_still_to_come_is_refused_on_each_casework_form(
    client, case_file, key_worker, settings, page, field, message
):
    settings.SERVICE_DATE = date(2014, 10, 15)
    client.force_login(key_worker)
    text = page_text(client.post(url(page, case_file), tomorrow(field)))
    assert 'class="govuk-error-summary"' in text
    # In the summary and beside the field.
    assert text.count(message) == 2


def test_consent_withdrawn_tomorrow_is_refused(client, case_file, key_worker, settings):
    settings.SERVICE_DATE = date(2014, 10, 15)
    consent = mias_consent(case_file, key_worker)
    client.force_login(key_worker)
    response = client.post(
        url("case_consent_withdraw", case_file, consent.pk),
        {**tomorrow("withdrawn_on"), "reason": "Changed her mind"},
    )
    assert "Date consent was withdrawn must be today or in the past" in page_text(response)
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_an_attachment_date_still_to_come_is_refused_on_the_allocation_page(
    client, confirmed_family, coordinator, key_worker, settings
):
    settings.SERVICE_DATE = date(2013, 9, 1)
    client.force_login(coordinator)
    response = allocate(client, confirmed_family, key_worker, "2/9/2013")
    assert "Attachment date must be today or in the past" in page_text(response)
    assert not CaseFile.objects.exists()


def test_a_task_due_in_the_past_is_added_with_a_warning(client, case_file, key_worker, settings):
    settings.SERVICE_DATE = date(2014, 10, 15)
    client.force_login(key_worker)
    response = client.post(
        url("case_task_new", case_file),
        {
            "title": "Ring school",
            "due_on_0": "14",
            "due_on_1": "10",
            "due_on_2": "2014",
            "assignee": key_worker.pk,
        },
        follow=True,
    )
    text = page_text(response)
    assert "The task was due on 14 October 2014, which is in the past: it shows as overdue." in text
    assert Task.objects.get().title == "Ring school"
    response = client.post(
        url("case_task_new", case_file),
        {
            "title": "Visit",
            "due_on_0": "15",
            "due_on_1": "10",
            "due_on_2": "2014",
            "assignee": key_worker.pk,
        },
        follow=True,
    )
    assert "in the past" not in page_text(response)
