"""The privacy pages: the notice anyone may read, and the staff pages each role may reach."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from privacy.retention import retention_apply
from tests.factories import ErasureRequestFactory
from tests.privacy.conftest import AS_OF, close


def test_the_privacy_notice_needs_no_sign_in(client, settings):
    response = client.get(reverse("privacy:notice"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Privacy notice" in page
    assert f"for {settings.RETENTION_YEARS_AFTER_CLOSURE} years after it is closed" in page
    assert "Information Commissioner" in page


def test_the_sign_in_page_and_every_page_link_to_the_notice(client, coordinator):
    notice = reverse("privacy:notice")
    assert f'href="{notice}"' in client.get(reverse("accounts:login")).content.decode()
    client.force_login(coordinator)
    assert f'href="{notice}"' in client.get(reverse("accounts:start")).content.decode()


def test_a_coordinator_finds_a_person_by_name_or_reference(client, coordinator, members):
    client.force_login(coordinator)

    by_name = client.get(reverse("privacy:people"), {"q": "mia notreal"}).content.decode()
    by_ref = client.get(reverse("privacy:people"), {"q": members["Sam"].ref}).content.decode()

    assert "Mia Notrealson" in by_name and "Sam Notrealson" not in by_name
    assert "Sam Notrealson" in by_ref and "Mia Notrealson" not in by_ref


def test_a_key_worker_finds_only_the_members_of_their_families(
    client, case_file, members, other_key_worker, key_worker
):
    client.force_login(other_key_worker)
    found = client.get(reverse("privacy:people"), {"q": "Mia"}).content.decode()
    assert "0 people found" in found and "Mia Notrealson" not in found
    client.force_login(key_worker)
    page = client.get(reverse("privacy:person", args=[members["Mia"].ref])).content.decode()
    assert "Record an erasure request" in page
    assert "Download the subject-access file" not in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("key_worker", 200),
        ("finance_officer", 403),
        ("data_officer", 403),
        ("auditor", 403),
        ("administrator", 403),
    ],
)
def test_who_may_open_the_data_protection_pages(client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("privacy:people")).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"), [("coordinator", 200), ("auditor", 200), ("key_worker", 403)]
)
def test_the_retention_report_is_for_coordinators_and_auditors(client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("privacy:retention")).status_code == status


def test_the_retention_report_counts_what_each_pass_did(client, coordinator, case_file, members):
    close(case_file, date(2014, 6, 1))
    retention_apply(as_of=AS_OF)
    client.force_login(coordinator)

    page = client.get(reverse("privacy:retention")).content.decode()

    assert "1 March 2021" in page
    cells = [c.strip() for c in page.split('govuk-table__cell--numeric">')[1:4]]
    assert [c.split("<")[0] for c in cells] == ["1", "4", "0"]


def test_the_erasure_pages_show_pending_and_decided_requests(
    client, coordinator, members, key_worker
):
    pending = ErasureRequestFactory(person=members["Mia"], requested_by=key_worker)
    client.force_login(coordinator)

    listing = client.get(reverse("privacy:erasure_requests")).content.decode()
    detail = client.get(reverse("privacy:erasure_request", args=[pending.pk])).content.decode()

    assert "Mia Notrealson" in listing and "Awaiting decision" in listing
    assert "Record the decision" in detail
