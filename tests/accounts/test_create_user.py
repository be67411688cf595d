from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts.roles import Role, roles_of

User = get_user_model()


def create_user(monkeypatch, *args: str, stdin: str) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("create_user", *args, stdout=out)
    return out.getvalue()


def test_creates_a_user_with_the_role_and_the_password_from_stdin(db, monkeypatch):
    output = create_user(
        monkeypatch, "fiona", "--role", "finance-officer", stdin="Pale-lantern-orbit-42\n"
    )

    user = User.objects.get(username="fiona")
    assert user.check_password("Pale-lantern-orbit-42")
    assert roles_of(user) == {Role.FINANCE_OFFICER}
    assert "Pale-lantern-orbit-42" not in output


def test_accepts_the_password_typed_twice(db, monkeypatch):
    create_user(monkeypatch, "kai", "--role", "key_worker", stdin="Pale-lantern-orbit-42\n" * 2)

    assert User.objects.get(username="kai").check_password("Pale-lantern-orbit-42")


def test_refuses_a_weak_password(db, monkeypatch):
    with pytest.raises(CommandError, match="too short"):
        create_user(monkeypatch, "wendy", "--role", "auditor", stdin="password\n")

    assert not User.objects.filter(username="wendy").exists()


def test_refuses_an_unknown_role(db, monkeypatch):
    with pytest.raises(CommandError, match="Unknown role 'chief'"):
        create_user(monkeypatch, "uma", "--role", "chief", stdin="Pale-lantern-orbit-42\n")

    assert not User.objects.filter(username="uma").exists()


def test_refuses_an_empty_standard_input(db, monkeypatch):
    with pytest.raises(CommandError, match="standard input"):
        create_user(monkeypatch, "eve", "--role", "auditor", stdin="")


def test_has_no_password_argument(db, monkeypatch):
    with pytest.raises(CommandError, match="unrecognized arguments"):
        create_user(
            monkeypatch,
            "pam",
            "--role",
            "auditor",
            "--password",
            "Pale-lantern-orbit-42",
            stdin="",
        )
