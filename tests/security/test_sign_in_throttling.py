"""Sign-in is throttled after repeated failures (roles-and-access.md), with django-axes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from tests.browser import PASSWORD

SIGN_IN = reverse("accounts:login")


def sign_in(client, username: str, password: str):
    return client.post(SIGN_IN, {"username": username, "password": password})


def fail(client, username: str, times: int):
    for _ in range(times):
        response = sign_in(client, username, "not-the-password")
    return response


def test_the_right_password_works_after_fewer_failures_than_the_limit(client, coordinator):
    response = fail(client, "carol", settings.AXES_FAILURE_LIMIT - 1)
    assert b"correct username and password" in response.content

    response = sign_in(client, "carol", PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("accounts:start")


def test_after_the_limit_even_the_right_password_is_refused_with_the_locked_out_page(
    client, coordinator
):
    last_failure = fail(client, "carol", settings.AXES_FAILURE_LIMIT)
    assert last_failure.status_code == 429

    response = sign_in(client, "carol", PASSWORD)

    assert response.status_code == 429
    assert b"Too many wrong passwords" in response.content
    assert b"locked for 15 minutes" in response.content
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_audited(client, coordinator):
    fail(client, "carol", settings.AXES_FAILURE_LIMIT)

    entry = AuditEntry.objects.get(action=AuditEntry.Action.DENIED)
    assert entry.details["username"] == "carol"
    assert entry.path == SIGN_IN


def test_the_lock_is_on_the_username_and_the_address_together(client, coordinator):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(SIGN_IN, {"username": "carol", "password": "wrong"}, REMOTE_ADDR="192.0.2.9")

    locked = client.post(
        SIGN_IN, {"username": "carol", "password": PASSWORD}, REMOTE_ADDR="192.0.2.9"
    )
    elsewhere = client.post(
        SIGN_IN, {"username": "carol", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )

    assert (locked.status_code, elsewhere.status_code) == (429, 302)


def test_one_address_guessing_many_usernames_is_locked_for_all_of_them(
    client, settings, coordinator
):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 6
    for number in range(6):
        client.post(
            SIGN_IN, {"username": f"guess{number}", "password": "x"}, REMOTE_ADDR="192.0.2.50"
        )

    locked = client.post(
        SIGN_IN, {"username": "carol", "password": PASSWORD}, REMOTE_ADDR="192.0.2.50"
    )
    elsewhere = client.post(
        SIGN_IN, {"username": "carol", "password": PASSWORD}, REMOTE_ADDR="192.0.2.51"
    )

    assert (locked.status_code, elsewhere.status_code) == (429, 302)
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.DENIED, details__ip_address="192.0.2.50"
    ).exists()


def test_an_administrator_unlocks_a_locked_username_and_it_is_audited(
    client, coordinator, administrator
):
    fail(client, "carol", settings.AXES_FAILURE_LIMIT)
    client.force_login(administrator)
    page = client.get(reverse("accounts:sign_in_security")).content.decode()
    assert "Unlock" in page and "carol" in page

    client.post(
        reverse("accounts:sign_in_unlock"), {"username": "carol", "ip_address": "127.0.0.1"}
    )
    client.logout()

    assert sign_in(client, "carol", PASSWORD).status_code == 302
    assert AuditEntry.objects.filter(
        user=administrator, summary="Unlocked sign-in for carol from 127.0.0.1"
    ).exists()


def test_another_username_is_not_locked_by_someone_elses_failures(client, coordinator, key_worker):
    fail(client, "carol", settings.AXES_FAILURE_LIMIT)

    assert sign_in(client, "kim", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, coordinator):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        fail(client, "carol", settings.AXES_FAILURE_LIMIT)
        assert sign_in(client, "carol", PASSWORD).status_code == 429

        traveller.shift(settings.AXES_COOLOFF_TIME + timedelta(minutes=1))

        assert sign_in(client, "carol", PASSWORD).status_code == 302


def test_a_successful_sign_in_starts_the_count_again(client, coordinator):
    fail(client, "carol", settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(client, "carol", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))

    fail(client, "carol", settings.AXES_FAILURE_LIMIT - 1)

    assert sign_in(client, "carol", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_test_clients_sign_ins_still_work_without_a_request(client, coordinator):
    # The test client authenticates with no request; throttling must not make that an error.
    assert client.login(username="carol", password=PASSWORD)
    assert client.get(reverse("accounts:start")).status_code == 200
