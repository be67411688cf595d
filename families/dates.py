"""Calendar arithmetic the programme rules are written in: months, school terms, ages."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


def months_before(day: date, months: int) -> date:
    """``day`` minus whole calendar months, clamped to the month's end (31 Aug − 6 = 28 Feb)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_after(day: date, months: int) -> date:
    return months_before(day, -months)


def age_on(date_of_birth: date, day: date) -> int:
    """Completed years: a person is 18 from their 18th birthday itself."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


@dataclass(frozen=True)
class Term:
    academic_year: str  # "2011/12"
    name: str  # autumn, spring, summer
    start: date
    end: date

    def __str__(self) -> str:
        return f"{self.name} {self.academic_year}"


def academic_year_label(first_year: int) -> str:
    return f"{first_year}/{(first_year + 1) % 100:02d}"


def terms_of(first_year: int) -> list[Term]:
    """The three terms of the academic year starting in September of ``first_year``.

    Autumn 1 Sep–31 Dec, spring 1 Jan–31 Mar, summer 1 Apr–31 Aug (a choice the rules make).
    """
    label = academic_year_label(first_year)
    return [
        Term(label, "autumn", date(first_year, 9, 1), date(first_year, 12, 31)),
        Term(label, "spring", date(first_year + 1, 1, 1), date(first_year + 1, 3, 31)),
        Term(label, "summer", date(first_year + 1, 4, 1), date(first_year + 1, 8, 31)),
    ]


def term_dates(academic_year: str, name: str) -> tuple[date, date]:
    term = next(t for t in terms_of(int(academic_year[:4])) if t.name == name)
    return term.start, term.end


def last_three_terms(as_of: date) -> list[Term]:
    """The three most recent terms that ended on or before ``as_of``, oldest first."""
    candidates = [t for year in range(as_of.year - 2, as_of.year + 1) for t in terms_of(year)]
    ended = [t for t in candidates if t.end <= as_of]
    return ended[-3:]
