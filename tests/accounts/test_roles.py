from __future__ import annotations

from django.contrib.auth.models import Group

from accounts.roles import Role


def test_migrations_create_one_group_per_role(db):
    names = set(Group.objects.values_list("name", flat=True))

    assert {role.label for role in Role} <= names


def test_administrators_may_manage_user_accounts(db):
    administrators = Group.objects.get(name=Role.ADMINISTRATOR.label)

    codenames = set(administrators.permissions.values_list("codename", flat=True))
    assert {"add_user", "change_user", "view_user"} <= codenames
