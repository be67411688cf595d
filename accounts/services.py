"""Writes for user accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from accounts.roles import Role


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
