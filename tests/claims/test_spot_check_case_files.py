"""Internal audit's spot checks open the sampled families' case files (roles-and-access.md): to
the auditor who drew the sample, read only, audited, until internal audit signs the pack off.
The sight is the one ``ClaimsConfig.ready`` registers; nothing here registers its own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from casework.models import CaseNote
from claims.services import audit_check_record, audit_sample_draw, pack_sign_off
from tests.factories import CaseFileFactory, ClaimFactory, HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sampled(case_file, auditor):
    """A draft pack with this family's claim, drawn whole into the auditor's sample."""
    claim = ClaimFactory(case_file=case_file)
    return audit_sample_draw(pack=claim.pack, drawn_by=auditor, percent=100)


def case_file_url(ref: str, name: str = "case_file") -> str:
    return reverse(f"casework:{name}", args=[ref])


def test_the_auditor_who_drew_the_sample_reads_the_sampled_case_file_and_it_is_audited(
    client, case_file, auditor, sampled
):
    client.force_login(auditor)
    for page in ("case_file", "case_notes", "case_plan", "case_timeline"):
        assert client.get(case_file_url("H10001", page)).status_code == 200
    reads = AuditEntry.objects.filter(user=auditor, action="view", family_ref="H10001")
    assert reads.count() == 4


def test_the_claim_page_leads_the_auditor_to_the_case_file(client, auditor, sampled):
    claim = sampled.checks.get().claim
    client.force_login(auditor)
    page = client.get(reverse("claims:claim", args=[claim.claim_ref])).content.decode()
    assert case_file_url("H10001") in page


def test_the_sampled_case_file_is_read_only(client, case_file, auditor, sampled):
    client.force_login(auditor)
    assert client.get(case_file_url("H10001", "case_note_new")).status_code == 404
    response = client.post(case_file_url("H10001", "case_note_new"), {"text": "Auditor was here"})
    assert response.status_code == 404
    assert not CaseNote.objects.exists()


def test_another_auditor_does_not_see_a_sample_they_did_not_draw(client, case_file, sampled):
    other_auditor = UserFactory(username="aud2", role="auditor")
    client.force_login(other_auditor)
    assert client.get(case_file_url("H10001")).status_code == 404
    assert AuditEntry.objects.filter(user=other_auditor, action="denied").exists()


def test_a_family_outside_the_sample_stays_unseen(client, case_file, auditor, sampled):
    CaseFileFactory(household=HouseholdFactory(ref="H20002"))
    client.force_login(auditor)
    assert client.get(case_file_url("H20002")).status_code == 404


def test_the_sight_ends_when_internal_audit_signs_the_pack_off(client, case_file, auditor, sampled):
    audit_check_record(
        check=sampled.checks.get(),
        checked_by=auditor,
        family_eligible=True,
        whole_family_working=True,
        result_evidenced=True,
    )
    pack_sign_off(pack=sampled.pack, signed_off_by=auditor)
    client.force_login(auditor)
    assert client.get(case_file_url("H10001")).status_code == 404
