"""Each clause of programme-rules.md (Identification), at the boundaries the spec names."""

from __future__ import annotations

from datetime import date

import pytest

from families.eligibility import evaluate
from families.models import LocalDiscretionSettings, Membership
from tests.factories import (
    AsbEventFactory,
    AttendanceFactory,
    BenefitSpellFactory,
    ConcernFactory,
    EducationStatusFactory,
    ExclusionFactory,
    HouseholdFactory,
    OffenceFactory,
    PersonFactory,
)

AS_OF = date(2013, 8, 31)  # the last three terms are autumn, spring and summer 2012/13
CHILD_DOB = date(2003, 5, 1)
ADULT_DOB = date(1980, 1, 1)


@pytest.fixture
def household(db):
    return HouseholdFactory(ref="H00001")


def child(household, **kwargs):
    return PersonFactory(household=household, date_of_birth=kwargs.pop("dob", CHILD_DOB), **kwargs)


def adult(household, **kwargs):
    return PersonFactory(household=household, date_of_birth=kwargs.pop("dob", ADULT_DOB), **kwargs)


def assessed(household, as_of=AS_OF):
    found = [row for row in evaluate(as_of) if row.household_id == household.pk]
    return found[0] if found else None


def attendance(person, unauthorised_by_term, possible=100):
    for (year, term, start, end), unauthorised in zip(
        [
            ("2012/13", "autumn", date(2012, 9, 1), date(2012, 12, 31)),
            ("2012/13", "spring", date(2013, 1, 1), date(2013, 3, 31)),
            ("2012/13", "summer", date(2013, 4, 1), date(2013, 8, 31)),
        ],
        unauthorised_by_term,
        strict=False,
    ):
        AttendanceFactory(
            person=person,
            academic_year=year,
            term=term,
            term_start=start,
            term_end=end,
            possible_sessions=possible,
            unauthorised_sessions=unauthorised,
        )


# --- Crime/ASB ---------------------------------------------------------------------------


def test_a_proven_offence_by_a_child_in_the_last_twelve_months_meets_crime_asb(household):
    OffenceFactory(
        person=child(household), offence_date=date(2013, 1, 5), outcome_date=date(2013, 2, 1)
    )
    row = assessed(household)
    assert row.crime_asb
    assert "Youth offence, 5 January 2013" in row.reasons


def test_a_community_resolution_is_not_a_proven_offence(household):
    youngster = child(household)
    OffenceFactory(
        person=youngster,
        offence_date=date(2013, 1, 5),
        outcome_date=date(2013, 2, 1),
        outcome_type="community_resolution",
    )
    assert assessed(household) is None
    OffenceFactory(
        person=youngster,
        offence_date=date(2013, 1, 6),
        outcome_date=date(2013, 2, 1),
        outcome_type="youth_caution",
    )
    row = assessed(household)
    assert row.crime_asb
    assert "Youth offence, 6 January 2013" in row.reasons
    assert "5 January 2013" not in row.reasons


def test_an_offence_not_yet_proven_on_as_of_does_not_count(household):
    OffenceFactory(
        person=child(household), offence_date=date(2013, 1, 5), outcome_date=date(2013, 9, 1)
    )
    assert assessed(household) is None


def test_an_offence_proven_on_as_of_itself_counts(household):
    OffenceFactory(person=child(household), offence_date=date(2013, 1, 5), outcome_date=AS_OF)
    assert assessed(household).crime_asb


def test_an_offence_committed_at_eighteen_is_not_a_youth_offence(household):
    young_adult = child(household, dob=date(1995, 1, 5))
    OffenceFactory(person=young_adult, offence_date=date(2013, 1, 5), outcome_date=date(2013, 2, 1))
    assert assessed(household) is None


def test_an_offence_committed_the_day_before_turning_eighteen_counts(household):
    person = child(household, dob=date(1995, 1, 6))
    OffenceFactory(person=person, offence_date=date(2013, 1, 5), outcome_date=date(2013, 2, 1))
    assert assessed(household).crime_asb


