"""A second factor (TOTP) that an administrator can require of coordinators, finance officers
and administrators (roles-and-access.md)."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SignInPolicy
from accounts.roles import Role
from accounts.second_factor import sign_in_policy_set
from audit.models import AuditEntry
from tests.browser import PASSWORD
from tests.factories import UserFactory

START = reverse("accounts:start")
CODE = reverse("accounts:second_factor")
SET_UP = reverse("accounts:second_factor_set_up")
SECURITY = reverse("accounts:sign_in_security")


def code_of(device: TOTPDevice) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def sign_in(client, user):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


@pytest.fixture
def required_for_coordinators(administrator):
    sign_in_policy_set(second_factor_roles=[Role.COORDINATOR], changed_by=administrator)


@pytest.fixture
def frozen():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def enrol(client, user) -> TOTPDevice:
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SET_UP, {"code": code_of(device), "password": PASSWORD})
    assert response.status_code == 302
    return device


def test_nobody_is_asked_for_a_code_until_an_administrator_requires_it(client, coordinator):
    response = sign_in(client, coordinator)

    assert response.url == START
    assert client.get(START).status_code == 200


def test_a_required_coordinator_is_sent_to_set_up_an_app_before_any_page(
    client, coordinator, required_for_coordinators
):
    response = sign_in(client, coordinator)
    assert response.url == f"{CODE}?next=%2F"

    for path in (START, reverse("casework:caseloads"), reverse("admin:index")):
        page = client.get(path)
        assert page.status_code == 302, path
        assert page.url.startswith(CODE), path

    assert client.get(CODE).url.startswith(SET_UP)


def test_the_set_up_page_shows_a_qr_code_drawn_on_the_server_and_the_key_to_type(
    client, coordinator, required_for_coordinators
):
    sign_in(client, coordinator)

    page = client.get(SET_UP).content.decode()

    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert re.search(r'<svg [^>]*role="img"', page)
    assert "<path d=" in page
    typed_key = re.search(r'tfp-secret">([A-Z2-7 ]+)<', page)
    assert typed_key is not None
    typed = typed_key.group(1).replace(" ", "")
    assert base64.b32decode(typed + "=" * (-len(typed) % 8)) == device.bin_key


def test_confirming_with_a_code_from_the_app_lets_the_coordinator_in(
    client, coordinator, required_for_coordinators, frozen
):
    sign_in(client, coordinator)

    device = enrol(client, coordinator)

    device.refresh_from_db()
    assert device.confirmed
    assert client.get(START).status_code == 200
    assert AuditEntry.objects.filter(
        user=coordinator, action="create", object_type="otp_totp.totpdevice"
    ).exists()


def test_a_wrong_code_at_set_up_is_refused_with_an_error(
    client, coordinator, required_for_coordinators
):
    sign_in(client, coordinator)
    client.get(SET_UP)

    response = client.post(SET_UP, {"code": "000000", "password": PASSWORD})

    assert response.status_code == 200
    assert b"The code is not right" in response.content
    assert b"govuk-error-summary" in response.content
    assert client.get(START).status_code == 302


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567", "١٢٣٤٥٦"])
def test_something_that_is_not_six_digits_is_a_form_error(
    client, coordinator, required_for_coordinators, code
):
    sign_in(client, coordinator)
    client.get(SET_UP)

    response = client.post(SET_UP, {"code": code})

    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content


def test_at_the_next_sign_in_the_code_is_asked_for_and_checked(
    client, coordinator, required_for_coordinators, frozen
):
    sign_in(client, coordinator)
    device = enrol(client, coordinator)
    client.post(reverse("accounts:logout"))
    frozen.shift(timedelta(seconds=60))

    assert sign_in(client, coordinator).url == f"{CODE}?next=%2F"
    assert client.get(CODE).status_code == 200
    assert client.post(CODE, {"code": "999999", "next": "/"}).status_code == 200
    assert client.get(START).status_code == 302

    # The wrong code made the app wait before the next try.
    frozen.shift(timedelta(seconds=5))
    response = client.post(CODE, {"code": code_of(device), "next": "/"})

    assert response.status_code == 302
    assert response.url == "/"
    assert client.get(START).status_code == 200


def test_a_stolen_password_cannot_move_the_second_factor_to_another_phone(
    client, coordinator, required_for_coordinators, frozen
):
    sign_in(client, coordinator)
    device = enrol(client, coordinator)
    client.post(reverse("accounts:logout"))

    sign_in(client, coordinator)
    response = client.get(SET_UP)

    assert response.status_code == 302
    assert response.url.startswith(CODE)
    assert list(TOTPDevice.objects.filter(user=coordinator)) == [device]


def test_a_key_worker_is_not_asked_when_only_coordinators_must(
    client, key_worker, required_for_coordinators
):
    assert sign_in(client, key_worker).url == START
    assert client.get(START).status_code == 200


def test_a_second_factor_cannot_be_required_of_key_workers(administrator):
    with pytest.raises(ValueError, match="Key worker"):
        sign_in_policy_set(second_factor_roles=[Role.KEY_WORKER], changed_by=administrator)


def test_an_administrator_requires_it_for_finance_officers_on_the_security_page(
    client, administrator, finance_officer
):
    client.force_login(administrator)

    response = client.post(SECURITY, {"second_factor_roles": ["finance_officer"]})

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="change", object_type="accounts.signinpolicy")
    assert entry.details == {"before": [], "after": ["finance_officer"]}
    client.post(reverse("accounts:logout"))
    assert sign_in(client, finance_officer).url.startswith(CODE)


def test_the_security_page_lists_who_has_set_up_a_second_factor(
    client, administrator, coordinator, finance_officer, key_worker
):
    TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    client.force_login(administrator)

    page = client.get(SECURITY).content.decode()

    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", page, re.S)
    text = {re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows[1:]}
    assert any(row.startswith("Carol Notreal (carol)") and "Set up" in row for row in text)
    assert any(row.startswith("Fran Notreal (fran)") and "Not set up" in row for row in text)
    assert not any("kim" in row for row in text)


def test_an_administrator_resets_a_lost_phone(client, administrator, coordinator):
    TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    client.force_login(administrator)

    response = client.post(reverse("accounts:second_factor_reset", args=[coordinator.pk]))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert AuditEntry.objects.filter(
        action="delete", object_type="accounts.user", object_id=str(coordinator.pk)
    ).exists()


@pytest.mark.parametrize("persona", ["coordinator", "key_worker", "finance_officer", "auditor"])
def test_only_administrators_manage_sign_in_security(client, request, persona, administrator):
    TOTPDevice.objects.create(user=administrator, name="app", confirmed=True)
    client.force_login(request.getfixturevalue(persona))

    assert client.get(SECURITY).status_code == 403
    assert client.post(SECURITY, {"second_factor_roles": []}).status_code == 403
    reset = reverse("accounts:second_factor_reset", args=[administrator.pk])
    assert client.post(reset).status_code == 403
    assert TOTPDevice.objects.filter(user=administrator).exists()


def test_the_code_page_only_sends_people_on_to_this_site(
    client, coordinator, required_for_coordinators, frozen
):
    sign_in(client, coordinator)
    device = enrol(client, coordinator)
    client.post(reverse("accounts:logout"))
    frozen.shift(timedelta(seconds=60))
    sign_in(client, coordinator)

    response = client.post(CODE, {"code": code_of(device), "next": "https://evil.example/"})

    assert response.url == START


def test_setting_up_an_app_needs_the_password_again(client, coordinator, required_for_coordinators):
    sign_in(client, coordinator)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=coordinator)

    response = client.post(SET_UP, {"code": code_of(device), "password": "not-the-password"})

    assert b"The password is not right" in response.content
    device.refresh_from_db()
    assert not device.confirmed


def test_administrators_are_told_when_someone_sets_up_an_app(
    client,
    coordinator,
    administrator,
    required_for_coordinators,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    administrator.email = "adam@example.gov.uk"
    administrator.save()
    sign_in(client, coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        enrol(client, coordinator)

    [message] = mailoutbox
    assert message.to == ["adam@example.gov.uk"]
    assert "carol set up an authenticator app" in message.subject


def test_nobody_lifts_the_second_factor_of_a_role_they_hold(administrator):
    sign_in_policy_set(second_factor_roles=[Role.ADMINISTRATOR], changed_by=administrator)
    # Every administrator holds the role: lifting it takes someone outside the service.
    for anyone in (administrator, UserFactory(username="alex", role=Role.ADMINISTRATOR)):
        with pytest.raises(ValueError, match="Another administrator must stop requiring"):
            sign_in_policy_set(second_factor_roles=[], changed_by=anyone)
    assert SignInPolicy.current().second_factor_roles == ["administrator"]


def test_an_administrator_lifts_the_second_factor_of_a_role_they_do_not_hold(administrator):
    sign_in_policy_set(
        second_factor_roles=[Role.ADMINISTRATOR, Role.COORDINATOR], changed_by=administrator
    )

    sign_in_policy_set(second_factor_roles=[Role.ADMINISTRATOR], changed_by=administrator)

    assert SignInPolicy.current().second_factor_roles == ["administrator"]
