"""Exact linking (linkage.md, "Linking" 1): a NINO, or else a UPN, held by exactly one person
whose date of birth is the same."""

from __future__ import annotations

import pytest

from families import models as fm
from tests.families.linkage.helpers import crowd_offences, crowd_people, import_file, write

PEOPLE = (
    "household_ref,person_ref,given_name,family_name,date_of_birth,sex,postcode,upn,nino\n"
    "H1,P1,Ava,Notrealson,1980-01-01,F,ZZ99 1AA,,QQ123456C\n"
    "H1,P2,Leo,Notrealson,2003-05-05,M,ZZ99 1AA,A123456789012,\n"
    "H2,P3,Mia,Fakeworth,1975-03-03,F,ZZ99 2BB,,QQ654321A\n"
    "H3,P4,Max,Madeupson,1975-03-03,M,ZZ99 3CC,,QQ654321A\n"
)
OFFENCES = (
    "source_person_id,given_name,family_name,date_of_birth,postcode,nino,upn,"
    "source_ref,offence_date,outcome_date,offence_type\n"
)


# Index people the police file also names, without identifiers: a file's worth of records
# for the matcher to train on when a source person is not linked exactly.
CROWD = 60


@pytest.fixture
def people(db, tmp_path):
    import_file("people", write(tmp_path, "people.csv", PEOPLE + crowd_people(CROWD)))


def import_offences(tmp_path, rows: str) -> str:
    path = write(tmp_path, "offences.csv", OFFENCES + rows + crowd_offences(CROWD // 2))
    return import_file("offences", path, source="county_police")


def source_person(source_person_id: str) -> fm.SourcePerson:
    return fm.SourcePerson.objects.select_related("person").get(
        source="county_police", source_person_id=source_person_id
    )


def test_a_nino_held_by_one_person_of_the_same_birthday_links(people, tmp_path):
    out = import_offences(
        tmp_path, "N1,Ann,Notrealsen,1980-01-01,,qq123456c,,R1,2014-01-01,2014-02-01,theft\n"
    )

    linked = source_person("N1")
    assert (linked.status, linked.method, linked.person.ref) == ("linked", "nino", "P1")
    assert linked.match_probability is None
    # Its records now belong to the person, and so count.
    assert fm.Offence.objects.get(source_ref="R1").person.ref == "P1"
    assert "(1 by nino, 0 by upn, " in out
    event = linked.events.get()
    assert (event.from_status, event.to_status, event.to_person.ref, event.by) == (
        "",
        "linked",
        "P1",
        None,
    )


def test_a_upn_links_when_there_is_no_nino(people, tmp_path):
    import_offences(tmp_path, "N2,Leo,Notrealson,2003-05-05,,,a123456789012,R2,2014-01-01,,x\n")

    linked = source_person("N2")
    assert (linked.status, linked.method, linked.person.ref) == ("linked", "upn", "P2")


def test_a_nino_that_fails_falls_back_to_the_upn(people, tmp_path):
    # The NINO is nobody's; the UPN is Leo's.
    import_offences(
        tmp_path, "N2,Leo,Notrealson,2003-05-05,,QQ999999D,A123456789012,R2,2014-01-01,,x\n"
    )

    assert source_person("N2").method == "upn"


def test_an_identifier_with_another_date_of_birth_does_not_link(people, tmp_path):
    # Someone else entirely, carrying Ava's NINO: a slip in somebody's data.
    import_offences(tmp_path, "N3,Zed,Otherly,1999-09-09,,QQ123456C,,R3,2014-01-01,,x\n")

    found = source_person("N3")
    assert found.status != "linked"
    assert fm.Offence.objects.get(source_ref="R3").person is None


def test_two_people_sharing_an_identifier_is_ambiguous_and_links_neither(people, tmp_path):
    # Mia and Max share a NINO and a date of birth: the NINO cannot tell them apart.
    import_offences(tmp_path, "N4,Sam,Unknownly,1975-03-03,,QQ654321A,,R4,2014-01-01,,x\n")

    found = source_person("N4")
    assert found.method not in ("nino", "upn")
    assert found.status != "linked"


def test_a_linked_source_person_keeps_its_link_when_its_source_is_imported_again(people, tmp_path):
    import_offences(tmp_path, "N1,Ava,Notrealson,1980-01-01,,QQ123456C,,R1,2014-01-01,,x\n")

    # The partner now gives a NINO that is someone else's: the link stands (linkage.md 3).
    import_offences(tmp_path, "N1,Ava,Notrealson,1980-01-01,,QQ654321A,,R5,2014-01-01,,x\n")

    linked = source_person("N1")
    assert (linked.person.ref, linked.nino) == ("P1", "QQ654321A")
    records = fm.Offence.objects.filter(source_person=linked)
    assert set(records.values_list("person__ref", flat=True)) == {"P1"}
    assert linked.events.count() == 1


def test_people_joining_the_index_link_an_unlinked_source_person(people, tmp_path):
    # Nobody holds this UPN yet; once the school's pupil is in the index, it links.
    import_offences(tmp_path, "N6,Ivy,Newcomer,2004-04-04,,,B123456789012,R6,2014-01-01,,x\n")
    assert source_person("N6").status != "linked"

    import_file(
        "people",
        write(
            tmp_path,
            "people2.csv",
            PEOPLE + "H4,P5,Ivy,Newcomer,2004-04-04,F,ZZ99 4DD,B123456789012,\n",
        ),
    )

    linked = source_person("N6")
    assert (linked.status, linked.method, linked.person.ref) == ("linked", "upn", "P5")
    assert fm.Offence.objects.get(source_ref="R6").person.ref == "P5"
