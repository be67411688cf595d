"""Every page that names people writes an audit entry: who looked, when, at which families."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from families.models import Person
from tests.factories import EligibilityRunFactory, ImportBatchFactory


@pytest.fixture
def mia(case_file):
    return Person.objects.get(memberships__household=case_file.household, given_name="Mia")


def reads_by(user) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(user=user, action=AuditEntry.Action.VIEW).order_by("pk"))


def test_the_person_page_is_audited_by_reference(client, coordinator, mia):
    client.force_login(coordinator)
    assert client.get(reverse("privacy:person", args=[mia.ref])).status_code == 200
    [entry] = reads_by(coordinator)
    assert (entry.object_id, entry.family_ref) == (str(mia.pk), "H10001")
    assert "Mia" not in entry.summary + str(entry.details)


def test_a_people_search_is_audited_with_the_references_found_never_the_words(
    client, coordinator, mia
):
    client.force_login(coordinator)
    client.get(reverse("privacy:people"), {"q": "Mia"})
    [entry] = reads_by(coordinator)
    assert entry.details["people"] == [mia.ref]
    assert "Mia" not in str(entry.details)


@pytest.mark.parametrize(
    ("name", "persona"),
    [
        ("casework:caseload", "key_worker"),
        ("casework:caseloads", "coordinator"),
        ("casework:allocation_queue", "coordinator"),
        ("casework:decision_queue", "coordinator"),
    ],
)
def test_caseload_lists_are_audited(client, request, case_file, name, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(reverse(name)).status_code == 200
    assert reads_by(user)


def test_every_caseload_names_the_families_it_showed(client, coordinator, case_file):
    client.force_login(coordinator)
    client.get(reverse("casework:caseloads"))
    [entry] = reads_by(coordinator)
    assert entry.details["families"] == ["H10001"]


def test_import_and_run_reports_are_audited(client, data_officer):
    batch = ImportBatchFactory()
    run = EligibilityRunFactory()
    client.force_login(data_officer)
    assert client.get(reverse("families:import_report", args=[batch.pk])).status_code == 200
    assert client.get(reverse("families:run_detail", args=[run.pk])).status_code == 200
    assert [
        entry.details.get("batch") or entry.details.get("run") for entry in reads_by(data_officer)
    ] == [
        batch.pk,
        run.pk,
    ]
