"""Identified partner files (linkage.md, "Two shapes of file"): imported with their source,
validated all or nothing, keyed by (source, source_person_id), idempotent."""

from __future__ import annotations

import pytest

from families import models as fm
from tests.families.linkage.helpers import import_file, import_rejected, write

PEOPLE = (
    "household_ref,person_ref,given_name,family_name,date_of_birth,sex,postcode,upn,nino\n"
    "H1,P1,Ava,Notrealson,1980-01-01,F,ZZ99 1AA,,QQ123456C\n"
    "H1,P2,Leo,Notrealson,2003-05-05,M,ZZ99 1AA,A123456789012,\n"
)
OFFENCE_HEADER = (
    "source_person_id,given_name,family_name,date_of_birth,postcode,nino,"
    "source_ref,offence_date,outcome_date,offence_type\n"
)


@pytest.fixture
def people(db, tmp_path):
    import_file("people", write(tmp_path, "people.csv", PEOPLE))


def offences(tmp_path, rows: str, header: str = OFFENCE_HEADER):
    return write(tmp_path, "offences.csv", header + rows)


def test_an_identified_file_keeps_its_source_persons_and_their_records(people, tmp_path):
    path = offences(
        tmp_path,
        "N1,Ava,Notrealson,1980-01-01,ZZ99 1AA,QQ 12 34 56 c,R1,2014-01-01,2014-02-01,theft\n"
        "N1,Ava,Notrealson,1980-01-01,ZZ99 1AB,QQ123456C,R2,2014-03-01,,theft\n",
    )

    out = import_file("offences", path, source="county_police")

    assert "2 rows read, 2 created" in out
    source_person = fm.SourcePerson.objects.get()
    assert (source_person.source, source_person.source_person_id) == ("county_police", "N1")
    # The identity as last given, its NINO without spaces and in capitals.
    assert (source_person.postcode, source_person.nino) == ("ZZ99 1AB", "QQ123456C")
    assert set(fm.Offence.objects.values_list("source_person_id", "source_ref")) == {
        (source_person.pk, "R1"),
        (source_person.pk, "R2"),
    }
    batch = fm.ImportBatch.objects.get(kind="offences")
    assert batch.source == "county_police"


def test_reimporting_an_identified_file_changes_nothing(people, tmp_path):
    path = offences(
        tmp_path, "N1,Ava,Notrealson,1980-01-01,ZZ99 1AA,QQ123456C,R1,2014-01-01,,theft\n"
    )
    import_file("offences", path, source="county_police")
    before = [
        list(model.objects.order_by("pk").values_list())
        for model in (fm.SourcePerson, fm.Offence, fm.LinkEvent, fm.LinkCandidate)
    ]

    out = import_file("offences", path, source="county_police")

    assert "1 rows read, 0 created, 0 updated, 1 unchanged" in out
    after = [
        list(model.objects.order_by("pk").values_list())
        for model in (fm.SourcePerson, fm.Offence, fm.LinkEvent, fm.LinkCandidate)
    ]
    assert after == before


def test_the_same_partner_id_from_two_sources_is_two_source_persons(people, tmp_path):
    path = offences(
        tmp_path, "N1,Ava,Notrealson,1980-01-01,ZZ99 1AA,QQ123456C,R1,2014-01-01,,theft\n"
    )
    import_file("offences", path, source="county_police")
    import_file("offences", path, source="transport_police")

    assert fm.SourcePerson.objects.count() == 2
    assert fm.Offence.objects.count() == 2


def test_a_referenced_file_still_imports_as_before(people, tmp_path):
    path = write(
        tmp_path,
        "offences.csv",
        "person_ref,source_ref,offence_date,outcome_date,offence_type\n"
        "P2,R1,2014-01-01,2014-02-01,theft\n",
    )
    import_file("offences", path)

    offence = fm.Offence.objects.get()
    assert (offence.person.ref, offence.source_person) == ("P2", None)


def test_identified_household_level_asb_rows_keep_household_ref(people, tmp_path):
    path = write(
        tmp_path,
        "asb.csv",
        "source_person_id,given_name,family_name,date_of_birth,nino,household_ref,"
        "source_ref,event_date,event_type\n"
        "N1,Ava,Notrealson,1980-01-01,QQ123456C,,A1,2014-01-01,incident\n"
        ",,,,,H1,A2,2014-01-02,asbo\n",
    )
    import_file("asb", path, source="housing")

    by_ref = {event.source_ref: event for event in fm.AsbEvent.objects.all()}
    assert by_ref["A1"].source_person.source_person_id == "N1"
    assert by_ref["A2"].household.ref == "H1"
    assert by_ref["A2"].source_person is None


