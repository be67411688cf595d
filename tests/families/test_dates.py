from datetime import date

import pytest

from families.dates import age_on, last_three_terms, months_before, term_dates


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2013, 8, 31), 6, date(2013, 2, 28)),
        (date(2012, 8, 31), 6, date(2012, 2, 29)),
        (date(2014, 11, 15), 12, date(2013, 11, 15)),
        (date(2014, 1, 31), 1, date(2013, 12, 31)),
    ],
)
def test_months_before_clamps_to_the_end_of_the_month(day, months, expected):
    assert months_before(day, months) == expected


def test_a_person_is_eighteen_from_their_eighteenth_birthday_itself():
    assert age_on(date(1995, 8, 31), date(2013, 8, 30)) == 17
    assert age_on(date(1995, 8, 31), date(2013, 8, 31)) == 18


def test_the_last_three_terms_are_those_ended_on_or_before_the_day():
    terms = last_three_terms(date(2013, 8, 31))
    assert [str(t) for t in terms] == ["autumn 2012/13", "spring 2012/13", "summer 2012/13"]
    terms = last_three_terms(date(2013, 8, 30))
    assert [str(t) for t in terms] == ["summer 2011/12", "autumn 2012/13", "spring 2012/13"]


def test_a_term_ending_on_the_day_itself_counts():
    assert str(last_three_terms(date(2014, 3, 31))[-1]) == "spring 2013/14"


def test_term_dates_follow_the_academic_year():
    assert term_dates("2011/12", "autumn") == (date(2011, 9, 1), date(2011, 12, 31))
    assert term_dates("2011/12", "summer") == (date(2012, 4, 1), date(2012, 8, 31))


def test_someone_born_on_29_february_comes_of_age_on_1_march_in_a_common_year():
    from families.eligibility import born_by

    assert age_on(date(1996, 2, 29), date(2014, 2, 28)) == 17
    assert date(1996, 2, 29) > born_by(date(2014, 2, 28), 18)
    assert age_on(date(1996, 2, 29), date(2014, 3, 1)) == 18
    assert date(1996, 2, 29) <= born_by(date(2014, 3, 1), 18)
