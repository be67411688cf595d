"""The privacy and second-factor pages in headless Chromium, under the real CSP, axe-clean."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.second_factor import sign_in_policy_set
from tests.browser import PASSWORD, assert_accessible, sign_in
from tests.factories import CaseNoteFactory, ErasureRequestFactory

pytestmark = pytest.mark.browser


def test_the_privacy_notice_is_accessible_without_signing_in(page, live_server):
    page.goto(live_server.url + reverse("privacy:notice"))

    expect(page.get_by_role("heading", level=1)).to_contain_text("Privacy notice")
    assert_accessible(page)


def test_a_coordinator_finds_a_person_and_reads_what_needs_review(
    page, live_server, coordinator, case_file, members, key_worker
):
    note = CaseNoteFactory(case_file=case_file, text="A disclosure.", is_sensitive=True)
    note.people_seen.add(members["Mia"])
    ErasureRequestFactory(person=members["Mia"], requested_by=key_worker)
    sign_in(page, live_server, coordinator)

    page.get_by_role("link", name="Data protection").click()
    page.get_by_label("Person reference or name").fill("Mia")
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    page.get_by_role("link", name="Mia Notrealson").click()

    expect(page.get_by_text("1 entry to review before release")).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + reverse("privacy:erasure_requests"))
    page.get_by_role("link", name=f"Mia Notrealson ({members['Mia'].ref})").click()
    expect(page.get_by_role("button", name="Record the decision")).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + reverse("privacy:retention"))
    assert_accessible(page)


def test_a_required_coordinator_sets_up_an_authenticator_app(
    page, live_server, coordinator, administrator
):
    sign_in_policy_set(second_factor_roles=[Role.COORDINATOR], changed_by=administrator)
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Username").fill(coordinator.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    qr_code = page.get_by_role("img", name="QR code to scan with your authenticator app")
    expect(qr_code).to_be_visible()
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=coordinator)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(f"{code:06d}")
    page.get_by_role("button", name="Confirm and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Carol Notreal")


def test_the_sign_in_security_page_is_accessible(page, live_server, administrator, coordinator):
    sign_in(page, live_server, administrator)
    page.goto(live_server.url + reverse("accounts:sign_in_security"))

    page.get_by_label("Coordinators").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Sign-in security saved")).to_be_visible()
    assert_accessible(page)
