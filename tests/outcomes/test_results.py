"""Each clause of programme-rules.md (Results), at the boundaries the rules name."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from families.models import Membership
from outcomes.models import ResultState, ResultType
from outcomes.results import evaluate
from tests.factories import (
    AsbEventFactory,
    AttendanceFactory,
    BenefitSpellFactory,
    CaseFileFactory,
    EducationStatusFactory,
    EmploymentSpellFactory,
    ExclusionFactory,
    HouseholdFactory,
    OffenceFactory,
    PersonFactory,
    WorkProgressFactory,
)

pytestmark = pytest.mark.django_db

CAE = ResultType.CRIME_ASB_EDUCATION
PTW = ResultType.PROGRESS_TO_WORK
CE = ResultType.CONTINUOUS_EMPLOYMENT
ACHIEVED, NOT_ACHIEVED, NOT_RELEVANT = (
    ResultState.ACHIEVED,
    ResultState.NOT_ACHIEVED,
    ResultState.NOT_RELEVANT,
)

ATTACHED = date(2013, 9, 2)
SIX_MONTHS_ON = date(2014, 3, 2)


def attach(
    *,
    attached_on: date = ATTACHED,
    education: bool = False,
    work: bool = False,
    asb_events: int = 0,
    youth_offences: int = 0,
):
    household = HouseholdFactory()
    return CaseFileFactory(
        household=household,
        attached_on=attached_on,
        baseline_education=education,
        baseline_work=work,
        baseline_asb_events=asb_events,
        baseline_youth_offences=youth_offences,
    )


def assessed(case_file, as_of: date):
    (family,) = evaluate(as_of, [case_file.household_id])
    return family.assessments


def asb_events(household, count: int, on: date) -> None:
    AsbEventFactory.create_batch(count, household=household, event_date=on)


# --- Crime/ASB/education: six months of work first -----------------------------------------------


def test_crime_asb_education_is_not_achieved_the_day_before_six_months_of_work():
    case_file = attach(asb_events=5)
    result = assessed(case_file, SIX_MONTHS_ON - timedelta(days=1))[CAE]
    assert result.state == NOT_ACHIEVED
    assert "six months of work are complete on 2014-03-02" in result.reason


def test_crime_asb_education_is_achieved_exactly_six_months_after_attachment():
    case_file = attach(asb_events=5)
    assert assessed(case_file, SIX_MONTHS_ON)[CAE].state == ACHIEVED


def test_six_months_after_the_last_day_of_august_is_the_last_day_of_february():
    case_file = attach(attached_on=date(2013, 8, 31), asb_events=5)
    assert assessed(case_file, date(2014, 2, 27))[CAE].state == NOT_ACHIEVED
    assert assessed(case_file, date(2014, 2, 28))[CAE].state == ACHIEVED


def test_crime_asb_education_is_not_relevant_when_no_measure_is():
    case_file = attach(education=False, asb_events=0, youth_offences=0)
    result = assessed(case_file, date(2014, 10, 15))[CAE]
    assert result.state == NOT_RELEVANT
    assert "education: not a problem at attachment" in result.reason


def test_crime_asb_education_needs_every_relevant_measure():
    case_file = attach(asb_events=5, youth_offences=1)
    member = PersonFactory(household=case_file.household, date_of_birth=date(1999, 1, 1))
    OffenceFactory(person=member, offence_date=date(2014, 9, 1), outcome_date=date(2014, 9, 20))
    result = assessed(case_file, date(2014, 10, 15))[CAE]
    assert result.state == NOT_ACHIEVED
    assert [m.state for m in result.measures] == [NOT_RELEVANT, ACHIEVED, NOT_ACHIEVED]


# --- Anti-social behaviour: at least 60% lower ----------------------------------------------------

CLAIM_DAY = date(2014, 10, 15)
SIX_MONTHS_BEFORE_CLAIM = date(2014, 4, 15)


def test_asb_exactly_60_percent_lower_is_achieved():
    case_file = attach(asb_events=5)
    asb_events(case_file.household, 2, date(2014, 9, 1))
    result = assessed(case_file, CLAIM_DAY)[CAE]
    assert result.state == ACHIEVED
    assert "ASB: 2 events in the last 6 months against 5" in result.reason


def test_asb_less_than_60_percent_lower_is_not_achieved_and_says_why():
    case_file = attach(asb_events=5)
    asb_events(case_file.household, 3, date(2014, 9, 1))
    result = assessed(case_file, CLAIM_DAY)[CAE]
    assert result.state == NOT_ACHIEVED
    assert result.reason == (
        "education: not a problem at attachment; "
        "ASB: 3 events in the last 6 months against 5 in the 6 months before attachment; "
        "2 or fewer needed; "
        "youth offending: no proven offences in the 6 months before attachment"
    )


def test_asb_counts_incidents_and_members_events_on_the_claim_day_but_not_six_months_before():
    case_file = attach(asb_events=2)
    member = PersonFactory(household=case_file.household)
    AsbEventFactory(household=None, person=member, event_type="incident", event_date=CLAIM_DAY)
    # (C - 6 months, C]: the first day of the window is outside it.
    asb_events(case_file.household, 3, SIX_MONTHS_BEFORE_CLAIM)
    result = assessed(case_file, CLAIM_DAY)[CAE]
    assert "ASB: 1 event in the last 6 months against 2" in result.reason
    assert result.state == NOT_ACHIEVED  # 1 * 10 > 2 * 4


def test_asb_of_a_person_who_has_left_the_household_does_not_count():
    case_file = attach(asb_events=5)
    leaver = PersonFactory(household=case_file.household)
    Membership.objects.filter(person=leaver).update(valid_to=date(2014, 6, 1))
    Membership.objects.create(
        person=leaver,
        household=HouseholdFactory(),
        valid_from=date(2014, 6, 1),
        import_batch=leaver.import_batch,
    )
    AsbEventFactory.create_batch(4, household=None, person=leaver, event_date=date(2014, 9, 1))
    assert assessed(case_file, CLAIM_DAY)[CAE].state == ACHIEVED


# --- Youth offending: at least 33% lower ---------------------------------------------------------


def youth_offences(person, count: int, *, on: date, proven: date | None) -> None:
    OffenceFactory.create_batch(count, person=person, offence_date=on, outcome_date=proven)


def test_youth_offending_exactly_33_percent_lower_is_achieved():
    case_file = attach(youth_offences=100)
    teenager = PersonFactory(household=case_file.household, date_of_birth=date(1998, 1, 1))
    youth_offences(teenager, 67, on=date(2014, 8, 1), proven=date(2014, 9, 1))
    result = assessed(case_file, CLAIM_DAY)[CAE]
    assert result.state == ACHIEVED
    assert "youth offending: 67 proven offences in the last 6 months against 100" in result.reason


def test_youth_offending_less_than_33_percent_lower_is_not_achieved():
    case_file = attach(youth_offences=100)
    teenager = PersonFactory(household=case_file.household, date_of_birth=date(1998, 1, 1))
    youth_offences(teenager, 68, on=date(2014, 8, 1), proven=date(2014, 9, 1))
    result = assessed(case_file, CLAIM_DAY)[CAE]
    assert result.state == NOT_ACHIEVED
    assert "67 or fewer needed" in result.reason


def test_youth_offences_not_proven_by_the_claim_day_do_not_count():
    case_file = attach(youth_offences=1)
    teenager = PersonFactory(household=case_file.household, date_of_birth=date(1998, 1, 1))
    youth_offences(teenager, 1, on=date(2014, 8, 1), proven=CLAIM_DAY + timedelta(days=1))
    youth_offences(teenager, 1, on=date(2014, 8, 2), proven=None)
    assert assessed(case_file, CLAIM_DAY)[CAE].state == ACHIEVED


def test_a_community_resolution_does_not_count_as_a_recent_youth_offence():
    case_file = attach(youth_offences=1)
    teenager = PersonFactory(household=case_file.household, date_of_birth=date(1998, 1, 1))
    OffenceFactory(
        person=teenager,
        offence_date=date(2014, 8, 1),
        outcome_date=date(2014, 8, 20),
        outcome_type="community_resolution",
    )
    assert assessed(case_file, CLAIM_DAY)[CAE].state == ACHIEVED
    OffenceFactory(
        person=teenager,
        offence_date=date(2014, 8, 1),
        outcome_date=date(2014, 8, 20),
        outcome_type="conviction",
    )
    assert assessed(case_file, CLAIM_DAY)[CAE].state == NOT_ACHIEVED


def test_offences_committed_on_or_after_the_18th_birthday_are_not_youth_offences():
    case_file = attach(youth_offences=1)
    turned_18 = PersonFactory(household=case_file.household, date_of_birth=date(1996, 8, 1))
    youth_offences(turned_18, 1, on=date(2014, 8, 1), proven=date(2014, 8, 20))
    assert assessed(case_file, CLAIM_DAY)[CAE].state == ACHIEVED
    youth_offences(turned_18, 1, on=date(2014, 7, 31), proven=date(2014, 8, 20))
    assert assessed(case_file, CLAIM_DAY)[CAE].state == NOT_ACHIEVED


# --- Education -----------------------------------------------------------------------------------

# On 2014-10-15 the last three terms are autumn 2013 to summer 2014.
LAST_THREE_TERMS = [
    ("2013/14", "autumn", date(2013, 9, 1), date(2013, 12, 31)),
    ("2013/14", "spring", date(2014, 1, 1), date(2014, 3, 31)),
    ("2013/14", "summer", date(2014, 4, 1), date(2014, 8, 31)),
]


def schoolchild(case_file, *, born: date = date(2004, 5, 1), unauthorised=(0, 0, 0)):
    child = PersonFactory(household=case_file.household, date_of_birth=born)
    for (year, term, start, end), missed in zip(LAST_THREE_TERMS, unauthorised, strict=True):
        AttendanceFactory(
            person=child,
            academic_year=year,
            term=term,
            term_start=start,
            term_end=end,
            possible_sessions=100,
            unauthorised_sessions=missed,
        )
    return child


def test_unauthorised_absence_of_exactly_15_percent_fails_education():
    case_file = attach(education=True)
    schoolchild(case_file, unauthorised=(15, 15, 15))
    result = assessed(case_file, CLAIM_DAY)[CAE]
    assert result.state == NOT_ACHIEVED
    assert "15.0% unauthorised absence (45/300 sessions)" in result.reason


def test_unauthorised_absence_just_below_15_percent_achieves_education():
    case_file = attach(education=True)
    schoolchild(case_file, unauthorised=(15, 15, 14))
    assert assessed(case_file, CLAIM_DAY)[CAE].state == ACHIEVED


def test_three_fixed_exclusions_in_the_last_three_terms_fail_education_two_do_not():
    case_file = attach(education=True)
    child = schoolchild(case_file)
    for day in (date(2013, 9, 10), date(2014, 1, 10)):
        ExclusionFactory(person=child, start_date=day, exclusion_type="fixed")
    assert assessed(case_file, CLAIM_DAY)[CAE].state == ACHIEVED
    ExclusionFactory(person=child, start_date=date(2014, 8, 31), exclusion_type="fixed")
    result = assessed(case_file, CLAIM_DAY)[CAE]
    assert result.state == NOT_ACHIEVED
    assert "3 fixed exclusions" in result.reason


def test_exclusions_before_the_last_three_terms_are_not_looked_at():
    case_file = attach(education=True)
    child = schoolchild(case_file)
    ExclusionFactory(person=child, start_date=date(2013, 8, 31), exclusion_type="permanent")
    assert assessed(case_file, CLAIM_DAY)[CAE].state == ACHIEVED


def test_a_permanent_exclusion_fails_education():
    case_file = attach(education=True)
    child = schoolchild(case_file)
    ExclusionFactory(person=child, start_date=date(2014, 5, 1), exclusion_type="permanent")
    assert "permanently excluded" in assessed(case_file, CLAIM_DAY)[CAE].reason


def test_a_child_of_school_age_without_attendance_rows_is_not_evidenced():
    case_file = attach(education=True)
    schoolchild(case_file)
    PersonFactory(household=case_file.household, given_name="Emma", date_of_birth=date(2005, 3, 1))
    result = assessed(case_file, CLAIM_DAY)[CAE]
    assert result.state == NOT_ACHIEVED
    assert "no attendance data for Emma, 9, in the last three terms" in result.reason


def test_a_child_who_turned_16_the_day_before_the_claim_day_without_rows_is_neutral():
    case_file = attach(education=True)
    sixteen = PersonFactory(household=case_file.household, date_of_birth=date(1998, 10, 14))
    # Exclusions of a child without attendance rows are not looked at either.
    for day in (date(2013, 9, 10), date(2014, 1, 10), date(2014, 2, 10)):
        ExclusionFactory(person=sixteen, start_date=day, exclusion_type="fixed")
    result = assessed(case_file, CLAIM_DAY)[CAE]
    assert result.state == ACHIEVED
    assert "no child of school age in the household" in result.reason
    # The day before the child's 16th birthday they were of school age: not evidenced.
    assert assessed(case_file, date(2014, 10, 13))[CAE].state == NOT_ACHIEVED


def test_a_child_who_turns_18_on_the_claim_day_no_longer_counts():
    case_file = attach(education=True)
    schoolchild(case_file, born=date(1996, 10, 15), unauthorised=(50, 50, 50))
    assert assessed(case_file, CLAIM_DAY)[CAE].state == ACHIEVED
    assert assessed(case_file, CLAIM_DAY - timedelta(days=1))[CAE].state == NOT_ACHIEVED


def test_not_on_roll_fails_education_only_for_a_child_of_compulsory_school_age():
    case_file = attach(education=True)
    fifteen = schoolchild(case_file, born=date(1998, 10, 16))
    EducationStatusFactory(person=fifteen, status="not_on_roll", start_date=date(2014, 9, 1))
    result = assessed(case_file, CLAIM_DAY)[CAE]
    assert result.state == NOT_ACHIEVED
    assert "not on a school roll" in result.reason
    # The next day the child is 16: past compulsory school age, the status no longer counts.
    assert assessed(case_file, date(2014, 10, 16))[CAE].state == ACHIEVED


def test_pru_counts_only_after_exclusion_and_only_while_open():
    case_file = attach(education=True)
    child = schoolchild(case_file)
    EducationStatusFactory(person=child, status="pru", reason="other", start_date=date(2014, 9, 1))
    assert assessed(case_file, CLAIM_DAY)[CAE].state == ACHIEVED
    EducationStatusFactory(
        person=child,
        status="alternative_provision",
        reason="excluded",
        start_date=date(2014, 9, 2),
        end_date=CLAIM_DAY,
    )
    assert assessed(case_file, CLAIM_DAY)[CAE].state == NOT_ACHIEVED
    assert assessed(case_file, CLAIM_DAY + timedelta(days=1))[CAE].state == ACHIEVED


# --- Progress to work ----------------------------------------------------------------------------


def adult(case_file, born: date = date(1980, 1, 1)):
    return PersonFactory(household=case_file.household, date_of_birth=born)


def test_progress_to_work_is_not_relevant_without_the_work_criterion_at_attachment():
    case_file = attach(work=False)
    WorkProgressFactory(person=adult(case_file), attached_date=date(2014, 9, 1))
    assert assessed(case_file, CLAIM_DAY)[PTW].state == NOT_RELEVANT


def test_progress_to_work_needs_an_attachment_after_a_within_the_last_six_months():
    case_file = attach(work=True)
    parent = adult(case_file)
    WorkProgressFactory(person=parent, attached_date=ATTACHED)
    WorkProgressFactory(person=parent, provision="esf", attached_date=SIX_MONTHS_BEFORE_CLAIM)
    result = assessed(case_file, CLAIM_DAY)[PTW]
    assert result.state == NOT_ACHIEVED
    WorkProgressFactory(person=parent, attached_date=SIX_MONTHS_BEFORE_CLAIM + timedelta(days=1))
    result = assessed(case_file, CLAIM_DAY)[PTW]
    assert result.state == ACHIEVED
    assert "joined Work Programme on 2014-04-16" in result.reason


def test_progress_to_work_needs_no_six_months_of_work():
    case_file = attach(work=True)
    WorkProgressFactory(person=adult(case_file), attached_date=date(2013, 9, 3))
    assert assessed(case_file, date(2013, 9, 3))[PTW].state == ACHIEVED


def test_a_child_joining_esf_is_not_progress_to_work():
    case_file = attach(work=True)
    WorkProgressFactory(
        person=adult(case_file, born=date(1997, 1, 1)), attached_date=date(2014, 9, 1)
    )
    assert assessed(case_file, CLAIM_DAY)[PTW].state == NOT_ACHIEVED


# --- Continuous employment -----------------------------------------------------------------------

JOB_START = date(2014, 6, 1)
NINETY_FIRST_DAY = JOB_START + timedelta(days=90)


def claimant_in_work(case_file, *, benefit_end: date | None = date(2014, 5, 31), job_end=None):
    parent = adult(case_file)
    BenefitSpellFactory(person=parent, start_date=date(2012, 1, 10), end_date=benefit_end)
    EmploymentSpellFactory(person=parent, start_date=JOB_START, end_date=job_end)
    return parent


def test_employment_of_90_days_is_not_enough():
    case_file = attach(work=True)
    claimant_in_work(case_file)
    result = assessed(case_file, NINETY_FIRST_DAY - timedelta(days=1))[CE]
    assert result.state == NOT_ACHIEVED
    assert result.reason.startswith("employment: 90 of 91 days so far")


def test_employment_of_91_days_is_achieved():
    case_file = attach(work=True)
    claimant_in_work(case_file)
    result = assessed(case_file, NINETY_FIRST_DAY)[CE]
    assert result.state == ACHIEVED


def test_a_job_that_ends_before_its_91st_day_is_not_achieved():
    case_file = attach(work=True)
    claimant_in_work(case_file, job_end=NINETY_FIRST_DAY - timedelta(days=1))
    result = assessed(case_file, date(2014, 12, 1))[CE]
    assert result.state == NOT_ACHIEVED
    assert "ended on 2014-08-29 after 90 of 91 days" in result.reason


def test_a_job_that_ends_on_its_91st_day_is_achieved():
    case_file = attach(work=True)
    claimant_in_work(case_file, job_end=NINETY_FIRST_DAY)
    assert assessed(case_file, date(2014, 12, 1))[CE].state == ACHIEVED


def test_a_benefit_overlapping_the_employment_stops_it_counting():
    case_file = attach(work=True)
    parent = claimant_in_work(case_file)
    BenefitSpellFactory(
        person=parent, benefit="ESA", start_date=NINETY_FIRST_DAY, end_date=NINETY_FIRST_DAY
    )
    result = assessed(case_file, date(2014, 12, 1))[CE]
    assert result.state == NOT_ACHIEVED
    assert "overlaps ESA from 2014-08-30" in result.reason


def test_a_benefit_ending_on_the_first_day_of_work_overlaps_it():
    case_file = attach(work=True)
    claimant_in_work(case_file, benefit_end=JOB_START)
    assert assessed(case_file, date(2014, 12, 1))[CE].state == NOT_ACHIEVED


def test_employment_needs_an_adult_on_benefit_at_attachment_or_in_the_six_months_before():
    case_file = attach(work=True)
    parent = adult(case_file)
    # Ended exactly six months before attachment: [A - 6 months, A] is met on its first day.
    BenefitSpellFactory(person=parent, start_date=date(2012, 1, 10), end_date=date(2013, 3, 2))
    EmploymentSpellFactory(person=parent, start_date=JOB_START)
    assert assessed(case_file, date(2014, 12, 1))[CE].state == ACHIEVED

    other = attach(work=True)
    earlier = adult(other)
    BenefitSpellFactory(person=earlier, start_date=date(2012, 1, 10), end_date=date(2013, 3, 1))
    EmploymentSpellFactory(person=earlier, start_date=JOB_START)
    result = assessed(other, date(2014, 12, 1))[CE]
    assert result.state == NOT_ACHIEVED
    assert "no adult who was on benefit at attachment has started work since" in result.reason


def test_employment_must_start_after_attachment():
    case_file = attach(work=True)
    parent = adult(case_file)
    BenefitSpellFactory(person=parent, start_date=date(2012, 1, 10), end_date=date(2013, 9, 1))
    EmploymentSpellFactory(person=parent, start_date=ATTACHED)
    assert assessed(case_file, date(2014, 12, 1))[CE].state == NOT_ACHIEVED


def test_employment_is_not_relevant_without_the_work_criterion_at_attachment():
    case_file = attach(work=False)
    claimant_in_work(case_file)
    assert assessed(case_file, date(2014, 12, 1))[CE].state == NOT_RELEVANT


def test_every_attached_family_is_assessed_at_once_and_only_once_attached():
    families = [attach(asb_events=1) for _ in range(3)]
    later = attach(attached_on=date(2014, 11, 1))
    refs = [family.ref for family in evaluate(CLAIM_DAY)]
    assert refs == sorted(f.household.ref for f in families)
    assert later.household.ref not in refs
