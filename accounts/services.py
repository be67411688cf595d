"""Writes for user accounts."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from accounts.roles import Role
from audit.models import AuditEntry
from audit.services import audit_record


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
    user.is_staff = role == Role.ADMINISTRATOR
    user.save()
    user.groups.add(Group.objects.get(name=role.label))
    return user


def audit_lockout(sender, request=None, username: str = "", ip_address=None, **kwargs) -> None:
    """django-axes has just locked a username out after too many wrong passwords."""
    audit_record(
        action=AuditEntry.Action.DENIED,
        request=request,
        summary=f"Sign-in locked for {username!r} after {settings.AXES_FAILURE_LIMIT} "
        "wrong passwords",
        details={"username": username, "ip_address": ip_address},
    )