@pytest.mark.parametrize(
    ("event_date", "meets"),
    [
        (date(2012, 8, 31), False),
        (date(2012, 9, 1), True),
        (AS_OF, True),
        (date(2013, 9, 1), False),
    ],
)
def test_the_last_twelve_months_exclude_their_first_day_and_include_as_of(
    household, event_date, meets
):
    AsbEventFactory(household=household, event_date=event_date, event_type="asbo")
    row = assessed(household)
    assert bool(row and row.crime_asb) is meets


def test_an_asb_incident_does_not_meet_crime_asb(household):
    AsbEventFactory(household=household, event_date=date(2013, 5, 1), event_type="incident")
    assert assessed(household) is None


def test_a_members_asb_event_counts_for_their_household(household):
    person = adult(household)
    AsbEventFactory(
        household=None, person=person, event_date=date(2013, 5, 1), event_type="eviction"
    )
    assert assessed(household).crime_asb


# --- Education ---------------------------------------------------------------------------


def test_three_fixed_exclusions_in_the_last_three_terms_meet_education(household):
    pupil = child(household)
    for day in (date(2012, 9, 10), date(2013, 1, 10), date(2013, 8, 31)):
        ExclusionFactory(person=pupil, start_date=day, exclusion_type="fixed")
    row = assessed(household)
    assert row.education
    assert "3 fixed exclusions" in row.reasons


def test_two_fixed_exclusions_do_not_meet_education(household):
    pupil = child(household)
    for day in (date(2012, 9, 10), date(2013, 1, 10)):
        ExclusionFactory(person=pupil, start_date=day, exclusion_type="fixed")
    assert assessed(household) is None


def test_a_fixed_exclusion_before_the_three_terms_does_not_count(household):
    pupil = child(household)
    for day in (date(2012, 8, 31), date(2013, 1, 10), date(2013, 2, 10)):
        ExclusionFactory(person=pupil, start_date=day, exclusion_type="fixed")
    assert assessed(household) is None


def test_a_permanent_exclusion_in_the_last_three_terms_meets_education(household):
    ExclusionFactory(
        person=child(household), start_date=date(2012, 9, 1), exclusion_type="permanent"
    )
    assert assessed(household).education


def test_fifteen_percent_unauthorised_absence_meets_education(household):
    attendance(child(household), [15, 15, 15])
    row = assessed(household)
    assert row.education
    assert "Unauthorised absence, 45 of 300 sessions" in row.reasons


def test_just_under_fifteen_percent_unauthorised_absence_does_not(household):
    attendance(child(household), [15, 15, 14])  # 44/300 = 14.67%
    assert assessed(household) is None


def test_absence_sums_sessions_over_terms_rather_than_averaging_rates(household):
    pupil = child(household)
    AttendanceFactory(
        person=pupil,
        academic_year="2012/13",
        term="autumn",
        term_start=date(2012, 9, 1),
        term_end=date(2012, 12, 31),
        possible_sessions=10,
        unauthorised_sessions=10,
    )
    AttendanceFactory(
        person=pupil,
        academic_year="2012/13",
        term="spring",
        term_start=date(2013, 1, 1),
        term_end=date(2013, 3, 31),
        possible_sessions=200,
        unauthorised_sessions=20,
    )
    # Rates average to 55%, but 30 of 210 sessions is 14.3%: not met.
    assert assessed(household) is None


def test_no_possible_sessions_is_unknown_absence(household):
    attendance(child(household), [0, 0, 0], possible=0)
    assert assessed(household) is None


def test_a_seventeen_year_old_still_counts_as_a_child_for_absence(household):
    attendance(child(household, dob=date(1996, 1, 1)), [50, 50, 50])
    assert assessed(household).education


def test_absence_of_someone_eighteen_on_as_of_does_not_count(household):
    attendance(child(household, dob=AS_OF.replace(year=AS_OF.year - 18)), [50, 50, 50])
    assert assessed(household) is None


def test_a_compulsory_school_age_child_not_on_roll_meets_education(household):
    EducationStatusFactory(
        person=child(household), status="not_on_roll", start_date=date(2013, 5, 1)
    )
    assert "Not in school" in assessed(household).reasons


