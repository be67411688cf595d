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
from families.models import (
    AsbEvent,
    BenefitSpell,
    Concern,
    EducationStatus,
    LocalDiscretionSettings,
)
from families.programme import (
    ABSENCE_PERCENT,
    ADULT_AGE,
    COMPULSORY_SCHOOL_AGES,
    FIXED_EXCLUSIONS,
    proven_offence_sql,
    under_adult_age_sql,
)

RULES_VERSION = "tf2012-identification-v2"

# ASB events that meet the crime/ASB criterion; a plain `incident` does not.
QUALIFYING_ASB_TYPES = [t for t in AsbEvent.Type.values if t != AsbEvent.Type.INCIDENT]
# The offence tests, shared with attachment's baseline and the results rules.
_RULES_SQL = {
    "proven": proven_offence_sql("o", by="as_of"),
    "under_adult_age": under_adult_age_sql("r.sort_date", "p.date_of_birth"),
}


def _in_words(column: str, choices: list[tuple[str, str]]) -> str:
    """SQL reading a code column as its label: 'housing_nosp' -> 'Housing notice seeking
    possession'. Reasons are words a coordinator reads, on pages and in exports alike."""
    whens = " ".join(
        "WHEN '{}' THEN '{}'".format(value, label.replace("'", "''")) for value, label in choices
    )
    return f"(CASE {column} {whens} ELSE {column} END)"


_WORDS = {
    "asb_words": _in_words("e.event_type", AsbEvent.Type.choices),
    "status_words": _in_words("s.status", EducationStatus.Status.choices),
    "benefit_words": _in_words("b.benefit", BenefitSpell.Benefit.choices),
    "concern_words": _in_words("c.concern", Concern.Type.choices),
    # "18 August 2014": the GOV.UK way of writing a date.
    "offence_day": "to_char(o.offence_date, 'FMDD FMMonth YYYY')",
    "event_day": "to_char(e.event_date, 'FMDD FMMonth YYYY')",
}

