"""Identification: the four criteria of the 2012 Financial Framework and the eligibility rule.

programme-rules.md (Identification) is the contract. Every household is assessed in one SQL
statement for a day ``as_of``: each criterion contributes "reason rows" (household, criterion,
words), and a household's criteria are the criteria it has at least one reason for. Keeping
the reasons and the decision in the same rows means the words a coordinator reads are exactly
what the decision rested on.

A later rule set (the 2015 expanded programme) gets a module of its own beside this one with
its own ``RULES_VERSION``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection

from families.dates import last_three_terms, months_before
from families.models import AsbEvent, LocalDiscretionSettings

RULES_VERSION = "tf2012-identification-v1"

CRIME_ASB, EDUCATION, WORK, LOCAL_DISCRETION = 1, 2, 3, 4

# ASB events that meet the crime/ASB criterion; a plain `incident` does not.
QUALIFYING_ASB_TYPES = [t for t in AsbEvent.Type.values if t != AsbEvent.Type.INCIDENT]
ADULT_AGE = 18
COMPULSORY_SCHOOL_AGES = (5, 15)
# 15% unauthorised absence, compared exactly in whole numbers: unauthorised * 100 >= possible * 15.
ABSENCE_PERCENT = 15
FIXED_EXCLUSIONS_NEEDED = 3

_SQL = """
WITH members AS (
    SELECT m.household_id, p.id AS person_id, p.given_name, p.date_of_birth
    FROM families_membership m
    JOIN families_person p ON p.id = m.person_id
    WHERE m.valid_from <= %(as_of)s AND (m.valid_to IS NULL OR m.valid_to > %(as_of)s)
      {member_scope}
),
reasons AS (
    -- 1. Crime/ASB: offences committed under 18 in the last 12 months, proven by as_of ...
    SELECT mb.household_id, 1 AS criterion, o.offence_date AS sort_date,
           'youth offence ' || o.offence_date || ' (' || mb.given_name || ')' AS words
    FROM families_offence o
    JOIN members mb ON mb.person_id = o.person_id
    WHERE o.offence_date > %(year_ago)s AND o.offence_date <= %(as_of)s
      AND o.outcome_date <= %(as_of)s
      AND date_part('year', age(o.offence_date, mb.date_of_birth)) < %(adult)s

    UNION ALL
    -- ... or a qualifying ASB event of a member or of the household itself.
    SELECT mb.household_id, 1, e.event_date, e.event_type || ' ' || e.event_date
    FROM families_asbevent e
    JOIN members mb ON mb.person_id = e.person_id
    WHERE e.event_date > %(year_ago)s AND e.event_date <= %(as_of)s
      AND e.event_type = ANY(%(asb_types)s)

    UNION ALL
    SELECT e.household_id, 1, e.event_date, e.event_type || ' ' || e.event_date
    FROM families_asbevent e
    WHERE e.household_id IS NOT NULL {household_scope}
      AND e.event_date > %(year_ago)s AND e.event_date <= %(as_of)s
      AND e.event_type = ANY(%(asb_types)s)

    UNION ALL
    -- 2. Education, over the last three terms, for every child (16 and 17 included):
    -- a permanent exclusion, or 3 or more fixed exclusions ...
    SELECT mb.household_id, 2, min(x.start_date),
           CASE WHEN bool_or(x.exclusion_type = 'permanent')
                THEN 'permanent exclusion (' || mb.given_name || ')'
                ELSE count(*) || ' fixed exclusions (' || mb.given_name || ')' END
    FROM families_exclusion x
    JOIN members mb ON mb.person_id = x.person_id
    WHERE mb.date_of_birth > %(adult_born_by)s
      AND x.start_date BETWEEN %(terms_start)s AND %(terms_end)s
    GROUP BY mb.household_id, mb.person_id, mb.given_name
    HAVING bool_or(x.exclusion_type = 'permanent')
        OR count(*) FILTER (WHERE x.exclusion_type = 'fixed') >= %(fixed_needed)s

    UNION ALL
    -- ... or unauthorised absence of 15%% or more: sessions are summed over the terms, not
    -- rates averaged, because the framework measures sessions across the three terms.
    SELECT mb.household_id, 2, min(a.term_start),
           sum(a.unauthorised_sessions) || '/' || sum(a.possible_sessions)
           || ' unauthorised absence (' || mb.given_name || ', '
           || count(*) || CASE WHEN count(*) = 1 THEN ' term)' ELSE ' terms)' END
    FROM families_attendance a
    JOIN members mb ON mb.person_id = a.person_id
    WHERE mb.date_of_birth > %(adult_born_by)s
      AND a.term_start BETWEEN %(terms_start)s AND %(terms_end)s
    GROUP BY mb.household_id, mb.person_id, mb.given_name
    HAVING sum(a.possible_sessions) > 0
       AND sum(a.unauthorised_sessions) * 100 >= sum(a.possible_sessions) * %(absence_percent)s

    UNION ALL
    -- ... or, on as_of, a child of compulsory school age out of school or excluded to a PRU/AP.
    SELECT mb.household_id, 2, s.start_date,
           CASE WHEN s.status = 'not_on_roll' THEN 'not in school'
                ELSE s.status || ' after exclusion' END || ' (' || mb.given_name || ')'
    FROM families_educationstatus s
    JOIN members mb ON mb.person_id = s.person_id
    WHERE mb.date_of_birth <= %(school_born_by)s AND mb.date_of_birth > %(school_born_after)s
      AND s.start_date <= %(as_of)s AND (s.end_date IS NULL OR s.end_date >= %(as_of)s)
      AND (s.status = 'not_on_roll'
           OR (s.status IN ('pru', 'alternative_provision') AND s.reason = 'excluded'))

    UNION ALL
    -- 3. Work: an adult with an out-of-work benefit spell open on as_of.
    SELECT mb.household_id, 3, b.start_date, b.benefit || ' (' || mb.given_name || ')'
    FROM families_benefitspell b
    JOIN members mb ON mb.person_id = b.person_id
    WHERE mb.date_of_birth <= %(adult_born_by)s
      AND b.start_date <= %(as_of)s AND (b.end_date IS NULL OR b.end_date >= %(as_of)s)

    UNION ALL
    -- 4. Local discretion: a concern of a chosen type open on as_of, person or household.
    SELECT mb.household_id, 4, c.start_date, 'concern ' || c.concern
    FROM families_concern c
    JOIN members mb ON mb.person_id = c.person_id
    WHERE c.concern = ANY(%(concern_types)s)
      AND c.start_date <= %(as_of)s AND (c.end_date IS NULL OR c.end_date >= %(as_of)s)

    UNION ALL
    SELECT c.household_id, 4, c.start_date, 'concern ' || c.concern
    FROM families_concern c
    WHERE c.household_id IS NOT NULL {household_scope_c}
      AND c.concern = ANY(%(concern_types)s)
      AND c.start_date <= %(as_of)s AND (c.end_date IS NULL OR c.end_date >= %(as_of)s)
),
assessed AS (
    SELECT household_id,
           bool_or(criterion = 1) AS crime_asb,
           bool_or(criterion = 2) AS education,
           bool_or(criterion = 3) AS work,
           bool_or(criterion = 4) AS local_discretion,
           string_agg(words, '; ' ORDER BY sort_date, words) FILTER (WHERE criterion = 1) AS r1,
           string_agg(words, '; ' ORDER BY sort_date, words) FILTER (WHERE criterion = 2) AS r2,
           string_agg(words, '; ' ORDER BY sort_date, words) FILTER (WHERE criterion = 3) AS r3,
           string_agg(words, '; ' ORDER BY sort_date, words) FILTER (WHERE criterion = 4) AS r4
    FROM reasons
    GROUP BY household_id
)
SELECT a.household_id, h.ref, a.crime_asb, a.education, a.work, a.local_discretion,
       (a.crime_asb::int + a.education::int + a.work::int) AS criteria_met,
       ((a.crime_asb::int + a.education::int + a.work::int) = 3
        OR ((a.crime_asb::int + a.education::int + a.work::int) = 2 AND a.local_discretion))
           AS eligible,
       concat_ws('; ', a.r1, a.r2, a.r3, a.r4) AS reasons
