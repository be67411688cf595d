"""Partner-extract imports through ``manage.py import_data`` (data-formats.md)."""

from __future__ import annotations

import csv
import io
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from audit.models import AuditEntry
from families import models as fm
from families.imports import extract_import
from families.imports.services import (
    BATCH_LOCK_CLASS,
    INTERRUPTED,
    import_batch_create,
    import_batch_run,
)
from families.imports.validation import MAX_STORED_ERRORS
from tests.examples import EXAMPLES

KINDS_IN_ORDER = [
    "people",
    "attendance",
    "exclusions",
    "education_status",
    "offences",
    "asb",
    "benefits",
    "employment",
    "work_progress",
    "concerns",
]
RECORD_MODELS = {
    "attendance": fm.Attendance,
    "exclusions": fm.Exclusion,
    "education_status": fm.EducationStatus,
    "offences": fm.Offence,
    "asb": fm.AsbEvent,
    "benefits": fm.BenefitSpell,
    "employment": fm.EmploymentSpell,
    "work_progress": fm.WorkProgress,
    "concerns": fm.Concern,
}
DATA_MODELS = [fm.Household, fm.Person, fm.Membership, *RECORD_MODELS.values()]


def run_import(kind: str, path: Path, as_of: str | None = None) -> tuple[str, str]:
    """``import_data`` as the command line runs it: (stdout, stderr); CommandError on reject."""
    out, err = io.StringIO(), io.StringIO()
    args = [kind, str(path)] + (["--as-of", as_of] if as_of else [])
    call_command("import_data", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def rejected(kind: str, path: Path, as_of: str | None = None) -> str:
    err = io.StringIO()
    args = [kind, str(path)] + (["--as-of", as_of] if as_of else [])
    with pytest.raises(CommandError) as raised:
        call_command("import_data", *args, stdout=io.StringIO(), stderr=err)
    assert raised.value.returncode == 1
    return err.getvalue() + str(raised.value)


def data_snapshot() -> dict[str, list[tuple]]:
    """Every row of every household, person, membership and partner-record table."""
    return {
        model.__name__: list(model.objects.order_by("pk").values_list()) for model in DATA_MODELS
    }


def data_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


@pytest.fixture
def examples_imported(db):
    for kind in KINDS_IN_ORDER:
        run_import(kind, EXAMPLES / f"{kind}.csv")


@pytest.fixture
def household(db, tmp_path):
    """Two households and three people, imported as a first snapshot."""
    people = write_csv(
        tmp_path / "people.csv",
        "household_ref,person_ref,given_name,family_name,date_of_birth,sex,postcode\n"
        "H1,P1,Ava,Notrealson,1980-01-01,F,ZZ99 1AA\n"
        "H1,P2,Leo,Notrealson,2005-05-05,M,ZZ99 1AA\n"
        "H2,P3,Mia,Fakeworth,1975-03-03,F,ZZ99 2BB\n",
    )
    run_import("people", people, "2013-01-01")


# --- the example dataset -----------------------------------------------------------------


def test_every_example_file_imports_with_counts_matching_the_file(db):
    for kind in KINDS_IN_ORDER:
        path = EXAMPLES / f"{kind}.csv"
        rows = len(data_rows(path))

        out, _ = run_import(kind, path)

        assert f"{rows} rows read, {rows} created, 0 updated" in out
    people = data_rows(EXAMPLES / "people.csv")
    assert fm.Person.objects.count() == len(people)
    assert fm.Household.objects.count() == len({row["household_ref"] for row in people})
    assert fm.Membership.objects.filter(valid_from=fm.FIRST_SNAPSHOT_FROM).count() == len(people)
    for kind, model in RECORD_MODELS.items():
        assert model.objects.count() == len(data_rows(EXAMPLES / f"{kind}.csv")), kind


def test_reimporting_every_example_file_changes_nothing(examples_imported):
    before = data_snapshot()

    for kind in KINDS_IN_ORDER:
        rows = len(data_rows(EXAMPLES / f"{kind}.csv"))
        out, _ = run_import(kind, EXAMPLES / f"{kind}.csv")
        assert f"{rows} rows read, 0 created, 0 updated, {rows} unchanged" in out

    assert data_snapshot() == before


def test_attendance_rows_get_their_term_dates(examples_imported):
    row = fm.Attendance.objects.filter(academic_year="2011/12").order_by("term_start")
    assert {(a.term, a.term_start, a.term_end) for a in row} == {
        ("autumn", date(2011, 9, 1), date(2011, 12, 31)),
        ("spring", date(2012, 1, 1), date(2012, 3, 31)),
        ("summer", date(2012, 4, 1), date(2012, 8, 31)),
    }


# --- the bad files of the example dataset ------------------------------------------------

# Where each bad file goes wrong, read from the files themselves.
BAD_CELLS = {
    "asb__unknown_column.csv": (1, "notes"),
    "benefits__unknown_person_ref.csv": (5, "person_ref"),
    "concerns__unknown_household_ref.csv": (5, "household_ref"),
    "benefits__end_before_start.csv": (5, "end_date"),
    "employment__end_before_start.csv": (4, "end_date"),
    "attendance__unauthorised_above_possible.csv": (7, "unauthorised_sessions"),
    "exclusions__bad_date.csv": (7, "start_date"),
    "offences__bad_date_format.csv": (4, "offence_date"),
    "attendance__negative_count.csv": (7, "unauthorised_sessions"),
    "exclusions__negative_count.csv": (7, "sessions"),
    "asb__wrong_enum.csv": (5, "event_type"),
    "benefits__wrong_enum.csv": (5, "benefit"),
    "asb__neither_ref.csv": (5, "person_ref"),
    "asb__both_refs.csv": (5, "person_ref"),
    "offences__future_date.csv": (4, "offence_date"),
}
MANIFEST = data_rows(EXAMPLES / "bad" / "manifest.csv")


@pytest.mark.parametrize("entry", MANIFEST, ids=[entry["file"] for entry in MANIFEST])
def test_bad_files_are_handled_as_the_manifest_says(examples_imported, entry):
    path = EXAMPLES / "bad" / entry["file"]
    before = data_snapshot()

    if entry["expect"] == "reject":
        report = rejected(entry["kind"], path, entry["as_of"] or None)
        line, column = BAD_CELLS[entry["file"]]
        assert f"line {line}, column {column}: " in report
        assert "nothing was imported" in report
    else:
        run_import(entry["kind"], path, entry["as_of"] or None)

    assert data_snapshot() == before


def test_a_rejected_import_is_recorded_with_its_report(examples_imported):
    rejected("benefits", EXAMPLES / "bad" / "benefits__wrong_enum.csv")

    batch = fm.ImportBatch.objects.get(file_name="benefits__wrong_enum.csv")
    assert batch.status == fm.ImportBatch.Status.REJECTED
    assert batch.rows_read == 5
    assert batch.rows_rejected == batch.error_count == 1
    assert batch.errors == [
        {"line": 5, "column": "benefit", "message": "'UC' is not one of JSA, ESA, IB, IS, CA, SDA."}
    ]
    assert len(batch.sha256) == 64
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.IMPORT, object_id=str(batch.pk)
    ).exists()


