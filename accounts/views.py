from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.decorators import roles_required
from accounts.forms import (
    PasswordChooseForm,
    SecondFactorCodeForm,
    SecondFactorSetUpForm,
    SignInForm,
    SignInPolicyForm,
    UserAddForm,
    UserChangeForm,
)
from accounts.middleware import second_factor_not_required
from accounts.models import SignInPolicy
from accounts.roles import Role, roles_of
from accounts.second_factor import (
    REQUIRABLE_ROLES,
    confirmed_device,
    enrolment_device,
    qr_code_svg,
    second_factor_enrol,
    second_factor_reset,
    second_factor_verify,
    secret_for_typing,
    session_needs_code,
    sign_in_policy_set,
)
from accounts.services import (
    sign_in_link_issue,
    user_active_set,
    user_add,
    user_roles_set,
    user_second_factor_require,
)
from accounts.start import start_panels
from accounts.throttling import current_locks, sign_in_unlock
from audit.models import AuditEntry
from audit.services import audit_record


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(action=AuditEntry.Action.SIGN_IN, request=self.request, summary="Signed in")
        return response

    def get_success_url(self):
        url = super().get_success_url()
        if session_needs_code(self.request):
            return reverse("accounts:second_factor") + "?" + urlencode({"next": url})
        return url


@method_decorator(second_factor_not_required, name="dispatch")
class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            audit_record(action=AuditEntry.Action.SIGN_OUT, request=request, summary="Signed out")
        return super().post(request, *args, **kwargs)


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


# --- Second factor ---------------------------------------------------------------------------


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("accounts:start")


def _with_next(name: str, request) -> str:
    return reverse(name) + "?" + urlencode({"next": _next_url(request)})


@second_factor_not_required
def second_factor(request):
    """Give the code from the authenticator app this user has set up."""
    if confirmed_device(request.user) is None:
        return redirect(_with_next("accounts:second_factor_set_up", request))
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor_verify(request=request, token=form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error(
            "code",
            "The code is not right. Enter the code your app shows now; after several wrong "
            "codes you must wait a little before the next try",
        )
    return render(
        request, "accounts/second_factor.html", {"form": form, "next": _next_url(request)}
    )


@second_factor_not_required
def second_factor_set_up(request):
    """Set up an authenticator app: scan the QR code, then confirm with a code from the app."""
    if confirmed_device(request.user) is not None:
        # Replacing a device needs the old one (or an administrator's reset), so that a
        # stolen password alone cannot move the second factor to the thief's phone.
        if not request.user.is_verified():
            return redirect(_with_next("accounts:second_factor", request))
        messages.info(request, "You have already set up an authenticator app.")
        return redirect(_next_url(request))
    device = enrolment_device(request.user)
    form = SecondFactorSetUpForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        if second_factor_enrol(request=request, device=device, token=form.cleaned_data["code"]):
            messages.success(request, "Your authenticator app is set up.")
            return redirect(_next_url(request))
        form.add_error(
            "code",
            "The code is not right. Check that you scanned this page's QR code and enter the "
            "code your app shows now",
        )
    return render(
        request,
        "accounts/second_factor_set_up.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr_code": qr_code_svg(device),
            "secret": secret_for_typing(device),
        },
    )


@roles_required(Role.ADMINISTRATOR)
def sign_in_security(request):
    """Administrators choose the roles that must use a second factor, and see who has one."""
    policy = SignInPolicy.current()
    form = SignInPolicyForm(
        request.POST or None, initial={"second_factor_roles": policy.second_factor_roles}
    )
    if request.method == "POST" and form.is_valid():
        try:
            sign_in_policy_set(
                second_factor_roles=form.cleaned_data["second_factor_roles"],
                changed_by=request.user,
                request=request,
            )
        except ValueError as refusal:
            form.add_error("second_factor_roles", str(refusal))
        else:
            messages.success(request, "Sign-in security saved. It applies from each next sign-in.")
            return redirect("accounts:sign_in_security")
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[role.label for role in REQUIRABLE_ROLES])
        .annotate(
            has_second_factor=Exists(
                TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
            ),
            second_factor_started=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"))),
        )
        .prefetch_related("groups")
        .distinct()
        .order_by("username")
    )
    return render(
        request,
        "accounts/sign_in_security.html",
        {
            "form": form,
            "users": users,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "address_failure_limit": settings.SIGN_IN_ADDRESS_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            "session_minutes": settings.SESSION_COOKIE_AGE // 60,
            "locks": current_locks(),
        },
    )