FROM assessed a
JOIN families_household h ON h.id = a.household_id
"""

COLUMNS = (
    "household_id, ref, crime_asb, education, work, local_discretion, criteria_met, eligible, "
    "reasons"
)


@dataclass(frozen=True)
class HouseholdEligibility:
    household_id: int
    ref: str
    crime_asb: bool
    education: bool
    work: bool
    local_discretion: bool
    criteria_met: int
    eligible: bool
    reasons: str


def born_by(as_of: date, years: int) -> date:
    """The last birth date of someone ``years`` old or older on ``as_of`` (29 Feb: 28 Feb)."""
    return months_before(as_of, 12 * years)


def assessment_sql(
    as_of: date, household_ids: Iterable[int] | None = None, concern_types: list[str] | None = None
) -> tuple[str, dict[str, object]]:
    """The statement assessing every household (or just ``household_ids``) on ``as_of``.

    Returns one row per household meeting at least one criterion, with the columns of
    ``COLUMNS``; used as a subquery by the runs so results never leave the database.
    """
    terms = last_three_terms(as_of)
    params: dict[str, object] = {
        "as_of": as_of,
        "year_ago": months_before(as_of, 12),
        "terms_start": terms[0].start,
        "terms_end": terms[-1].end,
        "adult": ADULT_AGE,
        # Ages on as_of compare birth dates with these days (no per-person age arithmetic):
        # born on or before as_of minus N years, a person is N or older.
        "adult_born_by": born_by(as_of, ADULT_AGE),
        "school_born_by": born_by(as_of, COMPULSORY_SCHOOL_AGES[0]),
        "school_born_after": born_by(as_of, COMPULSORY_SCHOOL_AGES[1] + 1),
        "absence_percent": ABSENCE_PERCENT,
        "fixed_needed": FIXED_EXCLUSIONS_NEEDED,
        "asb_types": QUALIFYING_ASB_TYPES,
        "concern_types": (
            concern_types
            if concern_types is not None
            else LocalDiscretionSettings.current().concern_types
        ),
    }
    scope = {"member_scope": "", "household_scope": "", "household_scope_c": ""}
    if household_ids is not None:
        params["households"] = list(household_ids)
        scope = {
            "member_scope": "AND m.household_id = ANY(%(households)s)",
            "household_scope": "AND e.household_id = ANY(%(households)s)",
            "household_scope_c": "AND c.household_id = ANY(%(households)s)",
        }
    return _SQL.format(**scope), params


def evaluate(
    as_of: date, household_ids: Iterable[int] | None = None, concern_types: list[str] | None = None
) -> list[HouseholdEligibility]:
    """Assess households on ``as_of``; only those meeting at least one criterion, by ref."""
    sql, params = assessment_sql(as_of, household_ids, concern_types)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {COLUMNS} FROM ({sql}) e ORDER BY ref", params)
        return [HouseholdEligibility(*row) for row in cursor.fetchall()]


def describe_criteria(
    *, crime_asb: bool, education: bool, work: bool, local_discretion: bool
) -> str:
    names = [
        name
        for name, met in (
            ("crime/ASB", crime_asb),
            ("education", education),
            ("work", work),
            ("local discretion", local_discretion),
        )
        if met
    ]
    return ", ".join(names) or "none"