def test_a_repeated_key_takes_the_later_row(household, tmp_path):
    path = write_csv(
        tmp_path / "benefits.csv",
        "person_ref,benefit,start_date,end_date\n"
        "P1,JSA,2012-01-01,2012-06-30\n"
        "P1,JSA,2012-01-01,\n",
    )

    out, _ = run_import("benefits", path, "2013-01-01")

    assert "2 rows read, 1 created" in out
    assert fm.BenefitSpell.objects.get().end_date is None


# --- the header ----------------------------------------------------------------------------


def test_a_byte_order_mark_and_upper_case_column_names_are_accepted(household, tmp_path):
    path = write_csv(
        tmp_path / "benefits.csv",
        "START_DATE,Person_Ref,BENEFIT,End_Date\n2012-01-01,P1,JSA,\n",
        encoding="utf-8-sig",
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    run_import("benefits", path, "2013-01-01")

    spell = fm.BenefitSpell.objects.get()
    assert (spell.person.ref, spell.benefit, spell.start_date) == ("P1", "JSA", date(2012, 1, 1))


def test_an_unknown_column_rejects_the_file(household, tmp_path):
    path = write_csv(
        tmp_path / "benefits.csv",
        "person_ref,benefit,start_date,end_date,startdate\nP1,JSA,2012-01-01,,\n",
    )

    report = rejected("benefits", path, "2013-01-01")

    assert "line 1, column startdate: is not a column of benefits files" in report
    assert not fm.BenefitSpell.objects.exists()


def test_a_missing_required_column_rejects_the_file(household, tmp_path):
    path = write_csv(tmp_path / "benefits.csv", "person_ref,benefit,end_date\nP1,JSA,\n")

    report = rejected("benefits", path, "2013-01-01")

    assert "line 1, column start_date: is missing from the header." in report


def test_optional_columns_may_be_left_out(household, tmp_path):
    path = write_csv(
        tmp_path / "exclusions.csv", "person_ref,start_date,exclusion_type\nP2,2012-10-01,fixed\n"
    )

    run_import("exclusions", path, "2013-01-01")

    assert fm.Exclusion.objects.get().sessions is None


def test_asb_needs_a_person_or_household_column(household, tmp_path):
    path = write_csv(
        tmp_path / "asb.csv", "source_ref,event_date,event_type\nASB-1,2012-10-01,asbo\n"
    )

    report = rejected("asb", path, "2013-01-01")

    assert "person_ref or household_ref" in report


def test_an_empty_file_is_rejected(db, tmp_path):
    report = rejected("people", write_csv(tmp_path / "people.csv", ""))

    assert "line 1: The file is empty" in report


# --- rows ----------------------------------------------------------------------------------


def test_a_ragged_row_is_rejected_naming_its_line(household, tmp_path):
    path = write_csv(
        tmp_path / "employment.csv",
        "person_ref,start_date,end_date\nP1,2012-01-01,\nP1,2012-03-01,2012-04-01,extra\n",
    )

    report = rejected("employment", path, "2013-01-01")

    assert "line 3: has more cells than the header." in report
    assert not fm.EmploymentSpell.objects.exists()


def test_a_short_row_is_rejected_naming_its_line(household, tmp_path):
    path = write_csv(
        tmp_path / "employment.csv", "person_ref,start_date,end_date\nP1,2012-01-01,\nP1\n"
    )

    assert "line 3: has fewer cells than the header." in rejected("employment", path, "2013-01-01")


def test_bytes_that_are_not_utf8_are_rejected_naming_their_line(household, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(
        b"household_ref,person_ref,given_name,family_name,date_of_birth,sex,postcode\n"
        b"H1,P9,Zo\xe9,Notrealson,1980-01-01,F,ZZ99 1AA\n"
    )

    assert "line 2" in rejected("people", path, "2013-01-01")
    assert not fm.Person.objects.filter(ref="P9").exists()


def test_every_bad_row_is_reported_not_only_the_first(household, tmp_path):
    path = write_csv(
        tmp_path / "attendance.csv",
        "person_ref,academic_year,term,possible_sessions,unauthorised_sessions\n"
        "P2,2011/12,autumn,100,10\n"
        "P2,2011/12,spring,100,x\n"
        "P2,2011-12,winter,100,10\n"
        "P9,2011/12,summer,-5,10\n",
    )

    report = rejected("attendance", path, "2013-01-01")

    for expected in [
        "line 3, column unauthorised_sessions: 'x' is not a whole number.",
        "line 4, column academic_year: '2011-12' is not an academic year written like 2011/12.",
        "line 4, column term: 'winter' is not one of autumn, spring, summer.",
        "line 5, column person_ref: 'P9' is not a known person",
        "line 5, column possible_sessions: '-5' is negative",
    ]:
        assert expected in report
    assert "line 2" not in report
    batch = fm.ImportBatch.objects.get(kind="attendance")
    assert (batch.error_count, batch.rows_rejected) == (5, 3)


@pytest.mark.parametrize(
    ("day", "problem"),
    [
        ("2013-02-29", "is not a real date"),
        ("1900-02-29", "is not a real date"),
        ("2013-04-31", "is not a real date"),
        ("2013-13-01", "is not a real date"),
        ("0000-01-01", "is not a real date"),
        ("2013-4-1", "is not a date written YYYY-MM-DD"),
        ("01/04/2013", "is not a date written YYYY-MM-DD"),
        (" 2013-04-01", "is not a date written YYYY-MM-DD"),
        ("2014-01-02", "is after the as-of day 2014-01-01"),
    ],
)
def test_impossible_dates_are_rejected(household, tmp_path, day, problem):
    path = write_csv(tmp_path / "employment.csv", f'person_ref,start_date,end_date\nP1,"{day}",\n')

    report = rejected("employment", path, "2014-01-01")

    assert "line 2, column start_date: " in report
    assert problem in report


@pytest.mark.parametrize("day", ["2012-02-29", "2000-02-29", "2013-12-31", "2014-01-01"])
def test_real_dates_up_to_the_as_of_day_are_accepted(household, tmp_path, day):
    path = write_csv(tmp_path / "employment.csv", f"person_ref,start_date,end_date\nP1,{day},\n")

    run_import("employment", path, "2014-01-01")

    assert fm.EmploymentSpell.objects.get().start_date == date.fromisoformat(day)


def test_an_end_on_its_start_day_is_accepted_and_before_it_rejected(household, tmp_path):
    good = write_csv(
        tmp_path / "good.csv", "person_ref,start_date,end_date\nP1,2012-05-01,2012-05-01\n"
    )
    bad = write_csv(
        tmp_path / "bad.csv", "person_ref,start_date,end_date\nP1,2012-05-02,2012-05-01\n"
    )

    run_import("employment", good, "2013-01-01")
    report = rejected("employment", bad, "2013-01-01")

    assert "line 2, column end_date: 2012-05-01 is before start_date 2012-05-02." in report


def test_unauthorised_equal_to_possible_is_accepted_and_above_it_rejected(household, tmp_path):
    header = "person_ref,academic_year,term,possible_sessions,unauthorised_sessions\n"
    run_import(
        "attendance",
        write_csv(tmp_path / "a.csv", header + "P2,2011/12,autumn,80,80\n"),
        "2013-01-01",
    )

    report = rejected(
        "attendance",
        write_csv(tmp_path / "b.csv", header + "P2,2011/12,spring,80,81\n"),
        "2013-01-01",
    )

    assert "line 2, column unauthorised_sessions: 81 is more than possible_sessions (80)." in report


def test_a_term_that_starts_after_the_as_of_day_is_rejected(household, tmp_path):
    header = "person_ref,academic_year,term,possible_sessions,unauthorised_sessions\n"
    path = write_csv(
        tmp_path / "a.csv",
        header + "P2,2012/13,autumn,80,1\nP2,2012/13,spring,80,1\nP2,2013/14,autumn,80,1\n",
    )

    report = rejected("attendance", path, "2012-12-31")

    assert "line 3, column academic_year: the spring term of 2012/13 starts after" in report
    assert "line 4, column academic_year: the autumn term of 2013/14 starts after" in report
    assert "line 2" not in report


def test_an_academic_year_must_be_two_consecutive_years(household, tmp_path):
    header = "person_ref,academic_year,term,possible_sessions,unauthorised_sessions\n"
    path = write_csv(tmp_path / "a.csv", header + "P2,2011/13,autumn,80,1\n")

    assert "the second year must follow the first" in rejected("attendance", path, "2013-01-01")


def test_the_stored_report_is_capped_but_counts_every_problem(household, tmp_path):
    bad_rows = MAX_STORED_ERRORS + 200
    path = tmp_path / "work_progress.csv"
    path.write_text(
        "person_ref,provision,attached_date\n"
        + "".join(f"P1,esf,2012-01-{1 + n % 28:02d}x\n" for n in range(bad_rows))
    )

    rejected("work_progress", path, "2013-01-01")

    batch = fm.ImportBatch.objects.get(kind="work_progress")
    assert len(batch.errors) == MAX_STORED_ERRORS
    assert batch.error_count == batch.rows_rejected == bad_rows
    assert [problem["line"] for problem in batch.errors] == list(range(2, MAX_STORED_ERRORS + 2))


def test_changed_rows_are_counted_as_updated(household, tmp_path):
    header = "person_ref,source_ref,offence_date,outcome_date,offence_type\n"
    first = write_csv(
        tmp_path / "a.csv", header + "P2,OFF-1,2012-05-01,,theft\nP2,OFF-2,2012-06-01,,theft\n"
    )
    second = write_csv(
        tmp_path / "b.csv",
        header + "P2,OFF-1,2012-05-01,2012-07-01,theft\nP2,OFF-2,2012-06-01,,theft\n",
    )
    run_import("offences", first, "2013-01-01")

    out, _ = run_import("offences", second, "2013-01-01")

    assert "2 rows read, 0 created, 1 updated, 1 unchanged" in out
    assert fm.Offence.objects.get(source_ref="OFF-1").outcome_date == date(2012, 7, 1)


def test_offences_may_say_how_each_was_dealt_with(household, tmp_path):
    header = "person_ref,source_ref,offence_date,outcome_date,offence_type,outcome_type\n"
    good = write_csv(
        tmp_path / "a.csv",
        header + "P2,OFF-1,2012-05-01,2012-06-01,theft,community_resolution\n"
        "P2,OFF-2,2012-05-02,2012-06-01,theft,\n",
    )
    run_import("offences", good, "2013-01-01")
    assert dict(fm.Offence.objects.values_list("source_ref", "outcome_type")) == {
        "OFF-1": "community_resolution",
        "OFF-2": "",
    }
    bad = write_csv(tmp_path / "b.csv", header + "P2,OFF-3,2012-05-01,2012-06-01,theft,fine\n")
    report = rejected("offences", bad, "2013-01-01")
    assert "line 2" in report and "outcome_type" in report
    assert "'fine' is not one of conviction, caution" in report


def test_asb_and_concerns_rows_belong_to_a_person_or_a_household(household, tmp_path):
    asb = write_csv(
        tmp_path / "asb.csv",
        "household_ref,person_ref,source_ref,event_date,event_type\n"
        "H1,,ASB-1,2012-05-01,asbo\n,P3,ASB-1,2012-05-02,incident\n",
    )
    concerns = write_csv(
        tmp_path / "concerns.csv",
        "person_ref,concern,start_date,end_date\nP3,mental_health,2012-01-01,\n",
    )

    run_import("asb", asb, "2013-01-01")
    run_import("concerns", concerns, "2013-01-01")

    assert fm.AsbEvent.objects.get(household__ref="H1").event_type == "asbo"
    assert fm.AsbEvent.objects.get(person__ref="P3").event_type == "incident"
    assert fm.Concern.objects.get().person.ref == "P3"


# --- people and membership history ----------------------------------------------------------

PEOPLE_HEADER = "household_ref,person_ref,given_name,family_name,date_of_birth,sex,postcode\n"


def memberships(person_ref: str) -> list[tuple[str, date, date | None]]:
    return [
        (m.household.ref, m.valid_from, m.valid_to)
        for m in fm.Membership.objects.filter(person__ref=person_ref)
        .select_related("household")
        .order_by("valid_from")
    ]


def test_the_first_snapshot_holds_from_the_beginning_of_time(household):
    assert memberships("P1") == [("H1", fm.FIRST_SNAPSHOT_FROM, None)]
    assert fm.Person.objects.get(ref="P1").upn == ""


def test_a_person_who_moves_keeps_their_history(household, tmp_path):
    moved = write_csv(
        tmp_path / "people.csv", PEOPLE_HEADER + "H3,P2,Leo,Notrealson,2005-05-05,M,ZZ99 3CC\n"
    )

    out, _ = run_import("people", moved, "2014-03-01")

    assert "1 rows read, 0 created, 1 updated" in out
    assert memberships("P2") == [
        ("H1", fm.FIRST_SNAPSHOT_FROM, date(2014, 3, 1)),
        ("H3", date(2014, 3, 1), None),
    ]
    assert memberships("P1") == [("H1", fm.FIRST_SNAPSHOT_FROM, None)]


def test_a_later_snapshot_in_the_same_household_changes_nothing(household, tmp_path):
    same = write_csv(
        tmp_path / "people.csv", PEOPLE_HEADER + "H1,P2,Leo,Notrealson,2005-05-05,M,ZZ99 1AA\n"
    )

    out, _ = run_import("people", same, "2014-03-01")

    assert "0 created, 0 updated, 1 unchanged" in out
    assert memberships("P2") == [("H1", fm.FIRST_SNAPSHOT_FROM, None)]


def test_moving_back_opens_a_third_membership(household, tmp_path):
    away = write_csv(tmp_path / "a.csv", PEOPLE_HEADER + "H2,P2,Leo,Notrealson,2005-05-05,M,\n")
    back = write_csv(tmp_path / "b.csv", PEOPLE_HEADER + "H1,P2,Leo,Notrealson,2005-05-05,M,\n")

    run_import("people", away, "2014-03-01")
    run_import("people", back, "2014-09-01")

    assert memberships("P2") == [
        ("H1", fm.FIRST_SNAPSHOT_FROM, date(2014, 3, 1)),
        ("H2", date(2014, 3, 1), date(2014, 9, 1)),
        ("H1", date(2014, 9, 1), None),
    ]


def test_a_second_snapshot_on_the_same_day_corrects_the_move(household, tmp_path):
    wrong = write_csv(tmp_path / "a.csv", PEOPLE_HEADER + "H2,P2,Leo,Notrealson,2005-05-05,M,\n")
    right = write_csv(tmp_path / "b.csv", PEOPLE_HEADER + "H3,P2,Leo,Notrealson,2005-05-05,M,\n")

    run_import("people", wrong, "2014-03-01")
    run_import("people", right, "2014-03-01")

    assert memberships("P2") == [
        ("H1", fm.FIRST_SNAPSHOT_FROM, date(2014, 3, 1)),
        ("H3", date(2014, 3, 1), None),
    ]


def test_an_older_snapshot_after_a_newer_one_is_rejected(household, tmp_path):
    newer = write_csv(tmp_path / "a.csv", PEOPLE_HEADER + "H2,P2,Leo,Notrealson,2005-05-05,M,\n")
    older = write_csv(tmp_path / "b.csv", PEOPLE_HEADER + "H3,P2,Leo,Notrealson,2005-05-05,M,\n")
    run_import("people", newer, "2014-03-01")

    report = rejected("people", older, "2014-01-01")

    assert "line 2, column household_ref: this person is recorded in household H2" in report
    assert memberships("P2")[-1] == ("H2", date(2014, 3, 1), None)


def test_a_person_new_in_a_later_snapshot_counts_from_the_beginning_of_time(household, tmp_path):
    newcomer = write_csv(tmp_path / "a.csv", PEOPLE_HEADER + "H4,P4,Isla,Mockley,2010-10-10,F,\n")

    run_import("people", newcomer, "2014-03-01")

    assert memberships("P4") == [("H4", fm.FIRST_SNAPSHOT_FROM, None)]


def test_the_as_of_day_defaults_to_today_in_london(db, tmp_path, time_machine):
    # 23:30 UTC on 30 June is already 1 July in London (BST).
    time_machine.move_to("2014-06-30 23:30:00+00:00")
    path = write_csv(
        tmp_path / "people.csv", PEOPLE_HEADER + "H1,P1,Ava,Notrealson,1980-01-01,F,\n"
    )

    run_import("people", path)

    assert fm.ImportBatch.objects.get().as_of == date(2014, 7, 1)


# --- what an import hands on -----------------------------------------------------------------


def test_only_households_with_changed_records_are_recalculated(
    household, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(
        "families.imports.services.recalculate_households",
        lambda **kwargs: calls.append(kwargs),
    )
    header = "person_ref,benefit,start_date,end_date\n"
    path = write_csv(tmp_path / "benefits.csv", header + "P3,JSA,2012-01-01,\n")

    with django_capture_on_commit_callbacks(execute=True):
        batch = extract_import(kind="benefits", path=path, as_of=date(2013, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        extract_import(kind="benefits", path=path, as_of=date(2013, 1, 1))

    assert calls == [
        {
            "household_ids": [fm.Household.objects.get(ref="H2").pk],
            "trigger": "import",
            "started_by": None,
        }
    ]
    assert batch.rows_created == 1


def test_a_move_touches_the_old_and_the_new_household(
    household, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(
        "families.imports.services.recalculate_households",
        lambda **kwargs: calls.append(kwargs),
    )
    moved = write_csv(
        tmp_path / "people.csv", PEOPLE_HEADER + "H2,P2,Leo,Notrealson,2005-05-05,M,\n"
    )

    with django_capture_on_commit_callbacks(execute=True):
        extract_import(kind="people", path=moved, as_of=date(2014, 3, 1))

    touched = set(calls[0]["household_ids"])
    assert touched == set(
        fm.Household.objects.filter(ref__in=["H1", "H2"]).values_list("pk", flat=True)
    )


def household_texts(ref: str) -> tuple[str, str, str]:
    return fm.Household.objects.values_list("family_names", "member_names", "postcodes").get(
        ref=ref
    )


def test_a_people_import_keeps_each_households_current_members_texts(household, tmp_path):
    assert household_texts("H1") == ("Notrealson", "Ava Notrealson, Leo Notrealson", "ZZ99 1AA")
    moved = write_csv(
        tmp_path / "people.csv", PEOPLE_HEADER + "H2,P2,Leo,Notrealson,2005-05-05,M,ZZ99 2CC\n"
    )

    run_import("people", moved, "2014-03-01")

    assert household_texts("H1") == ("Notrealson", "Ava Notrealson", "ZZ99 1AA")
    assert household_texts("H2") == (
        "Fakeworth, Notrealson",
        "Mia Fakeworth, Leo Notrealson",
        "ZZ99 2BB, ZZ99 2CC",
    )


def test_a_successful_import_is_audited(household):
    batch = fm.ImportBatch.objects.get()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT, object_id=str(batch.pk))
    assert entry.details["created"] == 3
    assert entry.details["sha256"] == batch.sha256


# --- imports cut off by a killed worker ----------------------------------------------------

BENEFITS = "person_ref,benefit,start_date,end_date\nP1,JSA,2012-01-01,\n"


def running_batch(path: Path, **fields) -> fm.ImportBatch:
    """A batch claimed by a process that is not there any more."""
    batch = import_batch_create(kind="benefits", file_name=path.name, as_of=date(2014, 1, 1))
    fm.ImportBatch.objects.filter(pk=batch.pk).update(
        status=fm.ImportBatch.Status.RUNNING, **fields
    )
    return batch


@contextmanager
def importing_elsewhere(batch: fm.ImportBatch):
    """Another process holding the batch's lock, as the one importing it does."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [BATCH_LOCK_CLASS, batch.pk])
        yield
    finally:
        other.close()


def test_a_batch_whose_worker_was_killed_is_imported_when_its_task_is_retried(household, tmp_path):
    path = write_csv(tmp_path / "benefits.csv", BENEFITS)
    batch = running_batch(path)

    batch = import_batch_run(batch=batch, path=path)

    assert batch.status == fm.ImportBatch.Status.SUCCEEDED
    assert fm.BenefitSpell.objects.filter(person__ref="P1").count() == 1


def test_a_batch_another_process_is_importing_is_left_to_it(household, tmp_path):
    path = write_csv(tmp_path / "benefits.csv", BENEFITS)
    batch = running_batch(path)

    with importing_elsewhere(batch):
        batch = import_batch_run(batch=batch, path=path)

    assert batch.status == fm.ImportBatch.Status.RUNNING
    assert not fm.BenefitSpell.objects.exists()


def test_the_next_import_marks_batches_nobody_is_importing_failed(household, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    upload = tmp_path / "imports" / "left-behind.csv"
    upload.parent.mkdir()
    upload.write_text(BENEFITS)
    cut_off = running_batch(upload, upload_path="imports/left-behind.csv")
    still_going = running_batch(upload)

    with importing_elsewhere(still_going):
        run_import("benefits", write_csv(tmp_path / "benefits.csv", BENEFITS))

    cut_off.refresh_from_db()
    still_going.refresh_from_db()
    assert cut_off.status == fm.ImportBatch.Status.FAILED
    assert cut_off.errors == [{"line": 0, "column": "", "message": INTERRUPTED}]
    assert cut_off.upload_path == "" and not upload.exists()
    assert still_going.status == fm.ImportBatch.Status.RUNNING
