from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_coordinator_signs_in_and_sees_the_start_page(page, live_server, coordinator):
    sign_in(page, live_server, coordinator)

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Carol Notreal")
    expect(page.get_by_role("heading", name="Coordinator")).to_be_visible()
    assert_accessible(page)


def test_sign_in_page_is_accessible(page, live_server):
    page.goto(live_server.url + reverse("accounts:login"))

    expect(page.get_by_role("heading", name="Sign in to tfp")).to_be_visible()
    assert_accessible(page)


def test_wrong_password_shows_an_error_summary(page, live_server, coordinator):
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Username").fill(coordinator.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("correct username and password")
    assert_accessible(page)


def test_sign_out_ends_the_session(page, live_server, key_worker):
    sign_in(page, live_server, key_worker)

    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(live_server.url + reverse("accounts:login"))
    page.goto(live_server.url + reverse("accounts:start"))
    expect(page).to_have_url(f"{live_server.url}{reverse('accounts:login')}?next=/")
