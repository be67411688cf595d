"""Erasure requests: recorded by staff, decided by a coordinator (not the one who recorded
it); approval anonymises the person at once."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEntry
from families.models import Person
from privacy.anonymise import ANONYMISED, REDACTED
from privacy.erasure import ErasureRefused, erasure_request_create, erasure_request_decide
from privacy.models import Anonymisation, ErasureRequest
from tests.factories import CaseNoteFactory, ErasureRequestFactory, UserFactory


@pytest.fixture
def second_coordinator(db):
    return UserFactory(username="cora", first_name="Cora", role=Role.COORDINATOR)


@pytest.fixture
def erasure(case_file, members, key_worker):
    return ErasureRequestFactory(person=members["Mia"], requested_by=key_worker)


def decide(client, erasure, **data):
    return client.post(reverse("privacy:erasure_request", args=[erasure.pk]), data)


def test_a_key_worker_records_a_request_from_a_member_of_their_family(
    client, case_file, members, key_worker
):
    client.force_login(key_worker)

    response = client.post(
        reverse("privacy:erasure_new", args=[members["Mia"].ref]),
        {
            "received_on_0": "1",
            "received_on_1": "3",
            "received_on_2": "2021",
            "grounds": "Wants her records deleted now the case is over.",
        },
    )

    assert response.status_code == 302
    erasure = ErasureRequest.objects.get()
    assert (erasure.person, erasure.received_on, erasure.status) == (
        members["Mia"],
        date(2021, 3, 1),
        "pending",
    )
    entry = AuditEntry.objects.get(action="create", object_type="privacy.erasurerequest")
    assert entry.family_ref == "H10001"


def test_a_key_worker_cannot_reach_people_outside_their_families(
    client, case_file, members, other_key_worker
):
    client.force_login(other_key_worker)

    assert client.get(reverse("privacy:person", args=[members["Mia"].ref])).status_code == 404
    assert client.get(reverse("privacy:erasure_new", args=[members["Mia"].ref])).status_code == 404
    assert AuditEntry.objects.filter(action="denied", user=other_key_worker).count() == 2


def test_approval_anonymises_the_person_at_once(client, erasure, members, coordinator):
    client.force_login(coordinator)

    response = decide(client, erasure, decision="approve", note="No longer needed.")

    assert response.status_code == 302
    mia = Person.objects.get(pk=members["Mia"].pk)
    assert (mia.given_name, mia.ref) == (ANONYMISED, f"ANON-{mia.pk}")
    assert Person.objects.get(pk=members["Sam"].pk).given_name == "Sam"
    erasure.refresh_from_db()
    assert (erasure.status, erasure.decided_by) == ("approved", coordinator)
    assert Anonymisation.objects.get(person=mia).erasure_request == erasure
    entry = AuditEntry.objects.get(action="change", object_type="privacy.erasurerequest")
    assert entry.family_ref == "H10001"


def test_notes_recording_the_person_are_redacted_only_when_the_coordinator_chooses(
    case_file, members, key_worker, coordinator
):
    seen = CaseNoteFactory(case_file=case_file, text="Mia said she was scared.")
    seen.people_seen.add(members["Mia"])
    other = CaseNoteFactory(case_file=case_file, text="Sam came to the office.")
    other.people_seen.add(members["Sam"])
    first = ErasureRequestFactory(person=members["Mia"], requested_by=key_worker)
    second = ErasureRequestFactory(person=members["Sam"], requested_by=key_worker)

    erasure_request_decide(erasure=first, approve=True, decided_by=coordinator, redact_notes=True)
    erasure_request_decide(erasure=second, approve=True, decided_by=coordinator)

    seen.refresh_from_db()
    other.refresh_from_db()
    assert seen.text == REDACTED
    assert other.text == "Sam came to the office."


def test_a_refusal_needs_a_reason_and_changes_nothing(client, erasure, members, coordinator):
    client.force_login(coordinator)

    assert decide(client, erasure, decision="refuse", note="").status_code == 200
    response = decide(client, erasure, decision="refuse", note="Needed for the open case.")

    assert response.status_code == 302
    erasure.refresh_from_db()
    assert (erasure.status, erasure.decision_note) == ("refused", "Needed for the open case.")
    assert Person.objects.get(pk=members["Mia"].pk).given_name == "Mia"


def test_a_coordinator_may_not_decide_a_request_they_recorded(
    members, coordinator, second_coordinator
):
    erasure = erasure_request_create(
        person=members["Mia"], received_on=date(2021, 3, 1), grounds="x", requested_by=coordinator
    )

    with pytest.raises(ErasureRefused, match="Another coordinator"):
        erasure_request_decide(erasure=erasure, approve=True, decided_by=coordinator)
    erasure_request_decide(erasure=erasure, approve=True, decided_by=second_coordinator)

    erasure.refresh_from_db()
    assert erasure.decided_by == second_coordinator


def test_a_request_is_decided_once(erasure, coordinator, second_coordinator):
    erasure_request_decide(erasure=erasure, approve=False, decided_by=coordinator, note="No.")

    with pytest.raises(ErasureRefused, match="decided already"):
        erasure_request_decide(erasure=erasure, approve=True, decided_by=second_coordinator)


def test_one_request_waits_at_a_time_and_none_once_anonymised(
    erasure, members, key_worker, coordinator
):
    with pytest.raises(ErasureRefused, match="already waiting"):
        erasure_request_create(
            person=members["Mia"],
            received_on=date(2021, 3, 2),
            grounds="x",
            requested_by=key_worker,
        )
    erasure_request_decide(erasure=erasure, approve=True, decided_by=coordinator)
    with pytest.raises(ErasureRefused, match="anonymised already"):
        erasure_request_create(
            person=members["Mia"],
            received_on=date(2021, 3, 2),
            grounds="x",
            requested_by=key_worker,
        )


@pytest.mark.parametrize("persona", ["key_worker", "finance_officer", "auditor", "administrator"])
def test_only_coordinators_decide(client, request, erasure, persona):
    client.force_login(request.getfixturevalue(persona))

    assert decide(client, erasure, decision="approve").status_code == 403
    assert client.get(reverse("privacy:erasure_requests")).status_code == 403
    erasure.refresh_from_db()
    assert erasure.status == "pending"
