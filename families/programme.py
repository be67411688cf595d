"""The programme's numbers and tests that identification, attachment and results share
(programme-rules.md), written once: each rule module imports them instead of its own copy."""

from __future__ import annotations

from families.models import Offence

ADULT_AGE = 18
# Compulsory school age: 5 to 15 in completed years on the day.
COMPULSORY_SCHOOL_AGES = (5, 15)
# The 15% line of unauthorised absence, compared exactly in whole numbers:
# unauthorised * 100 >= possible * 15.
ABSENCE_PERCENT = 15
# Three fixed-term exclusions in the last three terms meet the education criterion; fewer
# than three is one of the tests for the education result.
FIXED_EXCLUSIONS = 3


def proven_offence_sql(offence: str, by: str) -> str:
    """SQL: offence ``offence`` (a table alias) is proven by the day in parameter ``by``. A
    community resolution is never proven: it is dealt with without an admission before a court
    or a formal caution."""
    return (
        f"{offence}.outcome_date <= %({by})s AND {offence}.outcome_type <> "
        f"'{Offence.Outcome.COMMUNITY_RESOLUTION.value}'"
    )


def under_adult_age_sql(offence_date: str, date_of_birth: str) -> str:
    """SQL: the offence on ``offence_date`` was committed under 18 by someone born on
    ``date_of_birth`` (completed years on the day of the offence)."""
    return f"date_part('year', age({offence_date}, {date_of_birth})) < {ADULT_AGE}"
