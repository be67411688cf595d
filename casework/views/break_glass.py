"""Break glass: a key worker asks for emergency sight of a case file; coordinators review."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import roles_required
from accounts.roles import Role
from casework import forms
from casework.break_glass import awaiting_review, review_overdue_before
from casework.models import BreakGlass
from casework.services.break_glass import break_glass_review, break_glass_start
from casework.services.common import CaseworkRefused
from families.access import deny
from families.models import CaseFile


@require_http_methods(["GET", "POST"])
@roles_required(Role.KEY_WORKER)
def break_glass_new(request):
    form = forms.BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case_file = (
            CaseFile.objects.select_related("household")
            .filter(household__ref=data["family"])
            .first()
        )
        if case_file is None:
            # Audited like any refused look; the request itself is on record, so saying that
            # the reference has no case file tells nothing a coordinator will not see.
            deny(request, data["family"], "no case file for emergency access")
            form.add_error("family", "There is no case file with that family reference")
        else:
            try:
                use = break_glass_start(
                    case_file=case_file,
                    reason=data["reason"],
                    details=data["details"],
                    by=request.user,
                    request=request,
                )
            except CaseworkRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.warning(
                    request,
                    f"Emergency access to family {case_file.household.ref} until "
                    f"{use.expires_at:%H:%M on %d/%m/%Y}: read only, and a coordinator "
                    "will review it",
                )
                return redirect("casework:case_file", ref=case_file.household.ref)
    return render(
        request,
        "casework/break_glass_new.html",
        {"form": form, "hours": settings.BREAK_GLASS_HOURS},
    )


@require_GET
@roles_required(Role.COORDINATOR)
def break_glass_queue(request):
    overdue_before = review_overdue_before()
    reviewed = BreakGlass.objects.exclude(verdict="").select_related(
        "user", "reviewed_by", "case_file__household"
    )
    return render(
        request,
        "casework/break_glass_queue.html",
        {
            "waiting": [
                {"use": use, "overdue": use.started_at < overdue_before}
                for use in awaiting_review()
            ],
            "reviewed": reviewed.order_by("-reviewed_at")[:20],
            "working_days": settings.BREAK_GLASS_REVIEW_WORKING_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
@roles_required(Role.COORDINATOR)
def break_glass_review_view(request, pk: int):
    use = get_object_or_404(
        BreakGlass.objects.select_related("user", "case_file__household", "reviewed_by"), pk=pk
    )
    form = forms.BreakGlassReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            break_glass_review(
                use=use,
                verdict=form.cleaned_data["verdict"],
                note=form.cleaned_data["note"],
                by=request.user,
                request=request,
            )
        except CaseworkRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Review recorded")
            return redirect("casework:break_glass_queue")
    return render(request, "casework/break_glass_review.html", {"use": use, "form": form})
