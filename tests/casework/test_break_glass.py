"""Break glass: a key worker's emergency, read-only sight of a case file not on their caseload,
its expiry on the server, and the coordinators' review of it.

Family H10001 is Kim's; Otto, another key worker, covers a call about it out of hours.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from casework.models import BreakGlass
from tests.factories import CaseNoteFactory, UserFactory

NEW = reverse("casework:break_glass_new")
QUEUE = reverse("casework:break_glass_queue")
# Tuesday 1 July 2014, 22:10.
CALLED = timezone.make_aware(datetime(2014, 7, 1, 22, 10))


def case_url(name: str = "case_file", ref: str = "H10001") -> str:
    return reverse(f"casework:{name}", args=[ref])


def ask(client, *, family="H10001", reason="out_of_hours", details="Police called at 22:10."):
    return client.post(NEW, {"family": family, "reason": reason, "details": details})


@pytest.fixture
def notes(case_file):
    CaseNoteFactory(case_file=case_file, text="Ordinary visit.")
    CaseNoteFactory(case_file=case_file, text="Mia disclosed abuse.", is_sensitive=True)


@pytest.fixture
def otto_in(client, other_key_worker, settings):
    settings.BREAK_GLASS_HOURS = 8
    with time_machine.travel(CALLED, tick=False) as traveller:
        client.force_login(other_key_worker)
        yield traveller


def test_without_break_glass_another_key_worker_gets_a_404(client, case_file, otto_in):
    assert client.get(case_url()).status_code == 404


def test_a_stated_reason_opens_the_case_file_read_only_with_a_red_banner(
    client, case_file, notes, otto_in, other_key_worker
):
    response = ask(client)
    assert response["Location"] == case_url()
    use = BreakGlass.objects.get()
    assert (use.user, use.reason, use.expires_at) == (
        other_key_worker,
        "out_of_hours",
        CALLED + timedelta(hours=8),
    )
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREATE, user=other_key_worker)
    assert entry.family_ref == "H10001" and "Police" not in entry.summary
    # Every page of the case file carries the banner ...
    for name in ("case_file", "case_notes", "case_plan", "case_timeline"):
        page = client.get(case_url(name))
        assert page.status_code == 200, name
        assert "tfp-break-glass-banner" in page.content.decode(), name
    # ... sensitive notes stay hidden, in the notes and in the timeline ...
    notes_page = client.get(case_url("case_notes")).content.decode()
    assert "Ordinary visit." in notes_page and "Mia disclosed abuse." not in notes_page
    assert "Mia disclosed abuse." not in client.get(case_url("case_timeline")).content.decode()
    # ... and nothing can be recorded.
    assert client.get(case_url("case_note_new")).status_code == 404
    assert client.post(case_url("case_note_new"), {"text": "x"}).status_code == 404


def test_the_sight_ends_on_the_server_when_the_hours_are_up(client, case_file, otto_in):
    ask(client)
    otto_in.move_to(CALLED + timedelta(hours=7, minutes=59))
    client.force_login(BreakGlass.objects.get().user)
    assert client.get(case_url()).status_code == 200
    otto_in.move_to(CALLED + timedelta(hours=8))
    client.force_login(BreakGlass.objects.get().user)
    assert client.get(case_url()).status_code == 404
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DENIED, family_ref="H10001").exists()


def test_a_reason_and_what_happened_are_needed(client, case_file, otto_in):
    page = client.post(NEW, {"family": "H10001"}).content.decode()
    assert "Select why you need to see the case file" in page
    assert "Enter what has happened" in page
    assert not BreakGlass.objects.exists()


def test_an_unknown_family_is_refused_and_audited(client, case_file, otto_in):
    page = ask(client, family="H99999").content.decode()
    assert "There is no case file with that family reference" in page
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DENIED, family_ref="H99999").exists()


def test_a_family_already_on_the_caseload_needs_no_break_glass(client, case_file, key_worker):
    client.force_login(key_worker)
    assert "You can already see" in ask(client).content.decode()


def test_only_key_workers_break_glass(client, case_file, finance_officer):
    client.force_login(finance_officer)
    assert client.get(NEW).status_code == 403


# --- Review ------------------------------------------------------------------------------


@pytest.fixture
def use(client, case_file, otto_in):
    ask(client)
    return BreakGlass.objects.get()


def test_a_coordinator_reviews_a_use_as_justified(client, use, coordinator):
    client.force_login(coordinator)
    queue = client.get(QUEUE)
    assert [item["use"] for item in queue.context["waiting"]] == [use]
    review = reverse("casework:break_glass_review", args=[use.pk])
    assert "Police called at 22:10." in client.get(review).content.decode()
    response = client.post(review, {"verdict": "justified", "note": ""})
    assert response["Location"] == QUEUE
    use.refresh_from_db()
    assert (use.verdict, use.reviewed_by) == ("justified", coordinator)
    assert client.get(QUEUE).context["waiting"] == []
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.CHANGE, user=coordinator, family_ref="H10001"
    ).exists()


def test_not_justified_needs_a_note(client, use, coordinator):
    client.force_login(coordinator)
    review = reverse("casework:break_glass_review", args=[use.pk])
    page = client.post(review, {"verdict": "not_justified", "note": ""}).content.decode()
    assert "Enter why the emergency access was not justified" in page
    client.post(review, {"verdict": "not_justified", "note": "Not on duty that night."})
    use.refresh_from_db()
    assert (use.verdict, use.review_note) == ("not_justified", "Not on duty that night.")


def test_a_use_unreviewed_for_five_working_days_is_flagged_on_the_dashboard(
    client, use, coordinator, otto_in
):
    """Started on a Tuesday: the fifth working day after it is the next Tuesday; from the
    Wednesday it is overdue."""
    UserFactory()  # someone else on the dashboard
    client.force_login(coordinator)
    otto_in.move_to(timezone.make_aware(datetime(2014, 7, 8, 17, 0)))
    client.force_login(coordinator)
    assert not client.get(QUEUE).context["waiting"][0]["overdue"]
    dashboard = client.get(reverse("dashboards:progress"))
    assert "emergency access" not in dashboard.content.decode()
    otto_in.move_to(timezone.make_aware(datetime(2014, 7, 9, 9, 0)))
    client.force_login(coordinator)
    assert client.get(QUEUE).context["waiting"][0]["overdue"]
    dashboard = client.get(reverse("dashboards:progress"))
    assert "1 use of emergency access has waited more than 5 working days" in (
        dashboard.content.decode()
    )


@pytest.mark.browser
def test_a_key_worker_breaks_glass_and_a_coordinator_reviews_it(
    page, live_server, case_file, notes, other_key_worker, coordinator
):
    from playwright.sync_api import expect

    from tests.browser import assert_accessible, sign_in

    sign_in(page, live_server, other_key_worker)
    page.get_by_role("link", name="Emergency access to a case file").click()
    assert_accessible(page)
    page.get_by_role("button", name="See the case file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the family reference")
    assert_accessible(page)

    page.get_by_label("Family reference").fill("H10001")
    page.get_by_label("A call about the family out of hours").check()
    page.get_by_label("What has happened").fill("Police called at 22:10 about the children.")
    page.get_by_role("button", name="See the case file").click()
    banner = page.get_by_role("region", name="Emergency access")
    expect(banner).to_contain_text("This family is not on your caseload")
    assert_accessible(page)
    page.get_by_role("link", name="Case notes").click()
    expect(page.get_by_role("region", name="Emergency access")).to_be_visible()
    expect(page.get_by_text("Ordinary visit.")).to_be_visible()
    expect(page.get_by_text("Mia disclosed abuse.")).to_have_count(0)
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, live_server, coordinator)
    page.get_by_role("link", name="Emergency access to review").click()
    assert_accessible(page)
    page.get_by_role("link", name="Review the emergency access").click()
    expect(page.get_by_text("Police called at 22:10 about the children.")).to_be_visible()
    page.get_by_label("Not justified").check()
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why")
    assert_accessible(page)
    page.get_by_label("Note").fill("Otto was not on duty that night.")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("None waiting.")).to_be_visible()
    expect(page.get_by_text("Not justified: Otto was not on duty that night.")).to_be_visible()
    assert_accessible(page)
