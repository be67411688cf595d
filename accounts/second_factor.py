"""The second factor: a six-digit code from an authenticator app (TOTP, django-otp).

An administrator chooses which roles must use it (roles-and-access.md names coordinators,
finance officers and administrators). Whether a session needs it is decided once, when the
user signs in, and kept in the session: the policy is read at sign-in, not on every page.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SignInPolicy
from accounts.roles import Role, roles_of
from audit.models import AuditEntry
from audit.services import audit_record

# The roles an administrator may require a second factor of.
REQUIRABLE_ROLES = (Role.COORDINATOR, Role.FINANCE_OFFICER, Role.ADMINISTRATOR)
SESSION_KEY = "tfp_second_factor_required"
DEVICE_NAME = "Authenticator app"


def second_factor_required(user) -> bool:
    """Whether the policy in force requires ``user`` to use a second factor."""
    if user.second_factor_required:
        return True
    required = set(SignInPolicy.current().second_factor_roles)
    return any(role.value in required for role in roles_of(user))


def remember_requirement(sender, request, user, **kwargs) -> None:
    """On every sign-in (``user_logged_in``), note in the session whether it needs a code."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = second_factor_required(user)


def session_needs_code(request) -> bool:
    """The signed-in user must give a code before going on."""
    if not request.session.get(SESSION_KEY):
        return False
    # Just after sign-in, request.user is the freshly authenticated user that OTPMiddleware
    # has not seen: nobody is verified at that moment.
    is_verified = getattr(request.user, "is_verified", None)
    return is_verified is None or not is_verified()


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device(user) -> TOTPDevice:
    """The device a user is setting up: the same one until they confirm it with a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's set-up address as an SVG QR code, made on the server (no script, no
    third-party service ever sees the secret)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=4)
    svg = image._img
    svg.set("width", "200")
    svg.set("height", "200")
    svg.set("role", "img")
    svg.set("aria-label", "QR code to scan with your authenticator app")
    svg.set("class", "tfp-qr-code")
    return ET.tostring(svg, encoding="unicode")


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for apps that cannot scan."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _code_accepted(device: TOTPDevice, token: str) -> bool:
    # Locked, so two tries at once cannot both use one code. TOTPDevice throttles itself:
    # each wrong code doubles the wait before the next try, and a code works only once.
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    return device.verify_token(token.strip())


def _verified(request, device: TOTPDevice) -> None:
    otp_login(request, device)
    # A new session key once the second factor is given, as at sign-in.
    request.session.cycle_key()


@transaction.atomic
def second_factor_enrol(*, request, device: TOTPDevice, token: str) -> bool:
    """Confirm the device being set up with a code from it; the session is then verified."""
    if device.user_id != request.user.pk or device.confirmed:
        return False
    if not _code_accepted(device, token):
        return False
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    _verified(request, device)
    audit_record(
        action=AuditEntry.Action.CREATE,
        request=request,
        obj=device,
        summary="Set up a second factor (authenticator app)",
    )
    user = request.user
    transaction.on_commit(lambda: _tell_administrators(user))
    return True


def _tell_administrators(user) -> None:
    """A new phone can now sign in as ``user``: the administrators hear of it at once, so a
    set-up nobody expected is noticed (and reset) the same day."""
    emails = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.ADMINISTRATOR.label)
        .exclude(email="")
        .exclude(pk=user.pk)
        .values_list("email", flat=True)
        .distinct()
    )
    if emails:
        send_mail(
            subject=f"tfp: {user.get_username()} set up an authenticator app",
            message=f"{user} ({user.get_username()}) set up an authenticator app as their "
            "second factor. If they did not expect to, reset it on Sign-in security.",
            from_email=None,
            recipient_list=emails,
            # Mail that cannot be sent must not undo the set-up: it is in the audit log.
            fail_silently=True,
        )


@transaction.atomic
def second_factor_verify(*, request, token: str) -> bool:
    """Check a code from the user's confirmed device; the session is then verified."""
    device = confirmed_device(request.user)
    if device is None or not _code_accepted(device, token):
        return False
    _verified(request, device)
    audit_record(
        action=AuditEntry.Action.SIGN_IN,
        request=request,
        obj=device,
        summary="Gave a second-factor code",
    )
    return True


@transaction.atomic
def second_factor_reset(*, user, reset_by, request=None) -> int:
    """Remove a user's devices (a lost phone): they set up a new one at their next sign-in."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        action=AuditEntry.Action.DELETE,
        user=reset_by,
        request=request,
        obj=user,
        summary=f"Reset the second factor of {user.get_username()}",
    )
    return removed


@transaction.atomic
def sign_in_policy_set(*, second_factor_roles: list[Role], changed_by, request=None):
    """Choose the roles that must use a second factor (from their next sign-in)."""
    refused = [role for role in second_factor_roles if role not in REQUIRABLE_ROLES]
    if refused:
        raise ValueError(f"A second factor cannot be required of {refused[0].label}.")
    policy = SignInPolicy.objects.select_for_update().order_by("pk").first() or SignInPolicy()
    before = sorted(policy.second_factor_roles)
    # Nobody lifts their own requirement: another administrator must.
    lifted = set(before) - {role.value for role in second_factor_roles}
    own = [role for role in roles_of(changed_by) if role.value in lifted]
    if own:
        role = own[0].label.lower()
        raise ValueError(
            f"Another administrator must stop requiring a second factor of {role}s: "
            "you hold that role"
        )
    policy.second_factor_roles = sorted(role.value for role in second_factor_roles)
    policy.updated_by = changed_by
    policy.save()
    audit_record(
        action=AuditEntry.Action.CHANGE,
        user=changed_by,
        request=request,
        obj=policy,
        summary="Changed the roles that must use a second factor",
        details={"before": before, "after": policy.second_factor_roles},
    )
    return policy
