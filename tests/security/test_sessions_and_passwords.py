"""Passwords are hashed with Argon2 and checked by Django's validators; idle sessions end."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.browser import PASSWORD
from tfp import settings as project_settings


@pytest.fixture
def project_hashers(settings):
    """The hashers the service really uses (tests otherwise use a fast one)."""
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS


def test_new_passwords_are_hashed_with_argon2(project_hashers):
    assert make_password("Correct-horse-battery-1").startswith("argon2$")


def test_an_older_pbkdf2_hash_is_upgraded_to_argon2_at_the_next_sign_in(
    client, project_hashers, coordinator
):
    coordinator.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    coordinator.save(update_fields=["password"])

    response = client.post(reverse("accounts:login"), {"username": "carol", "password": PASSWORD})

    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.password.startswith("argon2$")


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("Short-1", "too short"),
        ("password1234", "too common"),
        ("483920175563", "entirely numeric"),
        ("carolnotreal1", "too similar"),
    ],
)
def test_weak_passwords_are_refused(coordinator, password, why):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, coordinator)
    assert why in " ".join(refused.value.messages)


def test_a_session_ends_after_thirty_minutes_without_a_request(client, coordinator):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post(reverse("accounts:login"), {"username": "carol", "password": PASSWORD})
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("accounts:start")).status_code == 200

        # Each request starts the thirty minutes again ...
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("accounts:start")).status_code == 200

        # ... and thirty-one minutes of silence end the session.
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("accounts:start"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_sign_ins_and_sign_outs_are_audited(client, coordinator):
    from audit.models import AuditEntry

    client.post(reverse("accounts:login"), {"username": "carol", "password": PASSWORD})
    client.post(reverse("accounts:logout"))

    actions = list(
        AuditEntry.objects.filter(user=coordinator).order_by("pk").values_list("action", flat=True)
    )
    assert actions == [AuditEntry.Action.SIGN_IN, AuditEntry.Action.SIGN_OUT]
