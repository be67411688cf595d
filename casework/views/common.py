"""What every case-file page shares.

Every page that names a family goes through ``casework_page``: it loads the case file for the
purpose at hand (reading, or recording casework on a POST or a form), answers 404 and audits
what the user may not see, and records every read of a case file in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse

from audit.models import AuditEntry
from audit.services import audit_record
from casework.break_glass import running_use
from families.access import Sight, deny, get_case_file_for_user, is_coordinator
from families.casefiles import CaseFileRefused
from families.models import CaseFile, Household

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


def render_case(request, case_file: CaseFile, template: str, section: str, **context):
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
            "break_glass": running_use(user, case_file),
            "case_file": case_file,
            "household": case_file.household,
            "section": section,
            "sections": [
                (reverse(f"casework:{name}", args=[case_file.household.ref]), text, name == section)
                for name, text in SECTIONS
            ],
            "withdrawn_consent": withdrawn,
            "can_record": is_coordinator(user) or case_file.key_worker_id == user.pk,
            "is_coordinator": is_coordinator(user),
            "is_open": case_file.status != CaseFile.Status.CLOSED,
            **context,
        },
    )


def render_form(request, case_file, section: str, form, *, title: str, intro: str = "", **extra):
    return render_case(
        request,
        case_file,
        "casework/form.html",
        section,
        form=form,
        title=title,
        intro=intro,
        **extra,
    )


def refused(form, refusal: CaseFileRefused) -> None:
    form.add_error(None, str(refusal))


def back_to_section(case_file: CaseFile, name: str):
    return redirect(f"casework:{name}", ref=case_file.household.ref)


def submitted(
    request: HttpRequest,
    form: BaseForm,
    action: Callable[[dict[str, Any]], object],
    *,
    done: str,
    back_to: tuple[Household, str],
) -> HttpResponseRedirect | None:
    """So every casework form treats a POST alike: refusals go on the form, success goes back."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        action(form.cleaned_data)
    except CaseFileRefused as refusal:
        refused(form, refusal)
        return None
    messages.success(request, done)
    household, name = back_to
    return redirect(f"casework:{name}", ref=household.ref)
