"""Case-file pages: allocation, consent, assessment, plan, interventions and budget, case notes,
tasks, timeline and closure; caseloads and the coordinators' queues.

Every page that names a family goes through ``casework_page``: it loads the case file for the
purpose at hand (reading, or recording casework on a POST or a form), answers 404 and audits
what the user may not see, and records every read of a case file in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import roles_required
from accounts.roles import Role
from audit.models import AuditEntry
from audit.services import audit_record
from families.access import (
    Sight,
    deny,
    get_case_file_for_user,
    get_household_for_user,
    is_coordinator,
    sees_sensitive_notes,
)
from families.casefiles import AttachmentRefused, case_file_attach
from families.casework import forms
from families.casework.allocation import case_file_reallocate
from families.casework.assessment import assessment_record
from families.casework.closure import case_closure_decide, case_closure_request, case_file_reopen
from families.casework.common import CaseworkRefused
from families.casework.consent import consent_record, consent_withdraw
from families.casework.interventions import (
    budget_summary,
    family_budget_set,
    intervention_add,
    intervention_decide_approval,
    intervention_type_add,
    intervention_type_set_active,
    intervention_update,
)
from families.casework.notes import case_note_add, case_note_addendum_add
from families.casework.plan import goal_add, goal_update, review_record
from families.casework.selectors import (
    awaiting_allocation,
    awaiting_approval_interventions,
    caseload,
    caseload_totals,
    key_workers,
    members_on,
    notes_visible_to,
    pending_closures,
)
from families.casework.tasks import task_add, task_complete
from families.casework.timeline import KINDS, timeline_for
from families.models import (
    Assessment,
    CaseFile,
    ClosureRequest,
    Consent,
    Goal,
    Household,
    Intervention,
    InterventionType,
    Need,
    Task,
)
from tfp import clock
from tfp.pagination import pagination

PAGE_SIZE = 50

# The case file's sections: (url name, label).
SECTIONS = (
    ("case_file", "Overview"),
    ("case_consent", "Consent"),
    ("case_assessment", "Assessment"),
    ("case_plan", "Plan"),
    ("case_interventions", "Interventions"),
    ("case_notes", "Case notes"),
    ("case_tasks", "Tasks"),
    ("case_timeline", "Timeline"),
    ("case_closure", "Closure"),
)


def casework_page(
    label: str,
    *,
    form_page: bool = False,
    coordinators_only: bool = False,
    methods: tuple[str, ...] = ("GET",),
) -> Callable:
    """Load the family's case file for the signed-in user, or 404 and audit.

    A page that only shows the case file needs ``Sight.CASE_FILE``; a form, and any POST,
    records casework and needs ``Sight.CASEWORK`` (coordinators and the family's key worker).
    The access check comes before the method check, so nobody learns from a 405 that a family
    they may not see exists. Every GET is recorded as a read of the case file.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, ref: str, **kwargs):
            records = form_page or request.method != "GET"
            sight = Sight.CASEWORK if records else Sight.CASE_FILE
            case_file = get_case_file_for_user(request, ref, sight=sight)
            if coordinators_only and not is_coordinator(request.user):
                raise deny(request, ref, f"{label} is for coordinators")
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            if request.method == "GET":
                audit_record(
                    action=AuditEntry.Action.VIEW,
                    request=request,
                    obj=case_file,
                    family_ref=case_file.household.ref,
                    summary=f"Viewed {label} of family {case_file.household.ref}",
                )
            return view(request, case_file, **kwargs)

        return wrapped

    return decorator


def case_object(request, case_file: CaseFile, queryset: QuerySet, pk: int) -> Model:
    """One of the family's own records; another family's is as unseen as that family."""
    found = queryset.filter(case_file=case_file, pk=pk).first()
    if found is None:
        raise deny(request, case_file.household.ref, f"no {queryset.model.__name__} {pk} here")
    return found


