"""Linking settings: the thresholds of automatic linking, read by data officers and
coordinators, changed by an administrator (linkage.md)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import roles_required
from accounts.roles import Role, roles_of
from families.linkage.forms import LinkageSettingsForm
from families.linkage.services import linkage_settings_update
from families.models import LinkageSettings


@require_http_methods(["GET", "POST"])
@roles_required(Role.DATA_OFFICER, Role.COORDINATOR, Role.ADMINISTRATOR)
def linkage_settings(request):
    current = LinkageSettings.current()
    may_change = Role.ADMINISTRATOR in roles_of(request.user)
    form = None
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        form = LinkageSettingsForm(request.POST)
        if form.is_valid():
            linkage_settings_update(
                link_threshold=float(form.cleaned_data["link_threshold"]),
                review_threshold=float(form.cleaned_data["review_threshold"]),
                by=request.user,
                request=request,
            )
            messages.success(request, "Linking thresholds saved")
            return redirect("families:linkage_settings")
    elif may_change:
        form = LinkageSettingsForm(
            initial={
                "link_threshold": current.link_threshold,
                "review_threshold": current.review_threshold,
            }
        )
    return render(
        request,
        "families/linking/settings.html",
        {"current": current, "form": form},
        status=400 if form is not None and form.errors else 200,
    )
