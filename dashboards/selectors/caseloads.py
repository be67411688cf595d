"""Key-worker caseloads for coordinators: families, overdue tasks and contact, per worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from accounts.roles import Role
from dashboards.selectors.common import fetch, households_in, london_day_sql
from families.models import CaseFile, Household

# A family not seen for this many days is flagged.
NO_CONTACT_DAYS = 14


def days_since(day: date, today: date) -> int:
    """Days from ``day`` to ``today``, never negative: a note recorded at a real moment after
    a pinned service day (SERVICE_DATE) is contact today, not contact to come."""
    return max(0, (today - day).days)


def contact_cutoff(today: date) -> date:
    """A family whose last contact was on or before this day has had none for 14 days."""
    return today - timedelta(days=NO_CONTACT_DAYS)


# Every case that is not closed, with its last contact (the latest case note, or the
# attachment day when there is none yet) and its open tasks past their due day.
_ACTIVE_CASES = f"""
WITH cases AS (
    SELECT f.id, f.household_id, f.key_worker_id, f.status,
        coalesce(
            (SELECT {london_day_sql("max(n.occurred_at)")} FROM families_casenote n
             WHERE n.case_file_id = f.id),
            f.attached_on
        ) AS last_contact,
        (SELECT count(*) FROM families_task t
         WHERE t.case_file_id = f.id AND t.done_on IS NULL AND t.due_on < %(today)s) AS overdue
    FROM families_casefile f
    WHERE f.status <> '{CaseFile.Status.CLOSED}'
)
"""

# Key workers with no active case are listed too; so is anyone still holding families after
# losing the role, so that no family drops out of the totals.
_CASELOADS = (
    _ACTIVE_CASES
    + """,
workers AS (
    SELECT ug.user_id AS id FROM accounts_user_groups ug
    JOIN auth_group g ON g.id = ug.group_id
    JOIN accounts_user u ON u.id = ug.user_id
    WHERE g.name = %(group)s AND u.is_active
    UNION SELECT key_worker_id FROM cases
)
SELECT u.id, u.username, u.first_name, u.last_name,
    count(c.id),
    count(c.id) FILTER (WHERE c.status = 'paused'),
    count(c.id) FILTER (WHERE c.status = 'closure_requested'),
    coalesce(sum(c.overdue), 0)::int,
    count(c.id) FILTER (WHERE c.overdue > 0),
    count(c.id) FILTER (WHERE c.last_contact <= %(cutoff)s),
    min(c.last_contact)
FROM workers w
JOIN accounts_user u ON u.id = w.id
LEFT JOIN cases c ON c.key_worker_id = w.id
GROUP BY u.id
ORDER BY u.first_name, u.last_name, u.username
"""
)

# measure -> the condition on ``cases`` that picks a worker's families behind a figure.
MEASURES = {
    "active": ("Active families", "TRUE"),
    "overdue": ("Families with overdue tasks", "c.overdue > 0"),
    "no_contact": (
        f"Families with no contact for {NO_CONTACT_DAYS} days",
        "c.last_contact <= %(cutoff)s",
    ),
}


@dataclass(frozen=True)
class Caseload:
    user_id: int
    username: str
    name: str
    active: int
    paused: int
    closure_requested: int
    overdue_tasks: int
    families_with_overdue_tasks: int
    no_contact: int
    oldest_contact: date | None
    limit: int
    today: date

    @property
    def overloaded(self) -> bool:
        return self.active > self.limit

    @property
    def longest_without_contact(self) -> int | None:
        """Days since the family on this caseload seen least recently was last seen."""
        return days_since(self.oldest_contact, self.today) if self.oldest_contact else None


def caseloads(*, today: date, limit: int) -> list[Caseload]:
    """Every key worker's active caseload, flagged when over ``limit``. One query."""
    rows = fetch(
        _CASELOADS,
        {"today": today, "cutoff": contact_cutoff(today), "group": Role.KEY_WORKER.label},
    )
    return [
        Caseload(
            user_id=user_id,
            username=username,
            name=f"{first} {last}".strip() or username,
            active=active,
            paused=paused,
            closure_requested=closing,
            overdue_tasks=overdue,
            families_with_overdue_tasks=overdue_families,
            no_contact=no_contact,
            oldest_contact=oldest,
            limit=limit,
            today=today,
        )
        for (
            user_id,
            username,
            first,
            last,
            active,
            paused,
            closing,
            overdue,
            overdue_families,
            no_contact,
            oldest,
        ) in rows
    ]


def caseload_households(
    *, key_worker_id: int | None, measure: str, today: date
) -> QuerySet[Household]:
    """The families behind one caseload figure (``key_worker_id`` None: every worker)."""
    if measure not in MEASURES:
        raise ValueError(f"No caseload measure {measure!r}.")
    condition = MEASURES[measure][1]
    sql = (
        _ACTIVE_CASES
        + f"SELECT c.household_id FROM cases c WHERE ({condition})"
        + " AND (%(worker)s::bigint IS NULL OR c.key_worker_id = %(worker)s::bigint)"
    )
    return households_in(
        sql, {"today": today, "cutoff": contact_cutoff(today), "worker": key_worker_id}
    )