def _render_case(request, case_file: CaseFile, template: str, section: str, **context):
    """Render a case-file page with its header: status, consent banner and sections."""
    withdrawn = None
    if case_file.status == CaseFile.Status.PAUSED:
        withdrawn = (
            case_file.consents.filter(withdrawn_on__isnull=False)
            .select_related("given_by")
            .order_by("-withdrawn_on", "-id")
            .first()
        )
    user = request.user
    return render(
        request,
        template,
        {
            "case_file": case_file,
            "household": case_file.household,
            "section": section,
            "sections": [
                (reverse(f"families:{name}", args=[case_file.household.ref]), text, name == section)
                for name, text in SECTIONS
            ],
            "withdrawn_consent": withdrawn,
            "can_record": is_coordinator(user) or case_file.key_worker_id == user.pk,
            "is_coordinator": is_coordinator(user),
            "is_open": case_file.status != CaseFile.Status.CLOSED,
            **context,
        },
    )


def _form_page(request, case_file, section: str, form, *, title: str, intro: str = "", **extra):
    return _render_case(
        request,
        case_file,
        "families/casework/form.html",
        section,
        form=form,
        title=title,
        intro=intro,
        **extra,
    )


def _refused(form, refusal: CaseworkRefused | AttachmentRefused) -> None:
    form.add_error(None, str(refusal))


def _back(case_file: CaseFile, name: str):
    return redirect(f"families:{name}", ref=case_file.household.ref)


