"""Attachment freezes the baseline the results rules compare against (programme-rules.md)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEntry
from families.casefiles import AttachmentRefused, case_file_attach
from families.models import Allocation, CaseFile, CohortDecision
from tests.factories import (
    AsbEventFactory,
    BenefitSpellFactory,
    ConcernFactory,
    HouseholdFactory,
    OffenceFactory,
    PersonFactory,
)

ATTACHED = date(2013, 9, 12)


@pytest.fixture
def family(db):
    household = HouseholdFactory(ref="H00003")
    BenefitSpellFactory(person=PersonFactory(household=household), start_date=date(2012, 1, 1))
    ConcernFactory(household=household, start_date=date(2013, 1, 1))
    AsbEventFactory(household=household, event_date=date(2013, 6, 1), event_type="asbo")
    return household


def test_attaching_freezes_the_criteria_met_on_the_attachment_day(family, key_worker):
    case_file = case_file_attach(household=family, key_worker=key_worker, attached_on=ATTACHED)
    assert (
        case_file.baseline_crime_asb,
        case_file.baseline_education,
        case_file.baseline_work,
    ) == (
        True,
        False,
        True,
    )
    assert Allocation.objects.get(case_file=case_file).key_worker == key_worker


def test_the_asb_baseline_counts_every_event_in_the_six_months_before_attachment(
    family, key_worker
):
    AsbEventFactory(household=family, event_date=date(2013, 3, 12), event_type="incident")  # A - 6m
    AsbEventFactory(household=family, event_date=date(2013, 3, 11), event_type="incident")  # before
    AsbEventFactory(household=family, event_date=ATTACHED, event_type="incident")  # A itself: after
    case_file = case_file_attach(household=family, key_worker=key_worker, attached_on=ATTACHED)
    assert case_file.baseline_asb_events == 2


def test_the_offence_baseline_counts_youth_offences_proven_by_attachment(family, key_worker):
    young = PersonFactory(household=family, date_of_birth=date(2000, 1, 1))
    OffenceFactory(person=young, offence_date=date(2013, 5, 1), outcome_date=ATTACHED)
    OffenceFactory(person=young, offence_date=date(2013, 5, 2), outcome_date=date(2013, 9, 13))
    OffenceFactory(person=young, offence_date=date(2013, 5, 3), outcome_date=None)
    case_file = case_file_attach(household=family, key_worker=key_worker, attached_on=ATTACHED)
    assert case_file.baseline_youth_offences == 1


def test_a_community_resolution_the_day_before_attachment_is_not_in_the_baseline(
    family, key_worker
):
    young = PersonFactory(household=family, date_of_birth=date(2000, 1, 1))
    day_before = date(2013, 9, 11)
    OffenceFactory(
        person=young,
        offence_date=day_before,
        outcome_date=day_before,
        outcome_type="community_resolution",
    )
    OffenceFactory(
        person=young, offence_date=day_before, outcome_date=day_before, outcome_type="caution"
    )
    case_file = case_file_attach(household=family, key_worker=key_worker, attached_on=ATTACHED)
    assert case_file.baseline_youth_offences == 1


def test_a_family_not_eligible_on_the_day_cannot_be_attached(db, key_worker):
    household = HouseholdFactory(ref="H00009")
    BenefitSpellFactory(person=PersonFactory(household=household), start_date=date(2012, 1, 1))
    with pytest.raises(AttachmentRefused, match="not eligible on 12 September 2013"):
        case_file_attach(household=household, key_worker=key_worker, attached_on=ATTACHED)
    assert not CaseFile.objects.exists()


def test_an_attachment_date_in_the_future_is_refused(family, key_worker, settings):
    settings.SERVICE_DATE = date(2013, 9, 11)
    with pytest.raises(CommandError, match="Attachment date must be today or in the past"):
        call_command(
            "attach_family", "H00003", "--key-worker", key_worker.username, "--date", "2013-09-12"
        )
    assert not CaseFile.objects.exists()
    settings.SERVICE_DATE = ATTACHED
    case_file = case_file_attach(household=family, key_worker=key_worker, attached_on=ATTACHED)
    assert case_file.attached_on == ATTACHED


def test_only_a_key_worker_can_be_allocated(family, coordinator):
    with pytest.raises(AttachmentRefused, match="not a key worker"):
        case_file_attach(household=family, key_worker=coordinator, attached_on=ATTACHED)


def test_attachment_confirms_the_family_into_the_cohort_and_is_audited(
    family, key_worker, coordinator
):
    case_file_attach(
        household=family, key_worker=key_worker, attached_on=ATTACHED, attached_by=coordinator
    )
    decision = CohortDecision.objects.get(household=family, is_current=True)
    assert (decision.decision, decision.decided_by) == ("confirmed", coordinator)
    entry = AuditEntry.objects.get(action="create", family_ref="H00003")
    assert entry.user == coordinator


def test_attach_family_command_attaches_and_reports_errors_clearly(family, key_worker):
    call_command(
        "attach_family", "H00003", "--key-worker", key_worker.username, "--date", "2013-09-12"
    )
    assert CaseFile.objects.get(household=family).attached_on == ATTACHED
    with pytest.raises(CommandError, match="already attached"):
        call_command(
            "attach_family", "H00003", "--key-worker", key_worker.username, "--date", "2013-09-12"
        )
    with pytest.raises(CommandError, match="No family"):
        call_command(
            "attach_family", "H99999", "--key-worker", key_worker.username, "--date", "2013-09-12"
        )
    with pytest.raises(CommandError, match="No user"):
        call_command("attach_family", "H00003", "--key-worker", "nobody", "--date", "2013-09-12")