# Reasons are found per person first, over the record tables alone (the same passes as a
# plain GROUP BY person), and only then joined, once, to the people (their names and ages)
# and to their households through membership on as_of: a few tens of thousands of reasons
# are joined, not half a million people per criterion. Each reason row says which age rule
# its person must meet (age_rule) and how its words name them: ``words (Name<named_tail>)``,
# or just ``words`` when named_tail is NULL.
_REASONS_SQL = """
{scope_people}
person_reasons AS (
    -- 1. Crime/ASB: offences committed under 18 (age_rule) in the last 12 months, proven by
    -- as_of (a community resolution is not proven) ...
    SELECT o.person_id, 1 AS criterion, o.offence_date AS sort_date,
           'Youth offence, ' || {offence_day} AS words, '' AS named_tail, 'offender' AS age_rule,
           NULL AS concern
    FROM families_offence o
    WHERE o.offence_date > %(year_ago)s AND o.offence_date <= %(as_of)s
      AND {proven}
      {offence_scope}

    UNION ALL
    -- ... or a qualifying ASB event of a member (of the household itself: see reasons).
    SELECT e.person_id, 1, e.event_date, {asb_words} || ', ' || {event_day}, NULL, NULL, NULL
    FROM families_asbevent e
    WHERE e.person_id IS NOT NULL {asb_scope}
      AND e.event_date > %(year_ago)s AND e.event_date <= %(as_of)s
      AND e.event_type = ANY(%(asb_types)s)

    UNION ALL
    -- 2. Education, over the last three terms, for every child (16 and 17 included):
    -- a permanent exclusion, or 3 or more fixed exclusions ...
    SELECT x.person_id, 2, min(x.start_date),
           CASE WHEN bool_or(x.exclusion_type = 'permanent') THEN 'Permanent exclusion'
                ELSE count(*) || ' fixed exclusions' END,
           '', 'child', NULL
    FROM families_exclusion x
    WHERE x.start_date BETWEEN %(terms_start)s AND %(terms_end)s {exclusion_scope}
    GROUP BY x.person_id
    HAVING bool_or(x.exclusion_type = 'permanent')
        OR count(*) FILTER (WHERE x.exclusion_type = 'fixed') >= %(fixed_needed)s

    UNION ALL
    -- ... or unauthorised absence of 15%% or more: sessions are summed over the terms, not
    -- rates averaged, because the framework measures sessions across the three terms.
    SELECT a.person_id, 2, min(a.term_start),
           'Unauthorised absence, ' || sum(a.unauthorised_sessions) || ' of '
           || sum(a.possible_sessions) || ' sessions',
           ', ' || count(*) || CASE WHEN count(*) = 1 THEN ' term' ELSE ' terms' END, 'child',
           NULL
    FROM families_attendance a
    WHERE a.term_start BETWEEN %(terms_start)s AND %(terms_end)s {attendance_scope}
    GROUP BY a.person_id
    HAVING sum(a.possible_sessions) > 0
       AND sum(a.unauthorised_sessions) * 100 >= sum(a.possible_sessions) * %(absence_percent)s

    UNION ALL
    -- ... or, on as_of, a child of compulsory school age out of school or excluded to a PRU/AP.
    SELECT s.person_id, 2, s.start_date,
           CASE WHEN s.status = 'not_on_roll' THEN 'Not in school'
                ELSE {status_words} || ' after exclusion' END,
           '', 'school_age', NULL
    FROM families_educationstatus s
    WHERE s.start_date <= %(as_of)s AND (s.end_date IS NULL OR s.end_date >= %(as_of)s)
      AND (s.status = 'not_on_roll'
           OR (s.status IN ('pru', 'alternative_provision') AND s.reason = 'excluded'))
      {status_scope}

    UNION ALL
    -- 3. Work: an adult with an out-of-work benefit spell open on as_of.
    SELECT b.person_id, 3, b.start_date, {benefit_words}, '', 'adult', NULL
    FROM families_benefitspell b
    WHERE b.start_date <= %(as_of)s AND (b.end_date IS NULL OR b.end_date >= %(as_of)s)
      {benefit_scope}

    UNION ALL
    -- 4. Local discretion: a concern of a chosen type open on as_of, of a member (of the
    -- household itself: see reasons).
    SELECT c.person_id, 4, c.start_date, 'Concern: ' || {concern_words}, NULL, NULL, c.concern
    FROM families_concern c
    WHERE c.person_id IS NOT NULL {concern_scope}
      AND c.concern = ANY(%(concern_types)s)
      AND c.start_date <= %(as_of)s AND (c.end_date IS NULL OR c.end_date >= %(as_of)s)
),
reasons AS (
    SELECT m.household_id, r.criterion, r.sort_date,
           CASE WHEN r.named_tail IS NULL THEN r.words
                ELSE r.words || ' (' || p.given_name || r.named_tail || ')' END AS words,
           r.concern
    FROM person_reasons r
    JOIN families_person p ON p.id = r.person_id
    JOIN families_membership m ON m.person_id = r.person_id
    WHERE m.valid_from <= %(as_of)s AND (m.valid_to IS NULL OR m.valid_to > %(as_of)s)
      {member_scope}
      AND CASE r.age_rule
          -- under 18 on the day of the offence
          WHEN 'offender' THEN {under_adult_age}
          WHEN 'child' THEN p.date_of_birth > %(adult_born_by)s
          WHEN 'school_age' THEN p.date_of_birth <= %(school_born_by)s
                             AND p.date_of_birth > %(school_born_after)s
          WHEN 'adult' THEN p.date_of_birth <= %(adult_born_by)s
          ELSE true END

    UNION ALL
    SELECT e.household_id, 1, e.event_date, {asb_words} || ', ' || {event_day}, NULL
    FROM families_asbevent e
    WHERE e.household_id IS NOT NULL {household_scope}
      AND e.event_date > %(year_ago)s AND e.event_date <= %(as_of)s
      AND e.event_type = ANY(%(asb_types)s)

    UNION ALL
    SELECT c.household_id, 4, c.start_date, 'Concern: ' || {concern_words}, c.concern
    FROM families_concern c
    WHERE c.household_id IS NOT NULL {household_scope_c}
      AND c.concern = ANY(%(concern_types)s)
      AND c.start_date <= %(as_of)s AND (c.end_date IS NULL OR c.end_date >= %(as_of)s)
)
"""

_SQL = """
WITH {reasons},
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
SELECT a.household_id, a.crime_asb, a.education, a.work, a.local_discretion,
       (a.crime_asb::int + a.education::int + a.work::int) AS criteria_met,
       ((a.crime_asb::int + a.education::int + a.work::int) = 3
        OR ((a.crime_asb::int + a.education::int + a.work::int) = 2 AND a.local_discretion))
           AS eligible,
       concat_ws('; ', a.r1, a.r2, a.r3, a.r4) AS reasons
FROM assessed a
"""

