"""The casework rules, service by service: what each change does, what it refuses, and the
audit entry it leaves."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from audit.models import AuditEntry
from casework.models import CaseNote, Domain, GoalStatus, Intervention, ProgressScore
from casework.selectors import members_on, notes_visible_to
from casework.services.assessment import NeedInput, assessment_record
from casework.services.case_tasks import task_add, task_complete
from casework.services.closure import case_closure_decide, case_closure_request, case_file_reopen
from casework.services.common import CaseworkRefused
from casework.services.consent import consent_record, consent_withdraw
from casework.services.interventions import (
    budget_summary,
    family_budget_set,
    intervention_add,
    intervention_decide_approval,
    intervention_update,
)
from casework.services.notes import case_note_add, case_note_addendum_add
from casework.services.plan import GoalChange, goal_add, review_record
from families.models import CaseFile
from tests.factories import HouseholdFactory, InterventionTypeFactory, PersonFactory

DAY = date(2013, 9, 10)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def mia(case_file):
    return members_on(household=case_file.household, day=DAY).get(given_name="Mia")


def consent(case_file, by, **overrides):
    values = {
        "case_file": case_file,
        "given_by": mia(case_file),
        "working_together": True,
        "share_information": True,
        "named_partners": "Ava's school; the housing provider",
        "given_on": DAY,
        "method": "signed",
        "by": by,
    }
    return consent_record(**values | overrides)


def refreshed(case_file) -> CaseFile:
    return CaseFile.objects.get(pk=case_file.pk)


# Consent -------------------------------------------------------------------------------------


def test_withdrawing_consent_pauses_the_case(case_file, key_worker):
    given = consent(case_file, key_worker)
    consent_withdraw(
        consent=given, withdrawn_on=date(2013, 11, 1), reason="Moving on", by=key_worker
    )
    assert refreshed(case_file).status == CaseFile.Status.PAUSED
    assert AuditEntry.objects.filter(
        family_ref="H10001", summary__contains="withdrawn", user=key_worker
    ).exists()


def test_the_audit_log_names_whoever_gave_consent_by_reference_only(case_file, key_worker):
    given = consent(case_file, key_worker)
    consent_withdraw(consent=given, withdrawn_on=date(2013, 11, 1), reason="", by=key_worker)
    summaries = list(
        AuditEntry.objects.filter(summary__icontains="consent").values_list("summary", flat=True)
    )
    assert len(summaries) == 2
    for summary in summaries:
        assert f"person {given.given_by.ref}" in summary
        assert given.given_by.given_name not in summary
        assert given.given_by.family_name not in summary


def test_consent_to_working_together_given_again_resumes_a_paused_case(case_file, key_worker):
    given = consent(case_file, key_worker)
    consent_withdraw(consent=given, withdrawn_on=date(2013, 11, 1), reason="", by=key_worker)
    consent(case_file, key_worker, given_on=date(2014, 1, 6), share_information=False)
    assert refreshed(case_file).status == CaseFile.Status.OPEN


def test_consent_only_to_sharing_information_does_not_resume_a_paused_case(case_file, key_worker):
    given = consent(case_file, key_worker)
    consent_withdraw(consent=given, withdrawn_on=date(2013, 11, 1), reason="", by=key_worker)
    consent(case_file, key_worker, given_on=date(2014, 1, 6), working_together=False)
    assert refreshed(case_file).status == CaseFile.Status.PAUSED


def test_consent_from_someone_outside_the_family_is_refused(case_file, key_worker):
    stranger = PersonFactory(household=HouseholdFactory(ref="H99999"), given_name="Zed")
    with pytest.raises(CaseworkRefused, match="not a member"):
        consent(case_file, key_worker, given_by=stranger)


def test_sharing_information_needs_named_partners(case_file, key_worker):
    with pytest.raises(CaseworkRefused, match="partners"):
        consent(case_file, key_worker, named_partners="  ")


def test_consent_cannot_be_withdrawn_before_it_was_given(case_file, key_worker):
    given = consent(case_file, key_worker)
    with pytest.raises(CaseworkRefused, match="before it was given"):
        consent_withdraw(consent=given, withdrawn_on=date(2013, 9, 1), reason="", by=key_worker)


# Assessment and plan -------------------------------------------------------------------------


def test_a_reassessment_is_a_new_assessment_that_keeps_the_first(case_file, key_worker):
    first = assessment_record(
        case_file=case_file,
        assessed_on=DAY,
        needs=[
            NeedInput(person=mia(case_file), domain=Domain.WORK_MONEY, severity=3),
            NeedInput(person=None, domain=Domain.HOUSING, severity=4, detail="Rent arrears"),
        ],
        by=key_worker,
    )
    second = assessment_record(
        case_file=case_file,
        assessed_on=date(2014, 3, 1),
        needs=[NeedInput(person=None, domain=Domain.HOUSING, severity=1)],
        by=key_worker,
    )
    assert second.reviews == first
    assert first.needs.count() == 2
    assert [str(n) for n in second.needs.all()] == ["Whole family: Housing (Low)"]


def test_a_person_has_one_need_per_domain_in_an_assessment(case_file, key_worker):
    with pytest.raises(CaseworkRefused, match="one need per domain"):
        assessment_record(
            case_file=case_file,
            assessed_on=DAY,
            needs=[
                NeedInput(person=None, domain=Domain.HOUSING, severity=1),
                NeedInput(person=None, domain=Domain.HOUSING, severity=2),
            ],
            by=key_worker,
        )


def test_a_review_meeting_updates_goals_and_keeps_progress_scores(case_file, key_worker):
    assessment = assessment_record(
        case_file=case_file,
        assessed_on=DAY,
        needs=[NeedInput(person=None, domain=Domain.HOUSING, severity=4)],
        by=key_worker,
    )
    goal = goal_add(
        case_file=case_file,
        need=assessment.needs.get(),
        what="Agree a repayment plan",
        who="Mia and the housing officer",
        due_on=date(2013, 12, 1),
        by=key_worker,
    )
    review = review_record(
        case_file=case_file,
        held_on=date(2013, 12, 2),
        attendees="Mia, Sam, Kim",
        scores={Domain.HOUSING: 7, Domain.PARENTING: 5},
        goal_changes=[GoalChange(goal, GoalStatus.ACHIEVED, goal.due_on, "Plan signed")],
        by=key_worker,
    )
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACHIEVED
    assert [(u.status, u.note, u.review) for u in goal.updates.all()] == [
        (GoalStatus.ACHIEVED, "Plan signed", review)
    ]
    assert dict(ProgressScore.objects.filter(review=review).values_list("domain", "score")) == {
        Domain.HOUSING: 7,
        Domain.PARENTING: 5,
    }


def test_progress_scores_run_from_1_to_10(case_file, key_worker):
    with pytest.raises(CaseworkRefused, match="1 to 10"):
        review_record(
            case_file=case_file,
            held_on=DAY,
            attendees="Mia",
            scores={Domain.HOUSING: 11},
            by=key_worker,
        )


# Interventions and the family budget ---------------------------------------------------------


def add_intervention(case_file, by, cost, *, from_budget=True, **overrides):
    values = {
        "case_file": case_file,
        "intervention_type": InterventionTypeFactory(name="Debt advice"),
        "provider": "Citizens Advice",
        "starts_on": DAY,
        "cost": Decimal(cost),
        "paid_from_budget": from_budget,
        "by": by,
    }
    return intervention_add(**values | overrides)


def test_the_budget_shows_committed_spent_and_remaining(case_file, key_worker, coordinator):
    family_budget_set(case_file=case_file, allocation=Decimal("1000.00"), by=coordinator)
    planned = add_intervention(case_file, key_worker, "300.00")
    done = add_intervention(case_file, key_worker, "150.50")
    intervention_update(intervention=done, status="completed", by=key_worker)
    add_intervention(case_file, key_worker, "999.00", from_budget=False)
    budget = budget_summary(case_file)
    assert (budget.allocation, budget.committed, budget.spent, budget.remaining) == (
        Decimal("1000.00"),
        Decimal("300.00"),
        Decimal("150.50"),
        Decimal("549.50"),
    )
    assert planned.approval == Intervention.Approval.NOT_NEEDED


def test_spending_beyond_the_budget_waits_for_a_coordinator(case_file, key_worker, coordinator):
    family_budget_set(case_file=case_file, allocation=Decimal("500.00"), by=coordinator)
    add_intervention(case_file, key_worker, "400.00")
    beyond = add_intervention(case_file, key_worker, "100.01")
    assert beyond.approval == Intervention.Approval.AWAITING
    budget = budget_summary(case_file)
    assert (budget.committed, budget.awaiting_approval) == (Decimal("400.00"), Decimal("100.01"))
    with pytest.raises(CaseworkRefused, match="awaiting"):
        intervention_update(intervention=beyond, status="active", by=key_worker)


def test_spending_exactly_what_remains_needs_no_approval(case_file, key_worker, coordinator):
    family_budget_set(case_file=case_file, allocation=Decimal("500.00"), by=coordinator)
    add_intervention(case_file, key_worker, "400.00")
    assert add_intervention(case_file, key_worker, "100.00").approval == "not_needed"


def test_a_coordinator_approves_spending_beyond_the_budget(case_file, key_worker, coordinator):
    family_budget_set(case_file=case_file, allocation=Decimal("100.00"), by=coordinator)
    beyond = add_intervention(case_file, key_worker, "250.00")
    with pytest.raises(CaseworkRefused, match="coordinator"):
        intervention_decide_approval(intervention=beyond, approve=True, by=key_worker)
    intervention_decide_approval(intervention=beyond, approve=True, note="Worth it", by=coordinator)
    beyond.refresh_from_db()
    assert (beyond.approval, beyond.approval_decided_by) == ("approved", coordinator)
    budget = budget_summary(case_file)
    assert (budget.committed, budget.remaining) == (Decimal("250.00"), Decimal("-150.00"))
    assert budget.is_overspent


def test_refused_spending_cancels_the_intervention(case_file, key_worker, coordinator):
    family_budget_set(case_file=case_file, allocation=Decimal("100.00"), by=coordinator)
    beyond = add_intervention(case_file, key_worker, "250.00")
    intervention_decide_approval(intervention=beyond, approve=False, by=coordinator)
    beyond.refresh_from_db()
    assert (beyond.approval, beyond.status) == ("refused", "cancelled")
    assert budget_summary(case_file).committed == Decimal("0.00")


def test_paying_from_the_budget_needs_a_budget(case_file, key_worker):
    with pytest.raises(CaseworkRefused, match="no budget"):
        add_intervention(case_file, key_worker, "10.00")


def test_no_new_interventions_while_consent_is_withdrawn(case_file, key_worker):
    given = consent(case_file, key_worker)
    consent_withdraw(consent=given, withdrawn_on=date(2013, 11, 1), reason="", by=key_worker)
    with pytest.raises(CaseworkRefused, match="Consent was withdrawn"):
        add_intervention(case_file, key_worker, "10.00", from_budget=False)


def test_a_completed_intervention_cannot_be_restarted(case_file, key_worker):
    done = add_intervention(case_file, key_worker, "10.00", from_budget=False)
    intervention_update(intervention=done, status="completed", by=key_worker)
    with pytest.raises(CaseworkRefused, match="cannot become"):
        intervention_update(intervention=done, status="active", by=key_worker)


# Case notes ----------------------------------------------------------------------------------


def note(case_file, by, text="Home visit: everyone well.", **overrides):
    return case_note_add(
        **{
            "case_file": case_file,
            "contact_type": "home_visit",
            "occurred_at": at(DAY),
            "text": text,
            "by": by,
        }
        | overrides
    )


def test_sensitive_notes_are_for_the_key_worker_and_coordinators_only(
    case_file, key_worker, coordinator, auditor, other_key_worker
):
    note(case_file, key_worker, "Routine visit.")
    note(case_file, key_worker, "Disclosure of domestic abuse.", is_sensitive=True)
    everything = {"Routine visit.", "Disclosure of domestic abuse."}
    for reader in (key_worker, coordinator):
        assert {n.text for n in notes_visible_to(reader, case_file)} == everything
    for reader in (auditor, other_key_worker):
        assert {n.text for n in notes_visible_to(reader, case_file)} == {"Routine visit."}


def test_the_audit_entry_of_a_sensitive_note_does_not_repeat_it(case_file, key_worker):
    note(case_file, key_worker, "Disclosure of domestic abuse.", is_sensitive=True)
    entry = AuditEntry.objects.get(action="create", object_type="casework.casenote")
    assert "abuse" not in entry.summary and entry.summary.startswith("Recorded a sensitive")


def test_an_addendum_corrects_a_note_and_the_original_stays(case_file, key_worker):
    original = note(case_file, key_worker, "Saw Ava at school.")
    case_note_addendum_add(note=original, text="It was Leo, not Ava.", by=key_worker)
    saved = CaseNote.objects.get(pk=original.pk)
    assert saved.text == "Saw Ava at school."
    assert [a.text for a in saved.addenda.all()] == ["It was Leo, not Ava."]


def test_the_database_refuses_to_edit_or_delete_a_saved_note(case_file, key_worker):
    original = note(case_file, key_worker, "Saw Ava at school.")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CaseNote.objects.filter(pk=original.pk).update(text="Rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CaseNote.objects.filter(pk=original.pk).delete()
    assert CaseNote.objects.get(pk=original.pk).text == "Saw Ava at school."


def test_people_seen_must_be_members_of_the_family(case_file, key_worker):
    stranger = PersonFactory(household=HouseholdFactory(ref="H99999"), given_name="Zed")
    with pytest.raises(CaseworkRefused, match="members of the family"):
        note(case_file, key_worker, people_seen=[stranger])


# Tasks ---------------------------------------------------------------------------------------


def test_a_task_is_ticked_off_once(case_file, key_worker):
    task = task_add(
        case_file=case_file, title="Call school", due_on=DAY, assignee=key_worker, by=key_worker
    )
    task_complete(task=task, done_on=date(2013, 9, 11), by=key_worker)
    task.refresh_from_db()
    assert (task.done_on, task.done_by) == (date(2013, 9, 11), key_worker)
    with pytest.raises(CaseworkRefused, match="was done"):
        task_complete(task=task, done_on=date(2013, 9, 12), by=key_worker)


def test_tasks_go_to_key_workers_or_coordinators(case_file, key_worker, finance_officer):
    with pytest.raises(CaseworkRefused, match="cannot be given"):
        task_add(
            case_file=case_file, title="x", due_on=DAY, assignee=finance_officer, by=key_worker
        )


# Closure -------------------------------------------------------------------------------------


def test_closure_needs_a_coordinators_approval(case_file, key_worker, coordinator):
    closure = case_closure_request(case_file=case_file, reason="results_achieved", by=key_worker)
    assert refreshed(case_file).status == CaseFile.Status.CLOSURE_REQUESTED
    with pytest.raises(CaseworkRefused, match="coordinator"):
        case_closure_decide(closure=closure, approve=True, by=key_worker)
    case_closure_decide(closure=closure, approve=True, by=coordinator)
    assert refreshed(case_file).status == CaseFile.Status.CLOSED


def test_a_closure_not_approved_returns_the_case_to_where_it_was(
    case_file, key_worker, coordinator
):
    given = consent(case_file, key_worker)
    consent_withdraw(consent=given, withdrawn_on=date(2013, 11, 1), reason="", by=key_worker)
    closure = case_closure_request(case_file=case_file, reason="disengaged", by=key_worker)
    with pytest.raises(CaseworkRefused, match="Say why"):
        case_closure_decide(closure=closure, approve=False, by=coordinator)
    case_closure_decide(closure=closure, approve=False, note="Try once more", by=coordinator)
    assert refreshed(case_file).status == CaseFile.Status.PAUSED


def test_other_as_a_reason_to_close_must_be_explained(case_file, key_worker):
    with pytest.raises(CaseworkRefused, match="Say why"):
        case_closure_request(case_file=case_file, reason="other", by=key_worker)


def test_a_closed_case_takes_no_more_casework_until_reopened(case_file, key_worker, coordinator):
    closure = case_closure_request(case_file=case_file, reason="moved_away", by=key_worker)
    case_closure_decide(closure=closure, approve=True, by=coordinator)
    with pytest.raises(CaseworkRefused, match="closed"):
        note(case_file, key_worker)
    with pytest.raises(CaseworkRefused, match="coordinator"):
        case_file_reopen(case_file=case_file, reason="Came back", by=key_worker)
    reopening = case_file_reopen(case_file=case_file, reason="Came back", by=coordinator)
    assert refreshed(case_file).status == CaseFile.Status.OPEN
    assert reopening.reopened_by == coordinator
    note(case_file, key_worker)


def test_a_case_closed_after_consent_was_withdrawn_reopens_paused(
    case_file, key_worker, coordinator
):
    given = consent(case_file, key_worker)
    consent_withdraw(consent=given, withdrawn_on=date(2013, 11, 1), reason="", by=key_worker)
    closure = case_closure_request(case_file=case_file, reason="disengaged", by=key_worker)
    case_closure_decide(closure=closure, approve=True, by=coordinator)
    case_file_reopen(case_file=case_file, reason="Family asked for help again", by=coordinator)
    assert refreshed(case_file).status == CaseFile.Status.PAUSED


def test_every_change_is_audited_with_the_family(case_file, key_worker, coordinator):
    before = AuditEntry.objects.count()
    given = consent(case_file, key_worker)
    note(case_file, key_worker)
    consent_withdraw(consent=given, withdrawn_on=date(2013, 11, 1), reason="", by=key_worker)
    closure = case_closure_request(case_file=case_file, reason="disengaged", by=key_worker)
    case_closure_decide(closure=closure, approve=True, by=coordinator)
    entries = AuditEntry.objects.order_by("pk")[before:]
    assert len(entries) == 5
    assert {e.family_ref for e in entries} == {"H10001"}


def test_the_services_refuse_days_still_to_come_as_the_forms_do(case_file, key_worker, settings):
    settings.SERVICE_DATE = DAY
    later = date.fromordinal(DAY.toordinal() + 1)
    with pytest.raises(CaseworkRefused, match="Date consent was given must be today or in"):
        consent(case_file, key_worker, given_on=later)
    given = consent(case_file, key_worker)
    with pytest.raises(CaseworkRefused, match="Date consent was withdrawn must be today or in"):
        consent_withdraw(consent=given, withdrawn_on=later, reason="Moved away", by=key_worker)
    with pytest.raises(CaseworkRefused, match="Date of the contact must be today or in"):
        case_note_add(
            case_file=case_file,
            contact_type="phone",
            occurred_at=at(later),
            text="Rang Mia",
            by=key_worker,
        )
    with pytest.raises(CaseworkRefused, match="Date of the assessment must be today or in"):
        assessment_record(
            case_file=case_file,
            assessed_on=later,
            needs=[NeedInput(person=None, domain=Domain.HOUSING, severity=1)],
            by=key_worker,
        )
    with pytest.raises(CaseworkRefused, match="Date of the meeting must be today or in"):
        review_record(case_file=case_file, held_on=later, attendees="Mia", scores={}, by=key_worker)
    # The day itself is fine.
    assert case_note_add(
        case_file=case_file, contact_type="phone", occurred_at=at(DAY), text="Rang", by=key_worker
    ).pk
