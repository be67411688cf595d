"""Writes for user accounts."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.roles import Role, roles_of
from audit.models import AuditEntry
from audit.services import audit_record

# Roles that see case files (roles-and-access.md): their grants are shown to coordinators.
CASE_FILE_ROLES = (Role.KEY_WORKER, Role.COORDINATOR, Role.AUDITOR)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: Role,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    validate: bool = True,
):
    """Create a user holding one role. The password is checked against the validators."""
    User = get_user_model()
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.save()
    _roles_change(user=user, grant={role}, remove=set(), changed_by=None, request=None)
    return user


def _refuse_own_account(user, changed_by) -> None:
    """Nobody changes their own roles, sign-in settings or password from the user pages: a
    second administrator must, so one account alone cannot grant itself sight of families."""
    if user.pk == changed_by.pk:
        raise PermissionDenied("Another administrator must change your own account.")


def _roles_change(*, user, grant: set[Role], remove: set[Role], changed_by, request) -> None:
    groups = Group.objects.filter(name__in=[role.label for role in Role])
    by_label = {group.name: group for group in groups}
    for role in sorted(grant | remove, key=list(Role).index):
        granted = role in grant
        (user.groups.add if granted else user.groups.remove)(by_label[role.label])
        audit_record(
            action=AuditEntry.Action.ROLE_GRANTED if granted else AuditEntry.Action.ROLE_REMOVED,
            user=changed_by,
            request=request,
            obj=user,
            summary=f"{'Granted' if granted else 'Removed'} the {role.label.lower()} role "
            f"{'to' if granted else 'from'} {user.get_username()}",
            details={
                "username": user.get_username(),
                "role": role.value,
                "sees_case_files": role in CASE_FILE_ROLES,
            },
        )
    user._tfp_roles = None


@transaction.atomic
def user_add(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    roles: set[Role],
    added_by,
    request=None,
):
    """A new member of staff with no password: they choose one from a sign-in link."""
    user = get_user_model()(
        username=username, first_name=first_name, last_name=last_name, email=email
    )
    user.set_unusable_password()
    user.save()
    audit_record(
        action=AuditEntry.Action.CREATE,
        user=added_by,
        request=request,
        obj=user,
        summary=f"Added the user {username}",
    )
    _roles_change(user=user, grant=roles, remove=set(), changed_by=added_by, request=request)
    return user


@transaction.atomic
def user_roles_set(*, user, roles: set[Role], changed_by, request=None):
    """Give ``user`` exactly ``roles``: one audit entry for each role granted or removed."""
    _refuse_own_account(user, changed_by)
    held = roles_of(user)
    _roles_change(
        user=user, grant=roles - held, remove=held - roles, changed_by=changed_by, request=request
    )
    return user


def _user_flag_set(*, user, field: str, value: bool, summary: str, changed_by, request):
    _refuse_own_account(user, changed_by)
    if getattr(user, field) == value:
        return user
    setattr(user, field, value)
    user.save(update_fields=[field])
    audit_record(
        action=AuditEntry.Action.CHANGE,
        user=changed_by,
        request=request,
        obj=user,
        summary=f"{summary} {user.get_username()}",
        details={"username": user.get_username(), field: value},
    )
    return user


@transaction.atomic
def user_second_factor_require(*, user, required: bool, changed_by, request=None):
    """Require (or stop requiring) a second factor of this person, whatever their roles."""
    summary = "Required a second factor of" if required else "Stopped requiring a second factor of"
    return _user_flag_set(
        user=user,
        field="second_factor_required",
        value=required,
        summary=summary,
        changed_by=changed_by,
        request=request,
    )


@transaction.atomic
def user_active_set(*, user, active: bool, changed_by, request=None):
    """Deactivate a user (they are signed out at their next request) or reactivate them."""
    return _user_flag_set(
        user=user,
        field="is_active",
        value=active,
        summary="Reactivated the user" if active else "Deactivated the user",
        changed_by=changed_by,
        request=request,
    )


@transaction.atomic
def sign_in_link_issue(*, user, issued_by, request=None) -> str:
    """A one-time link with which ``user`` chooses a new password; the administrator never
    sets or sees one. It stops working once used (the token is bound to the password hash)
    and after PASSWORD_RESET_TIMEOUT."""
    _refuse_own_account(user, issued_by)
    if not user.is_active:
        raise PermissionDenied("Reactivate the user before issuing a sign-in link.")
    audit_record(
        action=AuditEntry.Action.CREATE,
        user=issued_by,
        request=request,
        obj=user,
        summary=f"Issued a one-time sign-in link to {user.get_username()}",
        details={"username": user.get_username()},
    )
    return reverse(
        "accounts:sign_in_link",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def audit_lockout(sender, request=None, username: str = "", ip_address=None, **kwargs) -> None:
    """django-axes has just locked a username out after too many wrong passwords."""
    audit_record(
        action=AuditEntry.Action.DENIED,
        request=request,
        summary=f"Sign-in locked for {username!r} after {settings.AXES_FAILURE_LIMIT} "
        "wrong passwords",
        details={"username": username, "ip_address": ip_address},
    )
