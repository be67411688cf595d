"""Unusual access: a week of the audit log, read for what information governance looks for.

Per person, over one week (Monday to Monday, the authority's time): the case files they read
of families not on their caseload, their refused attempts (the 404s the access checks audit),
their exports and claim-pack downloads, their reads of a family's records outside working
hours, their uses of emergency access (break glass), and the roles that see case files they
granted. Every figure is a condition on the week's entries, written once: the summary counts
it (``count(*) FILTER``) for everyone in one statement, and the entries behind a figure are
the same condition as a ``WHERE``. The week's entries are found by the log's index on
``at``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import connection
from django.utils import timezone

from audit.models import AuditEntry
from casework.models import BreakGlass
from families.models import CaseFile
from tfp import clock


class Figure(StrEnum):
    BEYOND_CASELOAD = "beyond_caseload"
    REFUSED = "refused"
    EXPORTS = "exports"
    OUT_OF_HOURS = "out_of_hours"
    BREAK_GLASS = "break_glass"
    CASE_FILE_GRANTS = "case_file_grants"


FIGURE_TITLES = {
    Figure.BEYOND_CASELOAD: "Case files read beyond their caseload",
    Figure.REFUSED: "Refused attempts to see a family",
    Figure.EXPORTS: "Exports and claim-pack downloads",
    Figure.OUT_OF_HOURS: "Reads of a family’s records outside working hours",
    Figure.BREAK_GLASS: "Emergency access to a case file (break glass)",
    Figure.CASE_FILE_GRANTS: "Roles that see case files granted",
}

A = AuditEntry.Action
# The conditions, over the rows of ``week`` below.
_CONDITIONS = {
    Figure.BEYOND_CASELOAD: "case_file_read AND NOT own_family",
    Figure.REFUSED: f"action = '{A.DENIED}'",
    Figure.EXPORTS: f"action IN ('{A.EXPORT}', '{A.DOWNLOAD}')",
    Figure.OUT_OF_HOURS: f"action = '{A.VIEW}' AND family_ref <> '' AND out_of_hours",
    Figure.BREAK_GLASS: f"action = '{A.CREATE}' AND object_type = %(break_glass_type)s",
    # By the person who granted it (accounts.services records whether the role sees case files).
    Figure.CASE_FILE_GRANTS: f"action = '{A.ROLE_GRANTED}'"
    " AND (details ->> 'sees_case_files')::boolean",
}

# One week of entries by signed-in people, each with what the figures ask of it: whether it
# read a case file, whether that family is on the reader's caseload (allocated to them now),
# and whether it happened outside working hours (weekends, or before or after the day).
_WEEK_SQL = f"""
WITH week AS (
    SELECT e.id, e.at, e.user_id, e.username, e.action, e.family_ref, e.summary, e.path,
           e.details, e.object_type,
           e.action = '{A.VIEW}' AND e.object_type = %(case_file_type)s AS case_file_read,
           coalesce(cf.key_worker_id = e.user_id, false) AS own_family,
           extract(isodow FROM e.at AT TIME ZONE %(tz)s) > 5
               OR (e.at AT TIME ZONE %(tz)s)::time < %(day_starts)s
               OR (e.at AT TIME ZONE %(tz)s)::time >= %(day_ends)s AS out_of_hours
    FROM audit_auditentry e
    LEFT JOIN families_household h ON e.object_type = %(case_file_type)s AND h.ref = e.family_ref
    LEFT JOIN families_casefile cf ON cf.household_id = h.id
    WHERE e.at >= %(start)s AND e.at < %(end)s AND e.user_id IS NOT NULL
)
"""

_SUMMARY_SQL = (
    _WEEK_SQL
    + f"""
SELECT w.user_id, max(w.username), max(concat_ws(' ', u.first_name, u.last_name)),
       coalesce(max(c.open_case_files), 0),
       count(DISTINCT w.family_ref) FILTER (WHERE w.case_file_read),
       count(DISTINCT w.family_ref) FILTER (WHERE {_CONDITIONS[Figure.BEYOND_CASELOAD]}),
       count(*) FILTER (WHERE {_CONDITIONS[Figure.REFUSED]}),
       count(*) FILTER (WHERE {_CONDITIONS[Figure.EXPORTS]}),
       count(*) FILTER (WHERE {_CONDITIONS[Figure.OUT_OF_HOURS]}),
       count(*) FILTER (WHERE {_CONDITIONS[Figure.BREAK_GLASS]}),
       count(*) FILTER (WHERE {_CONDITIONS[Figure.CASE_FILE_GRANTS]})
FROM week w
JOIN accounts_user u ON u.id = w.user_id
LEFT JOIN (
    SELECT key_worker_id, count(*) AS open_case_files FROM families_casefile
    WHERE status <> '{CaseFile.Status.CLOSED}' GROUP BY key_worker_id
) c ON c.key_worker_id = w.user_id
GROUP BY w.user_id
ORDER BY max(w.username)
"""
)

_ENTRIES_SQL = (
    _WEEK_SQL
    + """
SELECT id, at, username, action, family_ref, summary, path, count(*) OVER ()
FROM week
WHERE user_id = %(user)s AND {condition}
ORDER BY at, id
LIMIT %(limit)s OFFSET %(offset)s
"""
)


@dataclass(frozen=True)
class PersonWeek:
    user_id: int
    username: str
    name: str
    caseload: int
    families_read: int
    beyond_caseload: int
    refused: int
    exports: int
    out_of_hours: int
    break_glass: int
    case_file_grants: int

    @property
    def reads_unusually(self) -> bool:
        """More families read outside their caseload than they have on it, and at least the
        setting's minimum (a coordinator, with no caseload, is listed from the minimum on)."""
        return (
            self.beyond_caseload >= settings.UNUSUAL_ACCESS_MIN_FAMILIES
            and self.beyond_caseload > self.caseload
        )


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    username: str
    action: str
    family_ref: str
    summary: str
    path: str


def week_of(day: date) -> date:
    """The Monday starting the week ``day`` is in."""
    return day - timedelta(days=day.weekday())


def last_complete_week() -> date:
    # Audit entries carry the real moment (timezone.now), not the service's pinned day, so the
    # week is found from the real date too.
    return week_of(clock.calendar_today()) - timedelta(days=7)


def _params(week: date) -> dict[str, object]:
    start = timezone.make_aware(datetime.combine(week, time.min))
    starts, ends = settings.WORKING_HOURS
    return {
        "start": start,
        "end": timezone.make_aware(datetime.combine(week + timedelta(days=7), time.min)),
        "tz": settings.TIME_ZONE,
        "day_starts": starts,
        "day_ends": ends,
        "case_file_type": CaseFile._meta.label_lower,
        "break_glass_type": BreakGlass._meta.label_lower,
    }


def week_summary(week: date) -> list[PersonWeek]:
    """Everyone who did anything in the week, with every figure, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(_SUMMARY_SQL, _params(week))
        return [PersonWeek(*row) for row in cursor.fetchall()]


def figure_entries(
    *, week: date, figure: Figure, user_id: int, limit: int, offset: int
) -> tuple[int, list[Entry]]:
    """The entries behind one person's figure, oldest first: how many, and a page of them."""
    params = _params(week) | {"user": user_id, "limit": limit, "offset": offset}
    with connection.cursor() as cursor:
        cursor.execute(_ENTRIES_SQL.format(condition=_CONDITIONS[figure]), params)
        rows = cursor.fetchall()
    return (rows[0][-1] if rows else 0), [Entry(*row[:-1]) for row in rows]