@require_POST
@roles_required(Role.ADMINISTRATOR)
def second_factor_reset_view(request, user_id: int):
    user = get_object_or_404(
        get_user_model().objects.filter(Q(totpdevice__isnull=False)).distinct(), pk=user_id
    )
    second_factor_reset(user=user, reset_by=request.user, request=request)
    messages.success(request, f"{user} sets up a new authenticator app at their next sign-in.")
    return redirect("accounts:sign_in_security")


@require_POST
@roles_required(Role.ADMINISTRATOR)
def sign_in_unlock_view(request):
    username = request.POST.get("username", "")
    ip_address = request.POST.get("ip_address", "")
    if not ip_address:
        raise Http404
    sign_in_unlock(
        username=username, ip_address=ip_address, unlocked_by=request.user, request=request
    )
    messages.success(
        request, f"Unlocked sign-in for {username or 'every username'} from {ip_address}."
    )
    return redirect("accounts:sign_in_security")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out username (AXES_LOCKOUT_CALLABLE)."""
    return render(
        request,
        "accounts/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )


# --- Users and roles (administrators) --------------------------------------------------------

CASE_FILE_GRANTS_SHOWN = 200


def _people():
    return (
        get_user_model()
        .objects.annotate(
            has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .prefetch_related("groups")
    )


@roles_required(Role.ADMINISTRATOR)
def users(request):
    """Every account, its roles and how it signs in."""
    return render(request, "accounts/users.html", {"people": _people().order_by("username")})


@roles_required(Role.COORDINATOR)
def case_file_grants(request):
    """Coordinators see every grant of a role that sees case files, so a new key worker,
    coordinator or auditor never appears unnoticed."""
    grants = AuditEntry.objects.filter(
        action=AuditEntry.Action.ROLE_GRANTED, details__sees_case_files=True
    ).order_by("-at", "-id")[:CASE_FILE_GRANTS_SHOWN]
    return render(
        request,
        "accounts/case_file_grants.html",
        {"grants": grants, "shown": CASE_FILE_GRANTS_SHOWN},
    )


@roles_required(Role.ADMINISTRATOR)
def user_add_view(request):
    form = UserAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_add(
            username=form.cleaned_data["username"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            email=form.cleaned_data["email"],
            roles=form.cleaned_data["roles"],
            added_by=request.user,
            request=request,
        )
        return _sign_in_link_page(request, user)
    return render(request, "accounts/user_add.html", {"form": form})


@roles_required(Role.ADMINISTRATOR)
def user_detail(request, user_id: int):
    """One account: its roles, second factor and state, changed by another administrator."""
    person = get_object_or_404(_people(), pk=user_id)
    form = UserChangeForm(
        request.POST or None,
        initial={
            "roles": [role.value for role in roles_of(person)],
            "second_factor_required": person.second_factor_required,
        },
    )
    # The services refuse one's own account (403): the page offers no form for it.
    if request.method == "POST" and form.is_valid():
        user_roles_set(
            user=person, roles=form.cleaned_data["roles"], changed_by=request.user, request=request
        )
        user_second_factor_require(
            user=person,
            required=form.cleaned_data["second_factor_required"],
            changed_by=request.user,
            request=request,
        )
        messages.success(request, f"Changes to {person} saved.")
        return redirect("accounts:user_detail", user_id=person.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {"person": person, "form": form, "own": person.pk == request.user.pk},
    )


@require_POST
@roles_required(Role.ADMINISTRATOR)
def user_active_view(request, user_id: int):
    person = get_object_or_404(get_user_model(), pk=user_id)
    active = request.POST.get("active") == "true"
    user_active_set(user=person, active=active, changed_by=request.user, request=request)
    messages.success(request, f"{person} {'reactivated' if active else 'deactivated'}.")
    return redirect("accounts:user_detail", user_id=person.pk)


@require_POST
@roles_required(Role.ADMINISTRATOR)
def sign_in_link_view(request, user_id: int):
    return _sign_in_link_page(request, get_object_or_404(get_user_model(), pk=user_id))


def _sign_in_link_page(request, user):
    path = sign_in_link_issue(user=user, issued_by=request.user, request=request)
    return render(
        request,
        "accounts/sign_in_link.html",
        {
            "person": user,
            "link": request.build_absolute_uri(path),
            "days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
        },
    )


@method_decorator([login_not_required, second_factor_not_required], name="dispatch")
class SignInLinkView(auth_views.PasswordResetConfirmView):
    """A person chooses their own password from the one-time link an administrator gave them."""

    template_name = "accounts/sign_in_link_password.html"
    form_class = PasswordChooseForm
    reset_url_token = "choose-password"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(
            action=AuditEntry.Action.CHANGE,
            user=form.user,
            request=self.request,
            obj=form.user,
            summary=f"{form.user.get_username()} chose a password from a sign-in link",
        )
        messages.success(self.request, "Your password is saved. Sign in with it now.")
        return response
