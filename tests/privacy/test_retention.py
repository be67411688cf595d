"""Closed cases are anonymised once their retention period is over (nightly, audited, with a
count report)."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.db import DatabaseError, transaction

from audit.models import AuditEntry
from casework.models import CaseNote, CaseNoteAddendum
from families.models import CaseFile, Person
from privacy.anonymise import ANONYMISED, REDACTED
from privacy.models import Anonymisation, RetentionRun
from privacy.retention import closed_before, retention_apply
from privacy.tasks import nightly_retention
from tests.factories import (
    CaseFileFactory,
    CaseNoteFactory,
    ClaimFactory,
    CurrentEligibilityFactory,
    FamilyResultFactory,
    HouseholdFactory,
    LinkCandidateFactory,
    OffenceFactory,
    PersonFactory,
    SourcePersonFactory,
)
from tests.privacy.conftest import AS_OF, close


@pytest.fixture
def note(case_file, members):
    note = CaseNoteFactory(
        case_file=case_file,
        text="Mia told me about the arguments at home.",
        others_seen="Aunt Jo Bloggs",
        is_sensitive=True,
    )
    note.people_seen.add(members["Mia"])
    CaseNoteAddendum.objects.create(note=note, text="Mia rang back.", author=case_file.key_worker)
    return note


def test_the_retention_period_comes_from_settings():
    assert settings.RETENTION_YEARS_AFTER_CLOSURE == 6
    assert closed_before(AS_OF) == date(2015, 3, 1)


def test_a_case_closed_more_than_six_years_ago_is_anonymised(case_file, members, note):
    close(case_file, date(2015, 2, 27))
    OffenceFactory(person=members["Leo"], source_ref="POLICE-123")

    run = retention_apply(as_of=AS_OF)

    assert (run.case_files, run.people, run.notes) == (1, 4, 1)
    note.refresh_from_db()
    assert (note.text, note.others_seen) == (REDACTED, "")
    assert note.addenda.get().text == REDACTED
    mia = Person.objects.get(pk=members["Mia"].pk)
    assert (mia.given_name, mia.family_name, mia.ref) == (ANONYMISED, ANONYMISED, f"ANON-{mia.pk}")
    assert (mia.postcode, mia.upn, mia.nino) == ("", "", "")
    assert mia.date_of_birth == date(1979, 1, 1)
    assert members["Leo"].offences.get().source_ref.startswith("ANON-")
    # The family reference stays: the claims the authority sent name it.
    case_file.refresh_from_db()
    assert case_file.household.ref == "H10001"


def test_the_partners_copy_of_an_anonymised_person_is_anonymised_too(case_file, members):
    close(case_file, date(2015, 2, 27))
    leo = members["Leo"]
    police = SourcePersonFactory(
        source_person_id="NOMINAL-77",
        given_name="Leo",
        family_name=leo.family_name,
        status="linked",
        person=leo,
        method="nino",
        nino="QQ123456C",
        postcode="ZZ99 1AA",
    )
    LinkCandidateFactory(
        source_person=police, person=leo, contributions=[{"field": "given_name", "source": "Leo"}]
    )

    retention_apply(as_of=AS_OF)

    police.refresh_from_db()
    assert (police.given_name, police.family_name, police.nino, police.postcode) == (
        ANONYMISED,
        ANONYMISED,
        "",
        "",
    )
    assert police.source_person_id == f"ANON-{police.pk}"
    assert police.candidates.get().contributions == []


def test_the_names_in_text_written_from_members_records_are_removed(case_file, members):
    close(case_file, date(2014, 6, 1))
    CaseFile.objects.filter(pk=case_file.pk).update(
        baseline_reasons="youth offence 2013-01-10 (Leo); JSA (Mia)"
    )
    current = CurrentEligibilityFactory(
        household=case_file.household, reasons="JSA (Mia); 3 fixed exclusions (Ava)"
    )
    assert "Mia Notrealson" in current.member_names
    assert current.postcodes == "ZZ99 1AA"
    result = FamilyResultFactory(
        case_file=case_file, reason="employment: Mia's job from 2014-01-06"
    )

    retention_apply(as_of=AS_OF)

    case_file.refresh_from_db()
    current.refresh_from_db()
    result.refresh_from_db()
    assert case_file.baseline_reasons == "youth offence 2013-01-10 (Anonymised); JSA (Anonymised)"
    assert current.reasons == "JSA (Anonymised); 3 fixed exclusions (Anonymised)"
    assert set(current.member_names.split(", ")) == {"Anonymised Anonymised"}
    assert current.family_names == ANONYMISED
    assert current.postcodes == ANONYMISED
    assert result.reason == "employment: Anonymised's job from 2014-01-06"
    household = case_file.household
    household.refresh_from_db()
    assert set(household.member_names.split(", ")) == {"Anonymised Anonymised"}
    assert (household.family_names, household.postcodes) == (ANONYMISED, ANONYMISED)


def test_a_case_closed_less_than_six_years_ago_is_kept(case_file, members, note):
    close(case_file, date(2015, 3, 2))

    run = retention_apply(as_of=AS_OF)

    assert (run.case_files, run.people, run.notes) == (0, 0, 0)
    note.refresh_from_db()
    assert note.text.startswith("Mia told me")
    assert Person.objects.get(pk=members["Mia"].pk).given_name == "Mia"


def test_an_open_case_is_kept_however_old(case_file, members, note):
    run = retention_apply(as_of=date(2040, 1, 1))

    assert run.case_files == 0
    assert Person.objects.filter(given_name="Mia").exists()


def test_someone_who_moved_to_a_family_still_within_its_period_keeps_their_data(
    case_file, members, note
):
    close(case_file, date(2014, 6, 1))
    new_family = HouseholdFactory(ref="H20002")
    moved = members["Ava"]
    moved.memberships.update(valid_to=date(2016, 1, 1))
    moved.memberships.create(
        household=new_family, valid_from=date(2016, 1, 1), import_batch=moved.import_batch
    )

    run = retention_apply(as_of=AS_OF)

    assert run.people == 3
    assert Person.objects.get(pk=moved.pk).given_name == "Ava"
    note.refresh_from_db()
    assert note.text == REDACTED


def test_running_again_changes_nothing(case_file, members, note):
    close(case_file, date(2014, 6, 1))
    retention_apply(as_of=AS_OF)

    again = retention_apply(as_of=AS_OF)

    assert (again.case_files, again.people, again.notes) == (0, 0, 0)
    assert Anonymisation.objects.filter(case_file=case_file).count() == 1


def test_each_anonymised_family_and_each_pass_are_audited(case_file, members):
    close(case_file, date(2014, 6, 1))
    other = close(CaseFileFactory(household=HouseholdFactory(ref="H30003")), date(2013, 1, 1))

    run = retention_apply(as_of=AS_OF)

    per_family = AuditEntry.objects.filter(action="change", object_type="families.casefile")
    assert sorted(per_family.values_list("family_ref", flat=True)) == ["H10001", "H30003"]
    assert per_family.get(family_ref="H30003").object_id == str(other.pk)
    report = AuditEntry.objects.get(action="run", object_type="privacy.retentionrun")
    assert report.details == {
        "closed_before": "2015-03-01",
        "case_files": 2,
        "people": 4,
        "notes": 0,
    }
    assert report.object_id == str(run.pk)


def test_claims_and_their_evidence_are_left_as_they_were(case_file, members):
    claim = ClaimFactory(case_file=case_file, evidence={"reason": "JSA (Mia)"})
    close(case_file, date(2014, 6, 1))

    retention_apply(as_of=AS_OF)

    claim.refresh_from_db()
    assert (claim.amount, claim.evidence) == (claim.amount, {"reason": "JSA (Mia)"})
    assert claim.household.ref == "H10001"


def test_case_notes_stay_append_only_to_everything_but_the_redaction(case_file, note):
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseNote.objects.filter(pk=note.pk).update(text="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseNote.objects.filter(pk=note.pk).delete()
    note.refresh_from_db()
    assert note.text.startswith("Mia told me")


def test_the_redaction_switch_does_not_outlive_its_transaction(case_file, note):
    close(case_file, date(2014, 6, 1))
    retention_apply(as_of=AS_OF)

    with pytest.raises(DatabaseError), transaction.atomic():
        CaseNote.objects.filter(pk=note.pk).update(text="rewritten")


def test_a_name_with_punctuation_is_matched_as_itself(case_file):
    odd = PersonFactory(household=case_file.household, given_name="Jo (Jr.)", family_name="O'Neil")
    CaseFile.objects.filter(pk=case_file.pk).update(
        baseline_reasons="JSA (Jo (Jr.)); O'Neil; Jo Jr"
    )
    close(case_file, date(2014, 6, 1))

    retention_apply(as_of=AS_OF)

    case_file.refresh_from_db()
    assert case_file.baseline_reasons == "JSA (Anonymised); Anonymised; Jo Jr"
    assert Person.objects.get(pk=odd.pk).family_name == ANONYMISED


@pytest.mark.django_db
def test_the_nightly_task_applies_the_rule_for_today_and_is_scheduled():
    schedule = settings.CELERY_BEAT_SCHEDULE["nightly-retention"]
    assert schedule["task"] == "privacy.tasks.nightly_retention"

    run_id = nightly_retention.delay().get()

    run = RetentionRun.objects.get(pk=run_id)
    assert run.trigger == "nightly"
