"""Eligibility runs: stored, compared with the previous one, all-or-nothing, never overlapping."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from families import eligibility, identification
from families.identification import RunInProgress, recalculate_all, recalculate_households
from families.models import (
    CurrentEligibility,
    EligibilityChange,
    EligibilityResult,
    EligibilityRun,
    Membership,
)
from tests.factories import (
    AsbEventFactory,
    BenefitSpellFactory,
    ConcernFactory,
    HouseholdFactory,
    PersonFactory,
    refresh_texts,
)

DAY = date(2013, 8, 31)


def eligible_family(ref: str):
    household = HouseholdFactory(ref=ref)
    BenefitSpellFactory(person=PersonFactory(household=household), start_date=date(2012, 1, 1))
    AsbEventFactory(household=household, event_date=date(2013, 5, 1))
    ConcernFactory(household=household, start_date=date(2013, 1, 1))
    return household


def current_picture():
    return sorted(
        CurrentEligibility.objects.values_list(
            "household__ref",
            "crime_asb",
            "education",
            "work",
            "local_discretion",
            "eligible",
            "reasons",
        )
    )


def test_a_run_stores_one_row_per_household_meeting_anything(db):
    eligible_family("H00001")
    BenefitSpellFactory(person=PersonFactory(household=HouseholdFactory(ref="H00002")))
    HouseholdFactory(ref="H00003")
    run = recalculate_all(as_of=DAY)
    assert run.status == EligibilityRun.Status.SUCCEEDED
    assert (run.households_assessed, run.households_meeting_any, run.households_eligible) == (
        3,
        2,
        1,
    )
    assert set(run.results.values_list("household__ref", flat=True)) == {"H00001", "H00002"}
    assert run.rules_version


def test_a_run_lists_what_changed_since_the_previous_one(db):
    first = eligible_family("H00001")
    recalculate_all(as_of=DAY)
    second = eligible_family("H00002")
    ConcernFactory(household=first, concern="other", start_date=date(2013, 9, 1))
    run = recalculate_all(as_of=date(2013, 9, 2))
    changes = {c.household.ref: c.change for c in run.changes.select_related("household")}
    assert changes == {"H00002": EligibilityChange.Change.NEWLY_ELIGIBLE}
    assert run.newly_eligible == 1
    assert CurrentEligibility.objects.get(household=second).eligible_since == date(2013, 9, 2)
    assert CurrentEligibility.objects.get(household=first).eligible_since == DAY


def test_a_family_that_stops_meeting_the_criteria_is_no_longer_eligible(db):
    household = eligible_family("H00001")
    recalculate_all(as_of=DAY)
    run = recalculate_all(as_of=date(2014, 6, 1))  # the ASB event is now over a year old
    change = run.changes.get(household=household)
    assert change.change == EligibilityChange.Change.NO_LONGER_ELIGIBLE
    assert "crime/ASB" in change.before and "crime/ASB" not in change.after


def test_an_unchanged_household_keeps_its_spell_and_change_and_takes_the_new_run(db):
    household = eligible_family("H00001")
    first = recalculate_all(as_of=DAY)
    second = recalculate_all(as_of=date(2013, 9, 2))
    current = CurrentEligibility.objects.get(household=household)
    assert (current.run, current.as_of) == (second, date(2013, 9, 2))
    assert (current.eligible_since, current.changed_in_run) == (DAY, first)
    assert not second.changes.exists()


def test_a_household_meeting_nothing_any_more_leaves_the_current_picture(db):
    household = HouseholdFactory(ref="H00001")
    BenefitSpellFactory(
        person=PersonFactory(household=household),
        start_date=date(2012, 1, 1),
        end_date=date(2013, 9, 1),
    )
    recalculate_all(as_of=DAY)
    assert CurrentEligibility.objects.filter(household=household).exists()
    run = recalculate_all(as_of=date(2013, 9, 2))
    assert not CurrentEligibility.objects.filter(household=household).exists()
    assert run.changes.get(household=household).after == ""


def test_a_partial_run_leaves_households_outside_it_alone(db):
    untouched = HouseholdFactory(ref="H00001")
    BenefitSpellFactory(person=PersonFactory(household=untouched), start_date=date(2012, 1, 1))
    touched = eligible_family("H00002")
    first = recalculate_all(as_of=DAY)
    partial = recalculate_households(household_ids=[touched.pk])
    assert CurrentEligibility.objects.get(household=untouched).run == first
    assert CurrentEligibility.objects.get(household=touched).run == partial


def test_the_current_picture_names_the_members_on_the_runs_day(db):
    household = eligible_family("H00001")
    leaver = PersonFactory(household=household, given_name="Zed", family_name="Gone")
    Membership.objects.filter(person=leaver).update(valid_to=date(2013, 10, 1))
    Membership.objects.create(
        person=leaver,
        household=HouseholdFactory(ref="H00002"),
        valid_from=date(2013, 10, 1),
        import_batch=leaver.import_batch,
    )
    refresh_texts(household)

    recalculate_all(as_of=DAY)
    before_leaving = CurrentEligibility.objects.get(household=household)
    recalculate_all(as_of=date(2013, 10, 1))
    after_leaving = CurrentEligibility.objects.get(household=household)

    assert "Zed Gone" in before_leaving.member_names
    assert "Gone" in before_leaving.family_names.split(", ")
    assert "Zed" not in after_leaving.member_names
    assert after_leaving.family_names == "Notrealson"


def test_a_failed_run_leaves_the_previous_run_current(db):
    eligible_family("H00001")
    good = recalculate_all(as_of=DAY)
    before = current_picture()
    with (
        mock.patch.object(identification, "_UPSERT_CURRENT", "SELECT no_such_column"),
        pytest.raises(Exception, match="no_such_column"),
    ):
        recalculate_all(as_of=date(2014, 6, 1))
    failed = EligibilityRun.objects.exclude(pk=good.pk).get()
    assert failed.status == EligibilityRun.Status.FAILED
    assert "no_such_column" in failed.error
    assert not EligibilityResult.objects.filter(run=failed).exists()
    assert current_picture() == before
    assert identification.current_run() == good


def test_a_second_run_is_refused_while_one_is_going(db):
    eligible_family("H00001")
    other_session = connections.create_connection("default")
    try:
        with other_session.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [identification.RUN_LOCK_KEY])
        with pytest.raises(RunInProgress, match="try again when it has finished"):
            recalculate_all(as_of=DAY)
    finally:
        with other_session.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [identification.RUN_LOCK_KEY])
        other_session.close()
    assert not EligibilityRun.objects.exists()
    assert recalculate_all(as_of=DAY).status == EligibilityRun.Status.SUCCEEDED


# Few households are looked up by index, many are found by the passes over everyone.
@pytest.mark.parametrize("indexed_scope_limit", [eligibility.INDEXED_SCOPE_LIMIT, 0])
def test_recalculating_touched_households_matches_a_full_run(db, monkeypatch, indexed_scope_limit):
    monkeypatch.setattr(eligibility, "INDEXED_SCOPE_LIMIT", indexed_scope_limit)
    for n in range(1, 5):
        eligible_family(f"H0000{n}")
    recalculate_all(as_of=DAY)
    touched = [HouseholdFactory(ref=ref) for ref in ("H00002", "H00003", "H00009")]
    AsbEventFactory(household=touched[0], event_date=date(2012, 9, 1), event_type="asbo")
    ConcernFactory(household=touched[1], concern="other", start_date=date(2013, 8, 1))
    BenefitSpellFactory(person=PersonFactory(household=touched[2]))
    partial = recalculate_households(household_ids=[h.pk for h in touched])
    assert partial.scope == EligibilityRun.Scope.PARTIAL
    assert partial.as_of == DAY
    after_partial = current_picture()
    recalculate_all(as_of=DAY)
    assert current_picture() == after_partial
    assert "H00009" in [row[0] for row in after_partial]


def test_nothing_is_recalculated_after_an_import_before_the_first_full_run(db):
    assert recalculate_households(household_ids=[eligible_family("H00001").pk]) is None


def test_the_command_refuses_clearly_when_a_run_is_going(db, monkeypatch):
    def refuse(**kwargs):
        raise RunInProgress()

    monkeypatch.setattr(
        "families.management.commands.recalculate_eligibility.recalculate_all", refuse
    )
    with pytest.raises(CommandError, match="Another eligibility recalculation is running"):
        call_command("recalculate_eligibility", "--as-of", "2013-08-31")


def test_a_run_cut_off_by_a_killed_worker_is_marked_failed_by_the_next_run(db):
    eligible_family("H00001")
    cut_off = EligibilityRun.objects.create(as_of=DAY, rules_version="v", trigger="nightly")
    recalculate_all(as_of=DAY)
    cut_off.refresh_from_db()
    assert cut_off.status == EligibilityRun.Status.FAILED
    assert "Interrupted" in cut_off.error
