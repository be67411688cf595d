"""A partner's first file may be tiny: too few people to train a model on. Nothing is lost:
its people are kept, unlinked, and compared again when their source or people are imported."""

from __future__ import annotations

from families import models as fm
from tests.families.linkage.helpers import import_file, write

PEOPLE = (
    "household_ref,person_ref,given_name,family_name,date_of_birth,sex,postcode,upn,nino\n"
    "H1,P1,Ava,Notrealson,1980-01-01,F,ZZ99 1AA,,\n"
    "H1,P2,Kai,Notrealson,2001-03-04,M,ZZ99 1AA,,\n"
    "H2,P3,Mia,Madeupson,1979-05-06,F,ZZ99 2BB,,\n"
)
OFFENCES = (
    "source_person_id,given_name,family_name,date_of_birth,postcode,nino,upn,"
    "source_ref,offence_date,outcome_date,offence_type\n"
    "N1,Kai,Notrealson,2001-03-04,ZZ99 1AA,,,R1,2014-01-01,,theft\n"
    "N2,Zed,Strangerson,1990-01-01,ZZ99 9ZZ,,,R2,2014-01-02,,theft\n"
)


def test_a_first_file_too_small_to_train_on_keeps_its_people(db, tmp_path):
    import_file("people", write(tmp_path, "people.csv", PEOPLE))
    summary = import_file(
        "offences", write(tmp_path, "offences.csv", OFFENCES), source="tiny_police"
    )
    statuses = dict(
        fm.SourcePerson.objects.filter(source="tiny_police").values_list(
            "source_person_id", "status"
        )
    )
    # Kai is in the index: proposed (or linked); the stranger is kept, unlinked.
    assert statuses["N1"] in ("possible", "linked")
    assert statuses["N2"] == "unlinked"
    assert fm.Offence.objects.filter(source_person__source="tiny_police").count() == 2
    assert "2 created" in summary
