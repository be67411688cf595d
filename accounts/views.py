from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.decorators import method_decorator

from accounts.forms import SignInForm
from accounts.roles import Role, roles_of
from accounts.start import start_panels


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


def start(request):
    """The start page: one panel of next steps for each role the user holds."""
    roles = sorted(roles_of(request.user), key=lambda role: list(Role).index(role))
    return render(
        request,
        "accounts/start.html",
        {
            "roles": roles,
            "panels": start_panels(request.user, roles),
        },
    )