# --- what an identified file must get right ---------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (",Ava,Notrealson,1980-01-01,,,R1,2014-01-01,,x", "source_person_id", "is blank"),
        ("N1,,Notrealson,1980-01-01,,,R1,2014-01-01,,x", "given_name", "is blank"),
        ("N1,Ava,,1980-01-01,,,R1,2014-01-01,,x", "family_name", "is blank"),
        ("N1,Ava,Notrealson,,,,R1,2014-01-01,,x", "date_of_birth", "is blank"),
        ("N1,Ava,Notrealson,1980-02-30,,,R1,2014-01-01,,x", "date_of_birth", "not a real date"),
        (
            "N1,Ava,Notrealson,2015-01-01,,,R1,2014-01-01,,x",
            "date_of_birth",
            "after the as-of day",
        ),
        ("N1,Ava,Notrealson,1980-01-01,,QQ12345C,R1,2014-01-01,,x", "nino", "National Insurance"),
        ("N1,Ava,Notrealson,1980-01-01,,QQ123456E,R1,2014-01-01,,x", "nino", "National Insurance"),
    ],
)
def test_a_bad_identity_rejects_the_file(people, tmp_path, row, column, message):
    report = import_rejected("offences", offences(tmp_path, row + "\n"), source="county_police")

    assert f"line 2, column {column}: " in report
    assert message in report
    assert not fm.SourcePerson.objects.exists()
    assert not fm.Offence.objects.exists()


@pytest.mark.parametrize(
    "upn", ["A12345678901", "112345678901 2", "A1234567890123", "AB2345678901"]
)
def test_a_upn_that_is_not_a_letter_and_12_digits_rejects_the_file(people, tmp_path, upn):
    path = write(
        tmp_path,
        "attendance.csv",
        "source_person_id,given_name,family_name,date_of_birth,upn,"
        "academic_year,term,possible_sessions,unauthorised_sessions\n"
        f"S1,Leo,Notrealson,2003-05-05,{upn},2013/14,autumn,100,5\n",
    )
    report = import_rejected("attendance", path, source="schools")

    assert "line 2, column upn: " in report
    assert "not a unique pupil number" in report


def test_rows_of_one_source_person_disagreeing_on_identity_reject_the_file(people, tmp_path):
    path = offences(
        tmp_path,
        "N1,Ava,Notrealson,1980-01-01,,,R1,2014-01-01,,x\n"
        "N1,ava ,NOTREALSON,1980-01-01,,,R2,2014-01-01,,x\n"
        "N1,Eva,Notrealson,1980-01-02,,,R3,2014-01-01,,x\n",
    )
    report = import_rejected("offences", path, source="county_police")

    # Case and surrounding spaces do not make a different name.
    assert "line 3" not in report
    assert "line 4, column given_name: 'Eva' disagrees with line 2 ('Ava')" in report
    assert "line 4, column date_of_birth: '1980-01-02' disagrees with line 2" in report


def test_an_identified_file_without_a_source_is_rejected(people, tmp_path):
    path = offences(tmp_path, "N1,Ava,Notrealson,1980-01-01,,,R1,2014-01-01,,x\n")

    report = import_rejected("offences", path)

    assert "line 1, column source_person_id: " in report
    assert "the name of the partner system" in report


def test_a_referenced_file_with_a_source_is_rejected(people, tmp_path):
    path = write(
        tmp_path,
        "offences.csv",
        "person_ref,source_ref,offence_date,outcome_date,offence_type\nP2,R1,2014-01-01,,x\n",
    )
    report = import_rejected("offences", path, source="county_police")

    assert "line 1, column person_ref: " in report
    assert "without a source" in report
    assert not fm.Offence.objects.exists()


def test_a_file_of_both_shapes_is_rejected(people, tmp_path):
    path = offences(
        tmp_path,
        "P2,N1,Ava,Notrealson,1980-01-01,,,R1,2014-01-01,,x\n",
        header="person_ref," + OFFENCE_HEADER,
    )
    for source in ("", "county_police"):
        report = import_rejected("offences", path, source=source)

        assert "both person_ref and source_person_id" in report


def test_a_people_file_takes_no_source(db, tmp_path):
    report = import_rejected(
        "people", write(tmp_path, "people.csv", PEOPLE), source="county_police"
    )

    assert "take no source" in report
    assert not fm.Person.objects.exists()


def test_a_source_name_must_be_lowercase_letters_digits_and_underscores(people, tmp_path):
    path = offences(tmp_path, "N1,Ava,Notrealson,1980-01-01,,,R1,2014-01-01,,x\n")

    report = import_rejected("offences", path, source="County Police")

    assert "lowercase letters, digits and underscores" in report
