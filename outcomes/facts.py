"""The facts the results rules need, for every attached family on a claim day, gathered in
one SQL statement: sessions and exclusions of children, open education statuses, recent ASB
events and youth offences, Work Programme and ESF starts, and the jobs of adults who were on
benefit around attachment."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection

from families.dates import last_three_terms, months_before
from families.programme import (
    ADULT_AGE,
    COMPULSORY_SCHOOL_AGES,
    proven_offence_sql,
    under_adult_age_sql,
)

# "The last 6 months" (C - 6 months, C] for ASB, offences and progress to work.
RECENT_MONTHS = 6
# Continuous employment: 13 weeks, the 91 days S to S + 90 inclusive.
EMPLOYMENT_DAYS = 91


@dataclass(frozen=True)
class Child:
    name: str
    possible: int
    unauthorised: int
    terms: int
    fixed: int
    permanent: int


@dataclass(frozen=True)
class Unevidenced:
    """A child of compulsory school age on C without attendance rows in the last three terms."""

    name: str
    age: int


@dataclass(frozen=True)
class OutOfSchool:
    name: str
    status: str
    reason: str


@dataclass(frozen=True)
class WorkStart:
    name: str
    provision: str
    attached_date: date


@dataclass(frozen=True)
class Job:
    """An employment spell started after attachment by an adult who was on benefit around it."""

    name: str
    start: date
    end: date | None
    overlapping_benefit: str | None
    overlapping_from: date | None


@dataclass(frozen=True)
class FamilyFacts:
    case_file_id: int
    household_id: int
    ref: str
    attached_on: date
    baseline_education: bool
    baseline_work: bool
    baseline_asb_events: int
    baseline_youth_offences: int
    children: list[Child]
    unevidenced: list[Unevidenced]
    out_of_school: list[OutOfSchool]
    asb_recent: int
    youth_recent: int
    work_starts: list[WorkStart]
    jobs: list[Job]


_FACTS_SQL = """
WITH cf AS (
    SELECT c.id AS case_file_id, c.household_id, h.ref, c.attached_on,
           c.baseline_education, c.baseline_work, c.baseline_asb_events,
           c.baseline_youth_offences,
           (c.attached_on - interval '6 months')::date AS six_months_before_attachment
    FROM families_casefile c
    JOIN families_household h ON h.id = c.household_id
    WHERE c.attached_on <= %(as_of)s {scope}
),
members AS (
    SELECT m.household_id, p.id AS person_id, p.given_name, p.date_of_birth,
           date_part('year', age(%(as_of)s::date, p.date_of_birth))::int AS age
    FROM cf
    JOIN families_membership m ON m.household_id = cf.household_id
    JOIN families_person p ON p.id = m.person_id
    WHERE m.valid_from <= %(as_of)s AND (m.valid_to IS NULL OR m.valid_to > %(as_of)s)
),
-- Education: children on C with attendance rows in the last three terms. Sessions are summed
-- over the terms, not rates averaged, because the framework measures sessions across them.
children AS (
    SELECT mb.household_id, mb.person_id, mb.given_name,
           sum(a.possible_sessions) AS possible, sum(a.unauthorised_sessions) AS unauthorised,
           count(*) AS terms
    FROM members mb
    JOIN families_attendance a ON a.person_id = mb.person_id
    WHERE mb.age < %(adult)s AND a.term_start BETWEEN %(terms_start)s AND %(terms_end)s
    GROUP BY mb.household_id, mb.person_id, mb.given_name
),
education AS (
    SELECT ch.household_id,
           json_agg(json_build_object(
               'name', ch.given_name, 'possible', ch.possible,
               'unauthorised', ch.unauthorised, 'terms', ch.terms,
               'fixed', x.fixed, 'permanent', x.permanent
           ) ORDER BY ch.given_name, ch.person_id) AS children
    FROM children ch
    CROSS JOIN LATERAL (
        SELECT count(*) FILTER (WHERE e.exclusion_type = 'fixed') AS fixed,
               count(*) FILTER (WHERE e.exclusion_type = 'permanent') AS permanent
        FROM families_exclusion e
        WHERE e.person_id = ch.person_id
          AND e.start_date BETWEEN %(terms_start)s AND %(terms_end)s
    ) x
    GROUP BY ch.household_id
),
-- Children of compulsory school age on C with no attendance rows in those terms: their school
-- data is missing, which must never read as success.
unevidenced AS (
    SELECT mb.household_id,
           json_agg(json_build_object('name', mb.given_name, 'age', mb.age)
                    ORDER BY mb.given_name, mb.person_id) AS children
    FROM members mb
    WHERE mb.age BETWEEN %(school_from)s AND %(school_to)s
      AND NOT EXISTS (
          SELECT 1 FROM families_attendance a
          WHERE a.person_id = mb.person_id
            AND a.term_start BETWEEN %(terms_start)s AND %(terms_end)s
      )
    GROUP BY mb.household_id
),
out_of_school AS (
    SELECT mb.household_id,
           json_agg(json_build_object('name', mb.given_name, 'status', s.status,
                                      'reason', s.reason)
                    ORDER BY mb.given_name, s.start_date) AS children
    FROM members mb
    JOIN families_educationstatus s ON s.person_id = mb.person_id
    WHERE mb.age BETWEEN %(school_from)s AND %(school_to)s
      AND s.start_date <= %(as_of)s AND (s.end_date IS NULL OR s.end_date >= %(as_of)s)
      AND (s.status = 'not_on_roll'
           OR (s.status IN ('pru', 'alternative_provision') AND s.reason = 'excluded'))
    GROUP BY mb.household_id
),
-- ASB events of any type, incidents included, of the household or its members on C.
asb AS (
    SELECT household_id, count(*) AS recent FROM (
        SELECT cf.household_id
        FROM cf JOIN families_asbevent e ON e.household_id = cf.household_id
        WHERE e.event_date > %(recent_from)s AND e.event_date <= %(as_of)s
        UNION ALL
        SELECT mb.household_id
        FROM members mb JOIN families_asbevent e ON e.person_id = mb.person_id
        WHERE e.event_date > %(recent_from)s AND e.event_date <= %(as_of)s
    ) events
    GROUP BY household_id
),
-- Offences committed under 18, counted by offence date, proven by C (a community resolution
-- is not proven).
youth AS (
    SELECT mb.household_id, count(*) AS recent
    FROM members mb
    JOIN families_offence o ON o.person_id = mb.person_id
    WHERE o.offence_date > %(recent_from)s AND o.offence_date <= %(as_of)s
      AND {proven}
      AND {under_adult_age}
    GROUP BY mb.household_id
),
work_starts AS (
    SELECT mb.household_id,
           json_agg(json_build_object('name', mb.given_name, 'provision', w.provision,
                                      'attached_date', w.attached_date)
                    ORDER BY w.attached_date, mb.given_name) AS starts
    FROM members mb
    JOIN cf ON cf.household_id = mb.household_id
    JOIN families_workprogress w ON w.person_id = mb.person_id
    WHERE mb.age >= %(adult)s
      AND w.attached_date > cf.attached_on
      AND w.attached_date > %(recent_from)s AND w.attached_date <= %(as_of)s
    GROUP BY mb.household_id
),
-- Adults who had an out-of-work benefit spell open on A or in the 6 months before A.
claimants AS (
    SELECT DISTINCT mb.household_id, mb.person_id, mb.given_name, cf.attached_on
    FROM members mb
    JOIN cf ON cf.household_id = mb.household_id
    JOIN families_benefitspell b ON b.person_id = mb.person_id
    WHERE mb.age >= %(adult)s
      AND b.start_date <= cf.attached_on
      AND (b.end_date IS NULL OR b.end_date >= cf.six_months_before_attachment)
),
jobs AS (
    SELECT cl.household_id,
           json_agg(json_build_object(
               'name', cl.given_name, 'start', e.start_date, 'end', e.end_date,
               'overlapping_benefit', ob.benefit, 'overlapping_from', ob.start_date
           ) ORDER BY e.start_date, cl.given_name) AS jobs
    FROM claimants cl
    JOIN families_employmentspell e ON e.person_id = cl.person_id
    -- The first benefit spell of that adult overlapping the 91 days (as far as C has come).
    LEFT JOIN LATERAL (
        SELECT b.benefit, b.start_date
        FROM families_benefitspell b
        WHERE b.person_id = cl.person_id
          AND b.start_date <= least(e.start_date + %(employment_last_day)s, %(as_of)s::date)
          AND (b.end_date IS NULL OR b.end_date >= e.start_date)
        ORDER BY b.start_date
        LIMIT 1
    ) ob ON true
    WHERE e.start_date > cl.attached_on AND e.start_date <= %(as_of)s
    GROUP BY cl.household_id
)
SELECT cf.case_file_id, cf.household_id, cf.ref, cf.attached_on,
       cf.baseline_education, cf.baseline_work, cf.baseline_asb_events,
       cf.baseline_youth_offences,
       coalesce(education.children, '[]'::json), coalesce(unevidenced.children, '[]'::json),
       coalesce(out_of_school.children, '[]'::json),
       coalesce(asb.recent, 0), coalesce(youth.recent, 0),
       coalesce(work_starts.starts, '[]'::json), coalesce(jobs.jobs, '[]'::json)
