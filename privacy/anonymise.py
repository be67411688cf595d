"""Anonymising in place, set-based: what the retention rule and an approved erasure do.

What stays is what the programme must keep accounting for: the family reference (the claims
sent to DCLG name it), dates, counts, categories, results and money. What goes is what
identifies a person or tells their story: names, references in partner systems, birth dates
(kept as the year), postcodes, pupil and National Insurance numbers, and the free text of
case files. Each function is one statement per table, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

ANONYMISED = "Anonymised"
REDACTED = "[Removed under the data-protection policy]"

# Case notes and addenda are append-only (families migration 0004): the trigger lets this
# module rewrite them, and nothing else, because it sets tfp.redacting for its transaction.
_ALLOW_REDACTION = "SET LOCAL tfp.redacting = 'on'"
_END_REDACTION = "SET LOCAL tfp.redacting = 'off'"

_CASE_FILE_NOTES = """UPDATE families_casenote SET text = %(redacted)s, others_seen = ''
                       WHERE case_file_id = ANY(%(case_files)s)"""
_CASE_FILE_TEXT = [
    """UPDATE families_casenoteaddendum SET text = %(redacted)s
       WHERE note_id IN (SELECT id FROM families_casenote
                         WHERE case_file_id = ANY(%(case_files)s))""",
    # The database insists a consent to share names its partners and a closure for "other"
    # reasons says why: those keep a placeholder rather than becoming empty.
    """UPDATE families_consent
       SET named_partners = CASE WHEN share_information THEN %(redacted)s ELSE '' END,
           withdrawal_reason = CASE WHEN withdrawal_reason = '' THEN '' ELSE %(redacted)s END
       WHERE case_file_id = ANY(%(case_files)s)""",
    """UPDATE families_assessment SET summary = '' WHERE case_file_id = ANY(%(case_files)s)""",
    """UPDATE families_need SET detail = ''
       WHERE assessment_id IN (SELECT id FROM families_assessment
                               WHERE case_file_id = ANY(%(case_files)s))""",
    """UPDATE families_reviewmeeting SET attendees = %(redacted)s, summary = ''
       WHERE case_file_id = ANY(%(case_files)s)""",
    """UPDATE families_goal SET what = %(redacted)s, who = %(redacted)s
       WHERE case_file_id = ANY(%(case_files)s)""",
    """UPDATE families_goalupdate SET note = ''
       WHERE goal_id IN (SELECT id FROM families_goal WHERE case_file_id = ANY(%(case_files)s))""",
    """UPDATE families_intervention SET approval_note = ''
       WHERE case_file_id = ANY(%(case_files)s)""",
    """UPDATE families_task SET title = %(redacted)s WHERE case_file_id = ANY(%(case_files)s)""",
    """UPDATE families_closurerequest
       SET details = CASE WHEN reason = 'other' THEN %(redacted)s ELSE '' END,
           decision_note = ''
       WHERE case_file_id = ANY(%(case_files)s)""",
    """UPDATE families_casereopening SET reason = %(redacted)s
       WHERE case_file_id = ANY(%(case_files)s)""",
]

# The words that name the people: given and family names and postcodes, as one regular
# expression per household they were ever in. Every character that is not a letter, digit
# or space is escaped, so a name such as "O'Neil-Smith (Jr.)" matches only itself.
_NAMES = r"""
WITH words AS (
    SELECT DISTINCT m.household_id,
           regexp_replace(w.word, '([^[:alnum:][:space:]])', '\\\1', 'g') AS word
    FROM families_membership m
    JOIN families_person p ON p.id = m.person_id
    CROSS JOIN LATERAL (VALUES (p.given_name), (p.family_name), (p.postcode)) w(word)
    WHERE p.id = ANY(%(people)s) AND length(w.word) > 1
), names AS (
    -- Bounded by anything but a letter or digit (not \m and \M, which need a name to start
    -- and end with a letter); longest first, so "Jo (Jr.)" is replaced whole, not as "Jo".
    SELECT household_id,
           '(?<![[:alnum:]])(' || string_agg(word, '|' ORDER BY length(word) DESC, word)
           || ')(?![[:alnum:]])' AS pattern
    FROM words GROUP BY household_id
)
"""

# Text the service wrote about a household from its members' records: the reasons for
# eligibility, the baseline, the results, and the members' names kept for finding it.
_NAMED_TEXT = [
    ("families_household", "id", ["member_names", "family_names", "postcodes"]),
    ("families_casefile", "household_id", ["baseline_reasons"]),
    ("families_eligibilityresult", "household_id", ["reasons"]),
    (
        "families_currenteligibility",
        "household_id",
        ["reasons", "member_names", "family_names", "postcodes"],
    ),
    ("outcomes_familyresult", "household_id", ["reason"]),
]

_PEOPLE = [
    """UPDATE families_person
       SET given_name = %(anonymised)s, family_name = %(anonymised)s, ref = 'ANON-' || id,
           postcode = '', upn = '', nino = '',
           date_of_birth = make_date(extract(year FROM date_of_birth)::int, 1, 1)
       WHERE id = ANY(%(people)s)""",
    # Partner systems' own references would lead straight back to the person.
    """UPDATE families_offence SET source_ref = 'ANON-' || id WHERE person_id = ANY(%(people)s)""",
    """UPDATE families_asbevent SET source_ref = 'ANON-' || id
       WHERE person_id = ANY(%(people)s)""",
    # The partner's copy of a linked person (linkage.md), and the matcher's field-by-field
    # comparisons naming either side.
    """UPDATE families_linkcandidate SET contributions = '[]'
       WHERE person_id = ANY(%(people)s)
          OR source_person_id IN (
              SELECT id FROM families_sourceperson WHERE person_id = ANY(%(people)s))""",
    """UPDATE families_sourceperson
       SET given_name = %(anonymised)s, family_name = %(anonymised)s,
           source_person_id = 'ANON-' || id, postcode = '', upn = '', nino = '',
           date_of_birth = make_date(extract(year FROM date_of_birth)::int, 1, 1)
       WHERE person_id = ANY(%(people)s)""",
]


@dataclass(frozen=True)
class Counts:
    case_files: int = 0
    people: int = 0
    notes: int = 0


def _params(**values) -> dict[str, object]:
    return {"redacted": REDACTED, "anonymised": ANONYMISED, **values}


def scrub_names(*, people: Sequence[int]) -> None:
    """Replace these people's names and postcodes in the text written about their households.

    Runs before ``anonymise_people``, while the names are still there to be found.
    """
    if not people:
        return
    with connection.cursor() as cursor:
        for table, key, columns in _NAMED_TEXT:
            changes = ", ".join(
                f"{column} = regexp_replace(t.{column}, names.pattern, %(anonymised)s, 'g')"
                for column in columns
            )
            found = " OR ".join(f"t.{column} ~ names.pattern" for column in columns)
            cursor.execute(
                f"{_NAMES} UPDATE {table} t SET {changes} FROM names "
                f"WHERE t.{key} = names.household_id AND ({found})",
                _params(people=list(people)),
            )


def anonymise_people(*, people: Sequence[int]) -> int:
    """Remove what identifies these people from their records; returns how many."""
    if not people:
        return 0
    with connection.cursor() as cursor:
        for statement in _PEOPLE:
            cursor.execute(statement, _params(people=list(people)))
        cursor.execute(
            "UPDATE families_need SET detail = '' WHERE person_id = ANY(%(people)s)",
            _params(people=list(people)),
        )
    return len(people)


def redact_case_files(*, case_files: Sequence[int]) -> int:
    """Remove the free text of these case files; returns how many case notes were redacted."""
    if not case_files:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_ALLOW_REDACTION)
        try:
            cursor.execute(_CASE_FILE_NOTES, _params(case_files=list(case_files)))
            notes = cursor.rowcount
            for statement in _CASE_FILE_TEXT:
                cursor.execute(statement, _params(case_files=list(case_files)))
        finally:
            cursor.execute(_END_REDACTION)
    return notes


def redact_notes_seeing(*, people: Sequence[int]) -> int:
    """Remove the text of the case notes (and their addenda) recording these people as seen."""
    if not people:
        return 0
    seeing = """SELECT casenote_id FROM families_casenote_people_seen
                WHERE person_id = ANY(%(people)s)"""
    with connection.cursor() as cursor:
        cursor.execute(_ALLOW_REDACTION)
        try:
            cursor.execute(
                f"UPDATE families_casenote SET text = %(redacted)s, others_seen = '' "
                f"WHERE id IN ({seeing})",
                _params(people=list(people)),
            )
            notes = cursor.rowcount
            cursor.execute(
                f"UPDATE families_casenoteaddendum SET text = %(redacted)s "
                f"WHERE note_id IN ({seeing})",
                _params(people=list(people)),
            )
        finally:
            cursor.execute(_END_REDACTION)
    return notes
