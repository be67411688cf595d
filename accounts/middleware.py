"""Keeps a session that owes a second-factor code on the pages where it can give one."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from accounts.second_factor import session_needs_code


def second_factor_not_required(view):
    """Mark a view a signed-in user may reach before giving their code (the code pages
    themselves, signing out). Views that need no sign-in at all are exempt already."""
    view.second_factor_not_required = True
    return view


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        exempt = getattr(view_func, "second_factor_not_required", False) or not getattr(
            view_func, "login_required", True
        )
        if exempt or not session_needs_code(request):
            return None
        target = reverse("accounts:second_factor")
        next_url = request.get_full_path()
        if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            target += "?" + urlencode({"next": next_url})
        return redirect(target)
