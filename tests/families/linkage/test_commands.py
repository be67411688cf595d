"""linkage.md's command line: ``export_links`` and ``link_decide``."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from families import models as fm
from tests.families.linkage.helpers import import_file, write

PEOPLE = (
    "household_ref,person_ref,given_name,family_name,date_of_birth,sex,postcode,upn,nino\n"
    "H1,P1,Ava,Notrealson,1980-01-01,F,ZZ99 1AA,,QQ123456C\n"
    "H1,P2,Leo,Notrealson,2003-05-05,M,ZZ99 1AA,A123456789012,\n"
)


@pytest.fixture
def links(db, tmp_path):
    import_file("people", write(tmp_path, "people.csv", PEOPLE))
    import_file(
        "attendance",
        write(
            tmp_path,
            "attendance.csv",
            "source_person_id,given_name,family_name,date_of_birth,upn,"
            "academic_year,term,possible_sessions,unauthorised_sessions\n"
            "S2,Leo,Notrealson,2003-05-05,A123456789012,2013/14,autumn,100,5\n",
        ),
        source="schools",
    )
    import_file(
        "benefits",
        write(
            tmp_path,
            "benefits.csv",
            "source_person_id,given_name,family_name,date_of_birth,nino,benefit,start_date,"
            "end_date\nD1,Ava,Notrealson,1980-01-01,QQ123456C,JSA,2014-01-01,\n",
        ),
        source="dwp",
    )


def decide(*args: str) -> str:
    out = io.StringIO()
    call_command("link_decide", *args, stdout=out)
    return out.getvalue()


def export(tmp_path) -> list[dict[str, str]]:
    path = tmp_path / "links.csv"
    call_command("export_links", "--out", str(path), stdout=io.StringIO())
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_import_prints_how_the_source_persons_were_linked(db, tmp_path):
    import_file("people", write(tmp_path, "people.csv", PEOPLE))
    out = import_file(
        "benefits",
        write(
            tmp_path,
            "benefits.csv",
            "source_person_id,given_name,family_name,date_of_birth,nino,benefit,start_date,"
            "end_date\nD1,Ava,Notrealson,1980-01-01,QQ123456C,JSA,2014-01-01,\n",
        ),
        source="dwp",
    )

    assert (
        "Source persons: 1 linked (1 by nino, 0 by upn, 0 by probabilistic, 0 by decision), "
        "0 possible matches to review, 0 unlinked." in out
    )


def test_export_links_writes_one_row_per_source_person_sorted(links, tmp_path):
    rows = export(tmp_path)

    assert list(rows[0]) == [
        "source",
        "source_person_id",
        "status",
        "person_ref",
        "method",
        "match_probability",
        "decided_by",
    ]
    assert [tuple(row.values()) for row in rows] == [
        ("dwp", "D1", "linked", "P1", "nino", "", ""),
        ("schools", "S2", "linked", "P2", "upn", "", ""),
    ]


def test_link_decide_unlinks_links_and_marks_no_match(links, data_officer, tmp_path):
    name = data_officer.username

    out = decide("--source", "dwp", "--id", "D1", "--unlink", "--by", name, "--note", "wrong")
    assert out.strip() == "dwp D1: unlinked."
    assert export(tmp_path)[0] == {
        "source": "dwp",
        "source_person_id": "D1",
        "status": "unlinked",
        "person_ref": "",
        "method": "",
        "match_probability": "",
        "decided_by": name,
    }

    assert decide("--source", "dwp", "--id", "D1", "--person", "P1", "--by", name).strip() == (
        "dwp D1: linked to P1."
    )
    assert export(tmp_path)[0]["method"] == "decision"

    decide("--source", "dwp", "--id", "D1", "--unlink", "--by", name)
    assert decide("--source", "dwp", "--id", "D1", "--no-match", "--by", name).strip() == (
        "dwp D1: unlinked."
    )
    assert fm.SourcePerson.objects.get(source="dwp").events.count() == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "dwp", "--id", "D9", "--unlink"], "No source person D9 from dwp"),
        (["--source", "dwp", "--id", "D1", "--person", "P9"], "No person P9"),
        (["--source", "dwp", "--id", "D1", "--no-match"], "unlink it instead"),
    ],
)
def test_link_decide_refuses_what_it_cannot_do(links, data_officer, args, message):
    with pytest.raises(CommandError, match=message):
        decide(*args, "--by", data_officer.username)


def test_link_decide_needs_an_active_user(links):
    with pytest.raises(CommandError, match="No active user nobody"):
        decide("--source", "dwp", "--id", "D1", "--unlink", "--by", "nobody")
