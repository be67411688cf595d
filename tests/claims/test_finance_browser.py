"""A finance officer's journey in headless Chromium: build, review, audit sample, sign off,
approve, submit, download; every page axe clean."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from claims.models import ClaimPack
from tests.browser import assert_accessible, sign_in
from tests.claims.conftest import asb_family, record_a_passing_verdict

pytestmark = pytest.mark.browser


def switch_to(page, live_server, user) -> None:
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, user)


def test_build_review_audit_sign_off_submit_and_download(
    page, live_server, finance_officer, auditor, coordinator
):
    for n in range(3):
        asb_family(f"H7000{n}")

    sign_in(page, live_server, finance_officer)
    page.get_by_role("link", name="Claim windows and packs").click()
    assert_accessible(page)
    page.get_by_label("Claim window").fill("2014-10")
    page.get_by_role("button", name="Add claim window").click()
    expect(page.get_by_text("Claim window 2014-10 added.")).to_be_visible()
    page.get_by_role("button", name="Build the pack for 2014-10").click()

    expect(page.get_by_role("heading", name="Claim pack 2014-10")).to_be_visible()
    expect(page.locator("caption", has_text="3 claims")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="TF-2014-10-H70000-CAE").click()
    expect(page.get_by_text("ASB: 0 events in the last 6 months against 5")).to_be_visible()
    assert_accessible(page)

    switch_to(page, live_server, auditor)
    page.goto(live_server.url + reverse("claims:pack", args=["2014-10"]))
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.get_by_text("1 claims drawn for spot checks.")).to_be_visible()
    page.locator("table", has_text="Sampled claims").get_by_role("link").click()
    record_a_passing_verdict(page)
    page.get_by_role("button", name="Sign off as internal audit").click()
    expect(page.get_by_text("signed off by internal audit")).to_be_visible()

    switch_to(page, live_server, coordinator)
    page.goto(live_server.url + reverse("claims:pack", args=["2014-10"]))
    page.get_by_role("button", name="Approve for submission").click()
    expect(page.get_by_text("Claim pack 2014-10 approved.")).to_be_visible()

    switch_to(page, live_server, finance_officer)
    page.goto(live_server.url + reverse("claims:pack", args=["2014-10"]))
    page.get_by_role("button", name="Submit the pack").click()
    expect(page.get_by_text("Its files are now final.")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Claim pack 2014-10 as CSV").click()
    assert download.value.suggested_filename == "claim-pack-2014-10.csv"
    with open(download.value.path(), encoding="utf-8") as handle:
        assert handle.read().splitlines()[-1] == "TOTAL,2014-10,,,,4500.00,"
    assert ClaimPack.objects.get().status == ClaimPack.Status.SUBMITTED