def _submitted(
    request: HttpRequest,
    form: BaseForm,
    action: Callable[[dict[str, Any]], object],
    *,
    done: str,
    back_to: tuple[Household, str],
    refusals: tuple[type[CaseworkRefused | AttachmentRefused], ...] = (CaseworkRefused,),
) -> HttpResponseRedirect | None:
    """So every casework form treats a POST alike: refusals go on the form, success goes back."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        action(form.cleaned_data)
    except refusals as refusal:
        _refused(form, refusal)
        return None
    messages.success(request, done)
    household, name = back_to
    return redirect(f"families:{name}", ref=household.ref)


# The case file -----------------------------------------------------------------------------


@casework_page("the case file")
def case_file_detail(request, case_file: CaseFile):
    today = clock.today()
    return _render_case(
        request,
        case_file,
        "families/casework/case_file.html",
        "case_file",
        members=members_on(household=case_file.household, day=today),
        budget=budget_summary(case_file),
        consents=case_file.consents.filter(withdrawn_on__isnull=True).select_related("given_by"),
        open_tasks=case_file.tasks.filter(done_on__isnull=True).select_related("assignee")[:5],
        latest_assessment=case_file.assessments.first(),
        pending_closure=case_file.closures.filter(decision=ClosureRequest.Decision.PENDING).first(),
        allocations=case_file.allocations.select_related("key_worker"),
        today=today,
    )


@require_http_methods(["GET", "POST"])
def case_allocate(request, ref: str):
    """A coordinator allocates a key worker to a confirmed family; this attaches it."""
    visible = None if is_coordinator(request.user) else Household.objects.none()
    household = get_household_for_user(request, ref, queryset=visible)
    if CaseFile.objects.filter(household=household).exists():
        return redirect("families:case_reallocate", ref=household.ref)
    form = forms.AllocateForm(request.POST or None)
    if back := _submitted(
        request,
        form,
        lambda data: case_file_attach(
            household=household,
            key_worker=data["key_worker"],
            attached_on=data["attached_on"],
            attached_by=request.user,
        ),
        done=f"Family {household.ref} attached and allocated",
        back_to=(household, "case_file"),
        refusals=(AttachmentRefused,),
    ):
        return back
    return render(
        request,
        "families/casework/allocate.html",
        {"household": household, "form": form},
    )


@casework_page("reallocation", coordinators_only=True, methods=("GET", "POST"))
def case_reallocate(request, case_file: CaseFile):
    form = forms.ReallocateForm(request.POST or None, case_file=case_file)
    if back := _submitted(
        request,
        form,
        lambda data: case_file_reallocate(
            case_file=case_file,
            key_worker=data["key_worker"],
            on=data["on"],
            by=request.user,
            request=request,
        ),
        done="Family reallocated",
        back_to=(case_file.household, "case_file"),
    ):
        return back
    return _form_page(
        request,
        case_file,
        "case_file",
        form,
        title="Reallocate the family",
        intro=f"The family's key worker is {case_file.key_worker}. The current allocation ends "
        "the day the new one starts; the history is kept.",
    )


# Consent -----------------------------------------------------------------------------------


@casework_page("consent")
def consent_list(request, case_file: CaseFile):
    consents = case_file.consents.select_related("given_by", "recorded_by")
    return _render_case(
        request, case_file, "families/casework/consent.html", "case_consent", consents=consents
    )


@casework_page("the consent form", form_page=True, methods=("GET", "POST"))
def consent_new(request, case_file: CaseFile):
    members = members_on(household=case_file.household, day=clock.today())
    form = forms.ConsentForm(request.POST or None, members=members)
    if back := _submitted(
        request,
        form,
        lambda data: consent_record(
            case_file=case_file,
            given_by=data["given_by"],
            working_together="working_together" in data["purposes"],
            share_information="share_information" in data["purposes"],
            named_partners=data["named_partners"],
            given_on=data["given_on"],
            method=data["method"],
            by=request.user,
            request=request,
        ),
        done="Consent recorded",
        back_to=(case_file.household, "case_consent"),
    ):
        return back
    return _form_page(request, case_file, "case_consent", form, title="Record consent")


@casework_page("the consent withdrawal form", form_page=True, methods=("GET", "POST"))
def consent_withdraw_view(request, case_file: CaseFile, consent_id: int):
    consent = case_object(
        request, case_file, Consent.objects.select_related("given_by"), consent_id
    )
    form = forms.ConsentWithdrawForm(request.POST or None)
    if back := _submitted(
        request,
        form,
        lambda data: consent_withdraw(
            consent=consent,
            withdrawn_on=data["withdrawn_on"],
            reason=data["reason"],
            by=request.user,
            request=request,
        ),
        done="Consent withdrawn: the case is paused",
        back_to=(case_file.household, "case_consent"),
    ):
        return back
    return _form_page(
        request,
        case_file,
        "case_consent",
        form,
        title=f"Consent withdrawn by {consent.given_by}",
        intro="Withdrawing consent pauses the case: work stops until consent is given again.",
    )


# Assessment --------------------------------------------------------------------------------


@casework_page("the assessment")
def assessment_detail(request, case_file: CaseFile, assessment_id: int | None = None):
    history = list(case_file.assessments.select_related("recorded_by"))
    if assessment_id is None:
        shown = history[0] if history else None
    else:
        shown = case_object(request, case_file, Assessment.objects.all(), assessment_id)
    needs = (
        shown.needs.select_related("person").order_by("person__date_of_birth", "domain")
        if shown
        else []
    )
    return _render_case(
        request,
        case_file,
        "families/casework/assessment.html",
        "case_assessment",
        assessment=shown,
        needs=needs,
        history=history,
    )


@casework_page("the assessment form", form_page=True, methods=("GET", "POST"))
def assessment_new(request, case_file: CaseFile):
    previous = case_file.assessments.prefetch_related("needs").first()
    members = members_on(household=case_file.household, day=clock.today())
    form = forms.AssessmentForm(request.POST or None, members=members, previous=previous)
    if back := _submitted(
        request,
        form,
        lambda data: assessment_record(
            case_file=case_file,
            assessed_on=data["assessed_on"],
            review_by=data["review_by"],
            summary=data["summary"],
            needs=form.needs(),
            by=request.user,
            request=request,
        ),
        done="Assessment saved",
        back_to=(case_file.household, "case_assessment"),
    ):
        return back
    return _render_case(
        request,
        case_file,
        "families/casework/assessment_form.html",
        "case_assessment",
        form=form,
        previous=previous,
    )


# Plan --------------------------------------------------------------------------------------


@casework_page("the family plan")
def plan_detail(request, case_file: CaseFile):
    goals = case_file.goals.select_related("need__person").prefetch_related("updates")
    reviews = case_file.reviews.select_related("recorded_by").prefetch_related("scores")
    return _render_case(
        request,
        case_file,
        "families/casework/plan.html",
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
    if back := _submitted(
        request,
        form,
        lambda data: goal_add(case_file=case_file, **data, by=request.user, request=request),
        done="Goal added to the plan",
        back_to=(case_file.household, "case_plan"),
    ):
        return back
    return _form_page(
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
    if back := _submitted(
        request,
        form,
        lambda data: goal_update(goal=goal, **data, by=request.user, request=request),
        done="Goal updated",
        back_to=(case_file.household, "case_plan"),
    ):
        return back
    return _form_page(request, case_file, "case_plan", form, title=f"Update goal: {goal.what}")


@casework_page("the review form", form_page=True, methods=("GET", "POST"))
def review_new(request, case_file: CaseFile):
    goals = [goal for goal in case_file.goals.all() if goal.is_open]
    form = forms.ReviewForm(request.POST or None, goals=goals)
    if back := _submitted(
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
    return _form_page(request, case_file, "case_plan", form, title="Record a review meeting")


# Interventions and the family budget -------------------------------------------------------


@casework_page("interventions")
def intervention_list(request, case_file: CaseFile):
    interventions = case_file.interventions.select_related(
        "intervention_type", "goal", "approval_decided_by"
    )
    return _render_case(
        request,
        case_file,
        "families/casework/interventions.html",
        "case_interventions",
        interventions=interventions,
        budget=budget_summary(case_file),
        status_choices=Intervention.Status.choices,
        Approval=Intervention.Approval,
    )


@casework_page("the intervention form", form_page=True, methods=("GET", "POST"))
def intervention_new(request, case_file: CaseFile):
    budget = budget_summary(case_file)
    form = forms.InterventionForm(
        request.POST or None, case_file=case_file, has_budget=budget is not None
    )
    if request.method == "POST" and form.is_valid():
        try:
            intervention = intervention_add(
                case_file=case_file, **form.cleaned_data, by=request.user, request=request
            )
        except CaseworkRefused as refusal:
            _refused(form, refusal)
        else:
            if intervention.approval == Intervention.Approval.AWAITING:
                messages.info(
                    request,
                    "Intervention added. It goes beyond the family budget, so it waits for a "
                    "coordinator's approval.",
                )
            else:
                messages.success(request, "Intervention added")
            return _back(case_file, "case_interventions")
    intro = ""
    if budget is not None:
        intro = f"The family budget has £{budget.remaining:,.2f} remaining."
    return _form_page(
        request, case_file, "case_interventions", form, title="Add an intervention", intro=intro
    )


@casework_page("intervention status", methods=("POST",))
def intervention_status(request, case_file: CaseFile, intervention_id: int):
    intervention = case_object(request, case_file, Intervention.objects.all(), intervention_id)
    form = forms.InterventionStatusForm(request.POST)
    if form.is_valid():
        try:
            intervention_update(
                intervention=intervention, **form.cleaned_data, by=request.user, request=request
            )
        except CaseworkRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "Intervention updated")
    else:
        messages.error(request, "Choose a status and, if it has ended, a valid end date.")
    return _back(case_file, "case_interventions")


@casework_page("the budget approval form", coordinators_only=True, methods=("GET", "POST"))
def intervention_approval(request, case_file: CaseFile, intervention_id: int):
    intervention = case_object(
        request,
        case_file,
        Intervention.objects.select_related("intervention_type", "created_by"),
        intervention_id,
    )
    form = forms.DecisionForm(request.POST or None)
    if back := _submitted(
        request,
        form,
        lambda data: intervention_decide_approval(
            intervention=intervention,
            approve=form.approved,
            note=data["note"],
            by=request.user,
            request=request,
        ),
        done="Decision recorded",
        back_to=(case_file.household, "case_interventions"),
    ):
        return back
    budget = budget_summary(case_file)
    return _form_page(
        request,
        case_file,
        "case_interventions",
        form,
        title="Spending beyond the family budget",
        intro=f"{intervention.created_by} asks for £{intervention.cost:,.2f} for "
        f"“{intervention.intervention_type}” from {intervention.provider}; the budget has "
        f"£{budget.remaining if budget else 0:,.2f} remaining.",
    )


@casework_page("the family budget form", coordinators_only=True, methods=("GET", "POST"))
def budget_set(request, case_file: CaseFile):
    budget = budget_summary(case_file)
    form = forms.BudgetForm(
        request.POST or None, initial={"allocation": budget.allocation if budget else None}
    )
    if back := _submitted(
        request,
        form,
        lambda data: family_budget_set(
            case_file=case_file, allocation=data["allocation"], by=request.user, request=request
        ),
        done="Family budget set",
        back_to=(case_file.household, "case_interventions"),
    ):
        return back
    return _form_page(
        request,
        case_file,
        "case_interventions",
        form,
        title="Family budget",
        intro=f"The budget {case_file.key_worker} may spend on the family without asking.",
    )


# Case notes --------------------------------------------------------------------------------


@casework_page("case notes")
def note_list(request, case_file: CaseFile):
    return _render_case(
        request,
        case_file,
        "families/casework/notes.html",
        "case_notes",
        notes=notes_visible_to(request.user, case_file),
        sees_sensitive=sees_sensitive_notes(request.user, case_file),
    )


@casework_page("the case note form", form_page=True, methods=("GET", "POST"))
def note_new(request, case_file: CaseFile):
    members = members_on(household=case_file.household, day=clock.today())
    form = forms.CaseNoteForm(request.POST or None, members=members)
    if back := _submitted(
        request,
        form,
        lambda data: case_note_add(
            case_file=case_file,
            contact_type=data["contact_type"],
            occurred_at=form.occurred_at,
            people_seen=data["people_seen"],
            others_seen=data["others_seen"],
            text=data["text"],
            is_sensitive=data["is_sensitive"],
            by=request.user,
            request=request,
        ),
        done="Case note saved",
        back_to=(case_file.household, "case_notes"),
    ):
        return back
    return _form_page(
        request,
        case_file,
        "case_notes",
        form,
        title="Record a case note",
        intro="A saved note cannot be changed: corrections are added to it as addenda.",
    )


@casework_page("the addendum form", form_page=True, methods=("GET", "POST"))
def note_addendum(request, case_file: CaseFile, note_id: int):
    note = case_object(request, case_file, notes_visible_to(request.user, case_file), note_id)
    form = forms.AddendumForm(request.POST or None)
    if back := _submitted(
        request,
        form,
        lambda data: case_note_addendum_add(
            note=note, text=data["text"], by=request.user, request=request
        ),
        done="Addendum added",
        back_to=(case_file.household, "case_notes"),
    ):
        return back
    return _render_case(
        request,
        case_file,
        "families/casework/addendum_form.html",
        "case_notes",
        form=form,
        note=note,
    )


# Tasks -------------------------------------------------------------------------------------


@casework_page("tasks")
def task_list(request, case_file: CaseFile):
    tasks = case_file.tasks.select_related("assignee", "done_by")
    return _render_case(
        request,
        case_file,
        "families/casework/tasks.html",
        "case_tasks",
        open_tasks=[t for t in tasks if t.done_on is None],
        done_tasks=[t for t in tasks if t.done_on is not None],
        today=clock.today(),
    )


@casework_page("the task form", form_page=True, methods=("GET", "POST"))
def task_new(request, case_file: CaseFile):
    form = forms.TaskForm(request.POST or None, initial={"assignee": case_file.key_worker_id})
    if back := _submitted(
        request,
        form,
        lambda data: task_add(case_file=case_file, **data, by=request.user, request=request),
        done="Task added",
        back_to=(case_file.household, "case_tasks"),
    ):
        return back
    return _form_page(request, case_file, "case_tasks", form, title="Add a task")


@casework_page("task completion", methods=("POST",))
def task_done(request, case_file: CaseFile, task_id: int):
    task = case_object(request, case_file, Task.objects.all(), task_id)
    try:
        task_complete(task=task, done_on=clock.today(), by=request.user, request=request)
    except CaseworkRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Task done: {task.title}")
    return _back(case_file, "case_tasks")


# Timeline ----------------------------------------------------------------------------------


@casework_page("the timeline")
def case_timeline(request, case_file: CaseFile):
    chosen = {kind for kind in request.GET.getlist("show") if kind in KINDS}
    entries = timeline_for(
        case_file=case_file, user=request.user, today=clock.today(), kinds=chosen or None
    )
    return _render_case(
        request,
        case_file,
        "families/casework/timeline.html",
        "case_timeline",
        entries=entries,
        kinds=[(kind, label, kind in chosen) for kind, label in KINDS.items()],
    )


# Closure -----------------------------------------------------------------------------------


@casework_page("closure", methods=("GET", "POST"))
def case_closure(request, case_file: CaseFile):
    form = forms.ClosureRequestForm(request.POST or None)
    if back := _submitted(
        request,
        form,
        lambda data: case_closure_request(
            case_file=case_file, **data, by=request.user, request=request
        ),
        done="Closure requested: a coordinator will decide",
        back_to=(case_file.household, "case_closure"),
    ):
        return back
    return _render_case(
        request,
        case_file,
        "families/casework/closure.html",
        "case_closure",
        form=form,
        closures=case_file.closures.select_related("requested_by", "decided_by"),
        reopenings=case_file.reopenings.select_related("reopened_by"),
        can_request=case_file.status in (CaseFile.Status.OPEN, CaseFile.Status.PAUSED),
    )


@casework_page("the closure decision form", coordinators_only=True, methods=("GET", "POST"))
def closure_decide(request, case_file: CaseFile, closure_id: int):
    closure = case_object(
        request, case_file, ClosureRequest.objects.select_related("requested_by"), closure_id
    )
    form = forms.DecisionForm(request.POST or None)
    if back := _submitted(
        request,
        form,
        lambda data: case_closure_decide(
            closure=closure,
            approve=form.approved,
            note=data["note"],
            by=request.user,
            request=request,
        ),
        done="Decision recorded",
        back_to=(case_file.household, "case_closure"),
    ):
        return back
    return _form_page(
        request,
        case_file,
        "case_closure",
        form,
        title="Close the case?",
        intro=f"{closure.requested_by} asks to close the case: "
        f"{closure.get_reason_display().lower()}. {closure.details}",
    )


@casework_page("the reopening form", coordinators_only=True, methods=("GET", "POST"))
def case_reopen(request, case_file: CaseFile):
    form = forms.ReopenForm(request.POST or None)
    if back := _submitted(
        request,
        form,
        lambda data: case_file_reopen(
            case_file=case_file, reason=data["reason"], by=request.user, request=request
        ),
        done="Case reopened",
        back_to=(case_file.household, "case_file"),
    ):
        return back
    return _form_page(request, case_file, "case_closure", form, title="Reopen the case")


# Caseloads and coordinators' queues --------------------------------------------------------


@require_GET
@roles_required(Role.KEY_WORKER)
def my_caseload(request):
    """A key worker's families: status, last contact, next task, overdue tasks."""
    today = clock.today()
    return render(
        request,
        "families/casework/caseload.html",
        {"case_files": caseload(today=today, key_worker=request.user), "today": today},
    )


