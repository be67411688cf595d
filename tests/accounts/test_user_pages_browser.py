"""The user pages in a browser, checked with axe."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_an_administrator_adds_a_user_and_changes_their_roles(
    page, live_server, administrator, key_worker
):
    sign_in(page, live_server, administrator)
    page.goto(live_server.url + reverse("accounts:users"))
    assert_accessible(page)

    page.get_by_role("button", name="Add a user").click()
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a username")
    assert_accessible(page)
    page.get_by_label("Username").fill("nadia")
    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Notreal")
    page.get_by_label("Data officer").check()
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in link for Nadia Notreal")
    assert_accessible(page)

    page.get_by_role("link", name="Back to Nadia Notreal").click()
    page.get_by_label("Auditor").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Changes to Nadia Notreal saved.")).to_be_visible()
    assert_accessible(page)