# The person-level passes of a partial run look only at the people of its households.
_PERSON_SCOPES = {
    "offence_scope": "o",
    "asb_scope": "e",
    "exclusion_scope": "x",
    "attendance_scope": "a",
    "status_scope": "s",
    "benefit_scope": "b",
    "concern_scope": "c",
}
# The people of the households, as one array computed once: each pass then looks them up by
# index instead of scanning its whole table to match them. Past a few thousand households
# (after a county-wide import) scanning is cheaper than so many lookups, and the passes run
# over everyone, as in a full run, before membership keeps the households asked for.
INDEXED_SCOPE_LIMIT = 10_000
_SCOPE_PEOPLE = """scope_people AS MATERIALIZED (
    SELECT array_agg(DISTINCT person_id) AS ids
    FROM families_membership WHERE household_id = ANY(%(households)s)
),"""
_IN_HOUSEHOLDS = "AND {alias}.person_id = ANY((SELECT ids FROM scope_people)::bigint[])"


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


def reasons_sql(
    as_of: date, household_ids: Iterable[int] | None = None, concern_types: list[str] | None = None
) -> tuple[str, dict[str, object]]:
    """The reason rows of every household (or just ``household_ids``) on ``as_of``, as common
    table expressions to follow a ``WITH``.

    Their last, ``reasons``, has one row per reason: ``household_id``, ``criterion`` (1 to 4),
    ``sort_date``, ``words`` and, for local discretion, the ``concern`` type (NULL for the
    others). Concerns count only of ``concern_types`` (by default the authority's setting).
    """
    terms = last_three_terms(as_of)
    params: dict[str, object] = {
        "as_of": as_of,
        "year_ago": months_before(as_of, 12),
        "terms_start": terms[0].start,
        "terms_end": terms[-1].end,
        # Ages on as_of compare birth dates with these days (no per-person age arithmetic):
        # born on or before as_of minus N years, a person is N or older.
        "adult_born_by": born_by(as_of, ADULT_AGE),
        "school_born_by": born_by(as_of, COMPULSORY_SCHOOL_AGES[0]),
        "school_born_after": born_by(as_of, COMPULSORY_SCHOOL_AGES[1] + 1),
        "absence_percent": ABSENCE_PERCENT,
        "fixed_needed": FIXED_EXCLUSIONS,
        "asb_types": QUALIFYING_ASB_TYPES,
        "concern_types": (
            concern_types
            if concern_types is not None
            else LocalDiscretionSettings.current().concern_types
        ),
    }
    scope = dict.fromkeys(
        [*_PERSON_SCOPES, "scope_people", "member_scope", "household_scope", "household_scope_c"],
        "",
    )
    if household_ids is not None:
        params["households"] = list(household_ids)
        if len(params["households"]) <= INDEXED_SCOPE_LIMIT:
            scope |= {
                name: _IN_HOUSEHOLDS.format(alias=alias) for name, alias in _PERSON_SCOPES.items()
            } | {"scope_people": _SCOPE_PEOPLE}
        scope |= {
            "member_scope": "AND m.household_id = ANY(%(households)s)",
            "household_scope": "AND e.household_id = ANY(%(households)s)",
            "household_scope_c": "AND c.household_id = ANY(%(households)s)",
        }
    return _REASONS_SQL.format(**scope, **_WORDS, **_RULES_SQL), params


def assessment_sql(
    as_of: date, household_ids: Iterable[int] | None = None, concern_types: list[str] | None = None
) -> tuple[str, dict[str, object]]:
    """The statement assessing every household (or just ``household_ids``) on ``as_of``.

    Returns one row per household meeting at least one criterion, with the columns of
    ``HouseholdEligibility`` but ``ref``, which is left to whoever needs it (a run does not);
    used as a subquery by the runs so results never leave the database.
    """
    reasons, params = reasons_sql(as_of, household_ids, concern_types)
    return _SQL.format(reasons=reasons), params


def evaluate(
    as_of: date, household_ids: Iterable[int] | None = None, concern_types: list[str] | None = None
) -> list[HouseholdEligibility]:
    """Assess households on ``as_of``; only those meeting at least one criterion, by ref."""
    sql, params = assessment_sql(as_of, household_ids, concern_types)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.household_id, h.ref, e.crime_asb, e.education, e.work, e.local_discretion, "
            f"e.criteria_met, e.eligible, e.reasons FROM ({sql}) e "
            "JOIN families_household h ON h.id = e.household_id ORDER BY h.ref",
            params,
        )
        return [HouseholdEligibility(*row) for row in cursor.fetchall()]