FROM cf
LEFT JOIN education ON education.household_id = cf.household_id
LEFT JOIN unevidenced ON unevidenced.household_id = cf.household_id
LEFT JOIN out_of_school ON out_of_school.household_id = cf.household_id
LEFT JOIN asb ON asb.household_id = cf.household_id
LEFT JOIN youth ON youth.household_id = cf.household_id
LEFT JOIN work_starts ON work_starts.household_id = cf.household_id
LEFT JOIN jobs ON jobs.household_id = cf.household_id
ORDER BY cf.ref
"""


def _json(value) -> list[dict]:
    # psycopg decodes json columns already; a driver that does not hands over text.
    return json.loads(value) if isinstance(value, str) else value


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def gather_facts(as_of: date, household_ids: Iterable[int] | None = None) -> list[FamilyFacts]:
    """The facts the rules need for every family attached on or before ``as_of`` (or only
    ``household_ids``), in one statement, sorted by family reference."""
    terms = last_three_terms(as_of)
    params: dict[str, object] = {
        "as_of": as_of,
        "recent_from": months_before(as_of, RECENT_MONTHS),
        "terms_start": terms[0].start,
        "terms_end": terms[-1].end,
        "adult": ADULT_AGE,
        "school_from": COMPULSORY_SCHOOL_AGES[0],
        "school_to": COMPULSORY_SCHOOL_AGES[1],
        "employment_last_day": EMPLOYMENT_DAYS - 1,
    }
    scope = ""
    if household_ids is not None:
        params["households"] = list(household_ids)
        scope = "AND c.household_id = ANY(%(households)s)"
    with connection.cursor() as cursor:
        cursor.execute(
            _FACTS_SQL.format(
                scope=scope,
                proven=proven_offence_sql("o", by="as_of"),
                under_adult_age=under_adult_age_sql("o.offence_date", "mb.date_of_birth"),
            ),
            params,
        )
        rows = cursor.fetchall()
    return [
        FamilyFacts(
            case_file_id=row[0],
            household_id=row[1],
            ref=row[2],
            attached_on=row[3],
            baseline_education=row[4],
            baseline_work=row[5],
            baseline_asb_events=row[6],
            baseline_youth_offences=row[7],
            children=[Child(**child) for child in _json(row[8])],
            unevidenced=[Unevidenced(**child) for child in _json(row[9])],
            out_of_school=[OutOfSchool(**child) for child in _json(row[10])],
            asb_recent=row[11],
            youth_recent=row[12],
            work_starts=[
                WorkStart(w["name"], w["provision"], _day(w["attached_date"]))
                for w in _json(row[13])
            ],
            jobs=[
                Job(
                    name=j["name"],
                    start=_day(j["start"]),
                    end=_day(j["end"]),
                    overlapping_benefit=j["overlapping_benefit"],
                    overlapping_from=_day(j["overlapping_from"]),
                )
                for j in _json(row[14])
            ],
        )
        for row in rows
    ]
