"""The family plan: goals, their updates and review meetings."""

from __future__ import annotations

from django.db.models import QuerySet

from casework import forms
from casework.models import Goal, Need
from casework.services.plan import goal_add, goal_update, review_record
from casework.views.common import case_object, casework_page, render_case, render_form, submitted
from families.models import CaseFile


@casework_page("the family plan")
def plan_detail(request, case_file: CaseFile):
    goals = case_file.goals.select_related("need__person").prefetch_related("updates")
    reviews = case_file.reviews.select_related("recorded_by").prefetch_related("scores")
    return render_case(
        request,
        case_file,
        "casework/plan.html",
        "case_plan",
        goals=goals,
        reviews=reviews,
        has_needs=Need.objects.filter(assessment__case_file=case_file).exists(),
    )


def _latest_needs(case_file: CaseFile) -> QuerySet[Need]:
    latest = case_file.assessments.first()
    return Need.objects.filter(assessment=latest).select_related("person")


@casework_page("the goal form", form_page=True, methods=("GET", "POST"))
def goal_new(request, case_file: CaseFile):
    form = forms.GoalForm(request.POST or None, needs=_latest_needs(case_file))
    if back := submitted(
        request,
        form,
        lambda data: goal_add(case_file=case_file, **data, by=request.user, request=request),
        done="Goal added to the plan",
        back_to=(case_file.household, "case_plan"),
    ):
        return back
    return render_form(
        request,
        case_file,
        "case_plan",
        form,
        title="Add a goal to the plan",
        intro="Each goal answers a need of the latest assessment.",
    )


@casework_page("the goal update form", form_page=True, methods=("GET", "POST"))
def goal_edit(request, case_file: CaseFile, goal_id: int):
    goal = case_object(request, case_file, Goal.objects.all(), goal_id)
    form = forms.GoalUpdateForm(
        request.POST or None, initial={"status": goal.status, "due_on": goal.due_on}
    )
    if back := submitted(
        request,
        form,
        lambda data: goal_update(goal=goal, **data, by=request.user, request=request),
        done="Goal updated",
        back_to=(case_file.household, "case_plan"),
    ):
        return back
    return render_form(request, case_file, "case_plan", form, title=f"Update goal: {goal.what}")


@casework_page("the review form", form_page=True, methods=("GET", "POST"))
def review_new(request, case_file: CaseFile):
    goals = [goal for goal in case_file.goals.all() if goal.is_open]
    form = forms.ReviewForm(request.POST or None, goals=goals)
    if back := submitted(
        request,
        form,
        lambda data: review_record(
            case_file=case_file,
            held_on=data["held_on"],
            attendees=data["attendees"],
            summary=data["summary"],
            next_review_on=data["next_review_on"],
            scores=form.scores(),
            goal_changes=form.goal_changes(),
            by=request.user,
            request=request,
        ),
        done="Review meeting recorded",
        back_to=(case_file.household, "case_plan"),
    ):
        return back
    return render_form(request, case_file, "case_plan", form, title="Record a review meeting")
