"""The family plan: goals linked to assessed needs, and the review meetings that update them
and score progress per domain. Every change to a goal is kept as a goal update."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from accounts.models import User
from audit.models import AuditEntry
from casework.models import Domain, Goal, GoalStatus, GoalUpdate, Need, ProgressScore, ReviewMeeting
from families.models import CaseFile
from tfp import clock

from .common import CaseworkRefused, audit_change, lock_open_case_file


@dataclass(frozen=True)
class GoalChange:
    goal: Goal
    status: str
    due_on: date
    note: str = ""


@transaction.atomic
def goal_add(
    *, case_file: CaseFile, need: Need, what: str, who: str, due_on: date, by: User, request=None
) -> Goal:
    case_file = lock_open_case_file(case_file)
    if need.assessment.case_file_id != case_file.pk:
        raise CaseworkRefused("A goal answers one of this family's assessed needs.")
    goal = Goal.objects.create(
        case_file=case_file, need=need, what=what, who=who, due_on=due_on, created_by=by
    )
    audit_change(
        by=by,
        request=request,
        case_file=case_file,
        obj=goal,
        action=AuditEntry.Action.CREATE,
        summary=f"Added a plan goal for {need.get_domain_display().lower()}, due {due_on}",
    )
    return goal


def _apply_goal_change(change: GoalChange, *, review: ReviewMeeting | None, by: User) -> bool:
    goal = change.goal
    if change.status not in GoalStatus.values:
        raise CaseworkRefused("Choose a status for each goal.")
    if (goal.status, goal.due_on) == (change.status, change.due_on) and not change.note:
        return False
    GoalUpdate.objects.create(
        goal=goal,
        review=review,
        status=change.status,
        due_on=change.due_on,
        note=change.note,
        changed_by=by,
    )
    goal.status = change.status
    goal.due_on = change.due_on
    goal.save(update_fields=["status", "due_on"])
    return True


@transaction.atomic
def goal_update(
    *, goal: Goal, status: str, due_on: date, note: str = "", by: User, request=None
) -> Goal:
    case_file = goal.case_file
    case_file = lock_open_case_file(case_file)
    if _apply_goal_change(GoalChange(goal, status, due_on, note), review=None, by=by):
        audit_change(
            by=by,
            case_file=case_file,
            obj=goal,
            summary=f"Updated a plan goal: {goal.get_status_display().lower()}, due {due_on}",
        )
    return goal


@transaction.atomic
def review_record(
    *,
    case_file: CaseFile,
    held_on: date,
    attendees: str,
    summary: str = "",
    next_review_on: date | None = None,
    scores: Mapping[str, int],
    goal_changes: Sequence[GoalChange] = (),
    by: User,
    request=None,
) -> ReviewMeeting:
    """Record a review meeting: its progress scores (1-10 per domain) and the goals it changed."""
    if error := clock.future_date_error(held_on, "Date of the meeting"):
        raise CaseworkRefused(error)
    case_file = lock_open_case_file(case_file)
    if next_review_on is not None and next_review_on <= held_on:
        raise CaseworkRefused("The next review must be after this one.")
    for domain, score in scores.items():
        if domain not in Domain.values or not 1 <= score <= 10:
            raise CaseworkRefused("Progress scores run from 1 to 10 for a known domain.")
    if any(change.goal.case_file_id != case_file.pk for change in goal_changes):
        raise CaseworkRefused("A review changes this family's goals only.")
    review = ReviewMeeting.objects.create(
        case_file=case_file,
        held_on=held_on,
        attendees=attendees,
        summary=summary,
        next_review_on=next_review_on,
        recorded_by=by,
    )
    ProgressScore.objects.bulk_create(
        ProgressScore(review=review, domain=domain, score=score) for domain, score in scores.items()
    )
    changed = sum(_apply_goal_change(change, review=review, by=by) for change in goal_changes)
    audit_change(
        by=by,
        request=request,
        case_file=case_file,
        obj=review,
        action=AuditEntry.Action.CREATE,
        summary=f"Recorded the review meeting of {held_on}: {len(scores)} progress scores, "
        f"{changed} goals changed",
    )
    return review