@require_GET
@roles_required(Role.COORDINATOR)
def all_caseloads(request):
    """Every caseload: totals per key worker and the case files, filterable, with reallocation."""
    today = clock.today()
    form = forms.CaseloadFilterForm(request.GET)
    files = caseload(today=today)
    if form.is_valid():
        if form.cleaned_data["key_worker"]:
            files = files.filter(key_worker=form.cleaned_data["key_worker"])
        if form.cleaned_data["status"]:
            files = files.filter(status__in=form.cleaned_data["status"])
    page = Paginator(files, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "families/casework/caseloads.html",
        {
            "form": form,
            "totals": caseload_totals(today=today),
            "page": page,
            "pagination": pagination(page, request.GET),
            "today": today,
            "awaiting_allocation": awaiting_allocation().count(),
            "awaiting_decisions": awaiting_approval_interventions().count()
            + pending_closures().count(),
        },
    )


@require_GET
@roles_required(Role.COORDINATOR)
def allocation_queue(request):
    households = awaiting_allocation()
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "families/casework/awaiting_allocation.html",
        {"page": page, "pagination": pagination(page, request.GET), "key_workers": key_workers()},
    )


@require_GET
@roles_required(Role.COORDINATOR)
def decision_queue(request):
    return render(
        request,
        "families/casework/decisions.html",
        {
            "interventions": awaiting_approval_interventions(),
            "closures": pending_closures(),
        },
    )


@require_http_methods(["GET", "POST"])
@roles_required(Role.COORDINATOR)
def intervention_types(request):
    form = forms.InterventionTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            intervention_type_add(**form.cleaned_data, by=request.user, request=request)
        except CaseworkRefused as refusal:
            form.add_error("name", str(refusal))
        else:
            messages.success(request, f"“{form.cleaned_data['name']}” added to the catalogue")
            return redirect("families:intervention_types")
    return render(
        request,
        "families/casework/intervention_types.html",
        {"form": form, "types": InterventionType.objects.all()},
    )


@require_http_methods(["POST"])
@roles_required(Role.COORDINATOR)
def intervention_type_toggle(request, type_id: int):
    kind = InterventionType.objects.filter(pk=type_id).first()
    if kind is not None:
        intervention_type_set_active(
            intervention_type=kind, is_active=not kind.is_active, by=request.user, request=request
        )
        where = "returned to" if kind.is_active else "withdrawn from"
        messages.success(request, f"“{kind.name}” {where} the catalogue")
    return redirect("families:intervention_types")