def test_a_sixteen_year_old_not_on_roll_does_not_meet_education(household):
    pupil = child(household, dob=date(1997, 8, 31))  # 16 on as_of
    EducationStatusFactory(person=pupil, status="not_on_roll", start_date=date(2013, 5, 1))
    assert assessed(household) is None


def test_a_pru_place_counts_only_after_exclusion(household):
    pupil = child(household)
    EducationStatusFactory(person=pupil, status="pru", reason="other", start_date=date(2013, 5, 1))
    assert assessed(household) is None
    EducationStatusFactory(
        person=pupil, status="alternative_provision", reason="excluded", start_date=date(2013, 6, 1)
    )
    assert assessed(household).education


def test_an_education_status_ended_the_day_before_as_of_does_not_count(household):
    EducationStatusFactory(
        person=child(household),
        status="not_on_roll",
        start_date=date(2013, 5, 1),
        end_date=date(2013, 8, 30),
    )
    assert assessed(household) is None


# --- Work and local discretion -----------------------------------------------------------


def test_an_adult_on_an_out_of_work_benefit_on_as_of_meets_work(household):
    BenefitSpellFactory(
        person=adult(household), benefit="ESA", start_date=date(2012, 1, 1), end_date=AS_OF
    )
    row = assessed(household)
    assert row.work
    assert "Employment and Support Allowance" in row.reasons


def test_a_benefit_ending_the_day_before_as_of_does_not_meet_work(household):
    BenefitSpellFactory(
        person=adult(household), start_date=date(2012, 1, 1), end_date=date(2013, 8, 30)
    )
    assert assessed(household) is None


def test_a_benefit_starting_after_as_of_does_not_meet_work(household):
    BenefitSpellFactory(person=adult(household), start_date=date(2013, 9, 1))
    assert assessed(household) is None


def test_a_child_on_a_benefit_does_not_meet_work(household):
    BenefitSpellFactory(person=child(household, dob=date(1995, 9, 1)), start_date=date(2013, 1, 1))
    assert assessed(household) is None


def test_local_discretion_follows_the_coordinators_chosen_concern_types(household):
    ConcernFactory(household=household, concern="mental_health", start_date=date(2013, 1, 1))
    assert assessed(household).local_discretion
    LocalDiscretionSettings.objects.create(concern_types=["domestic_abuse"])
    assert assessed(household) is None


# --- The eligibility rule ----------------------------------------------------------------


def test_two_criteria_without_local_discretion_are_not_enough(household):
    BenefitSpellFactory(person=adult(household), start_date=date(2012, 1, 1))
    AsbEventFactory(household=household, event_date=date(2013, 5, 1))
    row = assessed(household)
    assert (row.criteria_met, row.eligible) == (2, False)


def test_two_criteria_and_local_discretion_make_a_family_eligible(household):
    BenefitSpellFactory(person=adult(household), start_date=date(2012, 1, 1))
    AsbEventFactory(household=household, event_date=date(2013, 5, 1))
    ConcernFactory(household=household, start_date=date(2013, 1, 1))
    assert assessed(household).eligible


def test_all_three_criteria_make_a_family_eligible(household):
    BenefitSpellFactory(person=adult(household), start_date=date(2012, 1, 1))
    AsbEventFactory(household=household, event_date=date(2013, 5, 1))
    ExclusionFactory(
        person=child(household), start_date=date(2013, 5, 1), exclusion_type="permanent"
    )
    row = assessed(household)
    assert (row.criteria_met, row.eligible) == (3, True)


def test_records_count_for_the_household_a_person_belongs_to_on_as_of(household):
    other = HouseholdFactory(ref="H00002")
    person = adult(household)
    BenefitSpellFactory(person=person, start_date=date(2012, 1, 1))
    Membership.objects.filter(person=person).update(valid_to=date(2013, 6, 1))
    Membership.objects.create(
        person=person,
        household=other,
        valid_from=date(2013, 6, 1),
        import_batch=person.import_batch,
    )
    assert assessed(household) is None
    assert assessed(other).work
    assert assessed(household, as_of=date(2013, 5, 31)).work
