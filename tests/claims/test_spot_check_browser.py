"""An auditor's spot check in headless Chromium: draw the sample, open a sampled claim, read the
family's case file from it (read only) and come back to record the verdict; every page axe
clean."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from claims.services import claim_pack_build, claim_window_create
from tests.browser import assert_accessible, sign_in
from tests.claims.conftest import asb_family

pytestmark = pytest.mark.browser


def test_an_auditor_reads_a_sampled_familys_case_file_during_the_spot_check(
    page, live_server, auditor
):
    asb_family("H70000")
    claim_pack_build(window=claim_window_create(name="2014-10"))

    sign_in(page, live_server, auditor)
    page.goto(live_server.url + reverse("claims:pack", args=["2014-10"]))
    page.get_by_role("button", name="Draw the sample").click()
    page.locator("table", has_text="Sampled claims").get_by_role("link").click()
    assert_accessible(page)

    page.get_by_role("link", name="read the family's case file").click()
    expect(page.get_by_role("heading", name="Case file")).to_be_visible()
    expect(page.get_by_text("Family H70000")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Case file sections").get_by_role(
        "link", name="Case notes"
    ).click()
    expect(page.get_by_role("heading", name="Case notes")).to_be_visible()
    expect(page.get_by_text("Record a case note")).to_have_count(0)
    assert_accessible(page)

    page.go_back()
    page.go_back()
    for question in (
        "Was the family eligible when it was attached?",
        "Is there evidence of whole-family working?",
        "Is the result evidenced?",
    ):
        page.get_by_role("group", name=question).get_by_label("Yes").check()
    page.get_by_role("button", name="Record the verdict").click()
    expect(page.get_by_text("Sampled for a spot check; no verdict yet.")).to_have_count(0)
