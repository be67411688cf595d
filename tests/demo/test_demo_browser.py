"""Each role's first journey through the demo authority, in headless Chromium, signed in
with the passwords ``seed_demo`` prints; every page axe clean."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as project_settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from claims.models import ClaimPack, ClaimWindow
from claims.services.packs import claim_pack_build
from demo.services import DEMO_DAY, demo_seed
from families.models import Attendance
from tests.browser import assert_accessible, sign_in
from tests.claims.conftest import record_a_passing_verdict
from tests.demo.test_demo_story import HOUSEHOLDS
from tests.integration.test_celery import celery

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(db, live_server, settings):
    # ``db`` brings back the role groups a previous browser test's flush removed; with
    # ``live_server`` the database is a transactional one, which the server's thread can see.
    settings.SERVICE_DATE = DEMO_DAY
    seeded = demo_seed(households=HOUSEHOLDS)
    return {username: password for username, (_, password) in seeded.passwords.items()}


def sign_in_as(page, live_server, demo, username: str) -> None:
    user = get_user_model().objects.get(username=username)
    sign_in(page, live_server, user, demo[username])


def test_the_coordinator_finds_families_ready_to_claim(page, live_server, demo):
    sign_in_as(page, live_server, demo, "demo_coordinator")
    expect(page.get_by_text("the service date is 31 October 2014")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Results ready to claim").first.click()

    expect(page.get_by_text("as of 31 October 2014")).to_be_visible()
    expect(page.locator("caption", has_text=re.compile(r"\d+ famil"))).to_be_visible()
    assert_accessible(page)


def test_the_finance_officer_builds_the_2014_10_pack_and_downloads_its_files(
    page, live_server, demo
):
    sign_in_as(page, live_server, demo, "demo_finance")
    page.get_by_role("link", name="Claim windows and packs").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Build the pack for 2014-10").click()

    expect(page.get_by_role("heading", name="Claim pack 2014-10")).to_be_visible()
    expect(page.locator("caption", has_text=re.compile(r"[1-9]\d* claims?"))).to_be_visible()
    assert_accessible(page)
    for label, extension in (("CSV", "csv"), ("Excel", "xlsx"), ("PDF", "pdf")):
        with page.expect_download() as download:
            page.get_by_role("link", name=re.compile(f"Claim pack 2014-10 as {label}")).click()
        assert download.value.suggested_filename == f"claim-pack-2014-10.{extension}"
    assert ClaimPack.objects.get(window__name="2014-10").claims.exists()


def test_the_auditor_samples_the_2014_10_pack_and_records_verdicts(page, live_server, demo):
    # The finance officer has built the pack (as above).
    claim_pack_build(window=ClaimWindow.objects.get(name="2014-10"))
    sign_in_as(page, live_server, demo, "demo_auditor")
    page.goto(live_server.url + reverse("claims:pack", args=["2014-10"]))
    assert_accessible(page)
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.get_by_text(re.compile(r"\d+ claims drawn for spot checks."))).to_be_visible()

    page.locator("table", has_text="Sampled claims").get_by_role("link").first.click()
    record_a_passing_verdict(page)
    expect(page.get_by_text("passed").first).to_be_visible()
    assert_accessible(page)


@pytest.mark.integration
@pytest.mark.skipif(
    project_settings.DATABASE_BROKER, reason="needs a broker: set CELERY_BROKER_URL"
)
def test_the_data_officer_follows_an_import_run_by_a_real_worker(page, live_server, demo, tmp_path):
    # The schools' corrected summer-term return for every pupil the demo knows, run by a real
    # worker as in production.
    rows = Attendance.objects.filter(academic_year="2013/14", term="summer")
    extract = tmp_path / "attendance-corrections.csv"
    extract.write_text(
        "person_ref,academic_year,term,possible_sessions,unauthorised_sessions\n"
        + "".join(
            f"{ref},2013/14,summer,{possible},{max(unauthorised - 1, 0)}\n"
            for ref, possible, unauthorised in rows.values_list(
                "person__ref", "possible_sessions", "unauthorised_sessions"
            )
        ),
        encoding="utf-8",
    )
    sign_in_as(page, live_server, demo, "demo_data_officer")
    with celery("worker", "--pool=solo", "--without-gossip", "--without-mingle"):
        page.goto(live_server.url + reverse("families:import_upload"))
        assert_accessible(page)
        page.get_by_label("School attendance").check()
        page.get_by_label("Upload a CSV file").set_input_files(extract)
        page.get_by_role("button", name="Upload and import").click()

        # The progress page, kept up to date from the worker's progress until the report.
        expect(page.locator("#import-progress-bar")).to_be_visible()
        assert_accessible(page)
        expect(page.get_by_role("heading", name="Imported")).to_be_visible(timeout=90_000)
    assert_accessible(page)
