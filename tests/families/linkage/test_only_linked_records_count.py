"""Only a linked source person's records count (linkage.md): in eligibility, in results and
in the evidence of a claim, from the moment someone links them and until they are unlinked.
No rule module knows about linkage: they read ``person_id``, which follows the link."""

from __future__ import annotations

from datetime import date

import pytest

from claims.selectors import evidence_batches
from families import models as fm
from families.eligibility import evaluate
from families.linkage.services import source_person_link, source_person_unlink
from outcomes.facts import gather_facts
from tests.factories import (
    BenefitSpellFactory,
    CaseFileFactory,
    ConcernFactory,
    HouseholdFactory,
    PersonFactory,
)
from tests.families.linkage.helpers import crowd_offences, crowd_people, import_file, write

DAY = date(2014, 6, 1)
PEOPLE_HEADER = (
    "household_ref,person_ref,given_name,family_name,date_of_birth,sex,postcode,upn,nino\n"
)
# The police know Kai by their own id, under a name and birthday the council's index does
# not have, and a NINO it does not know: nothing links him.
OFFENCE = (
    "source_person_id,given_name,family_name,date_of_birth,postcode,nino,upn,"
    "source_ref,offence_date,outcome_date,offence_type\n"
    "N1,Kaden,Unheardof,1998-02-03,ZZ1 9ZZ,QQ111111A,,R1,2014-01-01,2014-02-01,theft\n"
)


@pytest.fixture
def kai(db, tmp_path):
    """A family attached to the programme, out of work, with a concern; Kai's offence is
    imported but linked to nobody yet."""
    household = HouseholdFactory(ref="H00123")
    BenefitSpellFactory(
        person=PersonFactory(household=household, ref="P1"), start_date=date(2013, 1, 1)
    )
    ConcernFactory(household=household, concern="domestic_abuse", start_date=date(2013, 6, 1))
    CaseFileFactory(household=household, attached_on=date(2013, 9, 2))
    kai = PersonFactory(household=household, ref="P2", date_of_birth=date(1998, 1, 1))
    # Others the police file names too, so that the matcher has a file to train on.
    import_file("people", write(tmp_path, "people.csv", PEOPLE_HEADER + crowd_people(60)))
    offences = write(tmp_path, "offences.csv", OFFENCE + crowd_offences(30))
    import_file("offences", offences, source="county_police")
    return kai


def eligible() -> bool:
    return {a.ref: a.eligible for a in evaluate(DAY)}.get("H00123", False)


def youth_offences_since_attachment() -> int:
    (facts,) = gather_facts(DAY, [fm.Household.objects.get(ref="H00123").pk])
    return facts.youth_recent


def offence_batch_in_evidence() -> bool:
    household = fm.Household.objects.get(ref="H00123")
    batch = fm.ImportBatch.objects.get(kind="offences")
    return batch.pk in evidence_batches([household.pk], DAY).get(household.pk, [])


def test_an_unlinked_source_persons_offence_counts_nowhere(kai):
    assert fm.SourcePerson.objects.get(source_person_id="N1").status != "linked"

    assert not eligible()
    assert youth_offences_since_attachment() == 0
    assert not offence_batch_in_evidence()


def test_once_linked_the_offence_counts_everywhere_and_stops_when_unlinked(kai, data_officer):
    source_person = fm.SourcePerson.objects.get(source_person_id="N1")

    source_person_link(source_person=source_person, person=kai, by=data_officer)

    assert eligible()
    assert youth_offences_since_attachment() == 1
    assert offence_batch_in_evidence()

    source_person_unlink(source_person=source_person, by=data_officer)

    assert not eligible()
    assert youth_offences_since_attachment() == 0
    assert not offence_batch_in_evidence()
