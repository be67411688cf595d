"""Interventions, the family budget and spending beyond it, and the intervention catalogue."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import roles_required
from accounts.roles import Role
from casework import forms
from casework.models import Intervention, InterventionType
from casework.services.common import CaseworkRefused
from casework.services.interventions import (
    budget_summary,
    family_budget_set,
    intervention_add,
    intervention_decide_approval,
    intervention_type_add,
    intervention_type_set_active,
    intervention_update,
)
from casework.views.common import (
    back_to_section,
    case_object,
    casework_page,
    refused,
    render_case,
    render_form,
    submitted,
)
from families.models import CaseFile


@casework_page("interventions")
def intervention_list(request, case_file: CaseFile):
    interventions = case_file.interventions.select_related(
        "intervention_type", "goal", "approval_decided_by"
    )
    return render_case(
        request,
        case_file,
        "casework/interventions.html",
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
            refused(form, refusal)
        else:
            if intervention.approval == Intervention.Approval.AWAITING:
                messages.info(
                    request,
                    "Intervention added. It goes beyond the family budget, so it waits for a "
                    "coordinator's approval.",
                )
            else:
                messages.success(request, "Intervention added")
            return back_to_section(case_file, "case_interventions")
    intro = ""
    if budget is not None:
        intro = f"The family budget has £{budget.remaining:,.2f} remaining."
    return render_form(
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
    return back_to_section(case_file, "case_interventions")


@casework_page("the budget approval form", coordinators_only=True, methods=("GET", "POST"))
def intervention_approval(request, case_file: CaseFile, intervention_id: int):
    intervention = case_object(
        request,
        case_file,
        Intervention.objects.select_related("intervention_type", "created_by"),
        intervention_id,
    )
    form = forms.DecisionForm(request.POST or None)
    if back := submitted(
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
    return render_form(
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
    if back := submitted(
        request,
        form,
        lambda data: family_budget_set(
            case_file=case_file, allocation=data["allocation"], by=request.user, request=request
        ),
        done="Family budget set",
        back_to=(case_file.household, "case_interventions"),
    ):
        return back
    return render_form(
        request,
        case_file,
        "case_interventions",
        form,
        title="Family budget",
        intro=f"The budget {case_file.key_worker} may spend on the family without asking.",
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
            return redirect("casework:intervention_types")
    return render(
        request,
        "casework/intervention_types.html",
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
    return redirect("casework:intervention_types")
