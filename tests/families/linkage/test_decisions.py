"""Decisions (linkage.md, "Decisions"): link, no match and unlink, each kept in the history,
audited by reference, recalculating the family at once, never undone by automatic linking;
and only a linked source person's records count."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import DatabaseError, transaction

from audit.models import AuditEntry
from families import models as fm
from families.identification import recalculate_all
from families.linkage.services import (
    LinkDecisionRefused,
    source_person_link,
    source_person_no_match,
    source_person_unlink,
)
from tests.factories import BenefitSpellFactory, ConcernFactory, HouseholdFactory, PersonFactory
from tests.families.linkage.helpers import AS_OF, import_file, write

DAY = date.fromisoformat(AS_OF)
OFFENCE = (
    "source_person_id,given_name,family_name,date_of_birth,postcode,nino,"
    "source_ref,offence_date,outcome_date,offence_type\n"
    "N1,Kai,Notrealson,1998-01-01,ZZ99 1AA,QQ111111A,R1,2014-01-01,2014-02-01,theft\n"
)


@pytest.fixture
def family(db):
    """Out of work and known to children's services: an offence of its youth would make it
    eligible (work, crime/ASB and local discretion)."""
    household = HouseholdFactory(ref="H00123")
    BenefitSpellFactory(
        person=PersonFactory(household=household, ref="P1"), start_date=date(2013, 1, 1)
    )
    PersonFactory(household=household, ref="P2", date_of_birth=date(1998, 1, 1), nino="QQ111111A")
    ConcernFactory(household=household, concern="domestic_abuse", start_date=date(2013, 6, 1))
    PersonFactory(household=HouseholdFactory(ref="H00456"), ref="P3")
    recalculate_all(as_of=DAY)
    return household


def eligible(ref: str = "H00123") -> bool:
    return fm.CurrentEligibility.objects.get(household__ref=ref).eligible


@pytest.fixture
def linked(family, tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        import_file("offences", write(tmp_path, "offences.csv", OFFENCE), source="county_police")
    return fm.SourcePerson.objects.get()


def test_a_family_becomes_eligible_when_its_offence_is_linked(family, linked):
    assert (linked.status, linked.person.ref) == ("linked", "P2")
    assert eligible()


def test_unlinking_stops_the_offence_counting_at_once(
    linked, data_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        source_person_unlink(source_person=linked, by=data_officer, note="not my son")

    linked.refresh_from_db()
    assert (linked.status, linked.person, linked.method) == ("unlinked", None, "")
    assert fm.Offence.objects.get().person is None
    assert not eligible()
    # The earlier state is kept, with who and why.
    automatic, decision = linked.events.order_by("at", "id")
    assert (automatic.to_status, automatic.to_person.ref) == ("linked", "P2")
    assert (decision.from_status, decision.from_person.ref, decision.to_status) == (
        "linked",
        "P2",
        "unlinked",
    )
    assert (decision.by, decision.note, decision.reason) == (data_officer, "not my son", "unlink")
    # "Not my son": never proposed again.
    assert fm.NoMatch.objects.filter(source_person=linked, person__ref="P2").exists()


def test_linking_by_decision_undoes_an_unlink_and_counts_again(
    linked, data_officer, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        source_person_unlink(source_person=linked, by=data_officer)
    person = fm.Person.objects.get(ref="P2")

    with django_capture_on_commit_callbacks(execute=True):
        source_person_link(source_person=linked, person=person, by=coordinator, note="checked")

    linked.refresh_from_db()
    assert (linked.status, linked.method, linked.decided_by) == ("linked", "decision", coordinator)
    assert linked.match_probability is None
    assert eligible()
    # Saying who it is withdraws the earlier "not this person".
    assert not fm.NoMatch.objects.filter(source_person=linked).exists()


def test_linking_to_another_person_moves_the_records_between_families(
    linked, data_officer, django_capture_on_commit_callbacks
):
    other = fm.Person.objects.get(ref="P3")

    with django_capture_on_commit_callbacks(execute=True):
        source_person_link(source_person=linked, person=other, by=data_officer)

    assert fm.Offence.objects.get().person == other
    assert not eligible()
    assert fm.EligibilityRun.objects.order_by("-id").first().trigger == "link decision"


def test_a_decision_is_audited_by_reference_never_by_name(linked, data_officer):
    source_person_unlink(source_person=linked, by=data_officer, note="not my son")

    entry = AuditEntry.objects.filter(object_type="families.sourceperson").get()
    assert entry.summary == "Unlinked county_police N1 from person P2"
    assert (entry.user, entry.family_ref, entry.object_id) == (
        data_officer,
        "H00123",
        str(linked.pk),
    )
    assert "Kai" not in str(entry.details) and "Notrealson" not in str(entry.details)


def test_a_decision_survives_a_reimport_and_a_new_automatic_run(
    linked, data_officer, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        source_person_unlink(source_person=linked, by=data_officer)
        import_file("offences", write(tmp_path, "offences.csv", OFFENCE), source="county_police")
        import_file(
            "people",
            write(
                tmp_path,
                "people.csv",
                "household_ref,person_ref,given_name,family_name,date_of_birth,sex,postcode,"
                "upn,nino\nH00789,P9,Kai,Notrealson,1998-01-01,M,ZZ99 1AA,,\n",
            ),
        )

    linked.refresh_from_db()
    assert (linked.status, linked.decision) == ("unlinked", "unlink")
    assert linked.events.count() == 2
    assert not eligible()


def test_a_decided_link_survives_a_reimport(
    linked, data_officer, tmp_path, django_capture_on_commit_callbacks
):
    other = fm.Person.objects.get(ref="P3")
    source_person_link(source_person=linked, person=other, by=data_officer)

    import_file("offences", write(tmp_path, "offences.csv", OFFENCE), source="county_police")

    linked.refresh_from_db()
    assert (linked.person, linked.method) == (other, "decision")


def test_refused_decisions_change_nothing(linked, data_officer):
    with pytest.raises(LinkDecisionRefused, match="already linked to P2"):
        source_person_link(source_person=linked, person=linked.person, by=data_officer)
    with pytest.raises(LinkDecisionRefused, match="unlink it instead"):
        source_person_no_match(source_person=linked, by=data_officer)
    source_person_unlink(source_person=linked, by=data_officer)
    with pytest.raises(LinkDecisionRefused, match="not linked to anyone"):
        source_person_unlink(source_person=linked, by=data_officer)

    assert linked.events.count() == 2


def test_no_match_to_a_person_is_kept_and_recorded(linked, data_officer):
    source_person_unlink(source_person=linked, by=data_officer)
    other = fm.Person.objects.get(ref="P3")

    decided = source_person_no_match(
        source_person=linked, person=other, by=data_officer, note="different man"
    )

    assert (decided.status, decided.decision, decided.decided_by) == (
        "unlinked",
        "no_match",
        data_officer,
    )
    assert set(fm.NoMatch.objects.values_list("person__ref", flat=True)) == {"P2", "P3"}
    assert decided.events.order_by("-id").first().note == "different man"


def test_link_history_cannot_be_rewritten(linked):
    event = linked.events.get()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        fm.LinkEvent.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        fm.LinkEvent.objects.filter(pk=event.pk).delete()
