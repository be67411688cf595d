"""Claim windows and packs: building, never a double claim, audit, submission, withdrawal."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from audit.models import AuditEntry
from claims.models import AuditCheck, Claim, ClaimPack, ClaimWindow, PackFile
from claims.services import (
    ClaimRefused,
    audit_check_record,
    audit_sample_draw,
    claim_exclude,
    claim_pack_build,
    claim_window_create,
    claim_withdraw,
    pack_approve,
    pack_file_get,
    pack_mark_paid,
    pack_sign_off,
    pack_submit,
)
from outcomes.models import ResultType
from tests.claims.conftest import asb_family, working_family

pytestmark = pytest.mark.django_db

CAE = ResultType.CRIME_ASB_EDUCATION
CE = ResultType.CONTINUOUS_EMPLOYMENT


def build(name: str, user=None) -> ClaimPack:
    return claim_pack_build(window=claim_window_create(name=name), built_by=user)


def claims_of(pack: ClaimPack) -> list[tuple[str, str, Decimal]]:
    return [
        (c.household.ref, c.result, c.amount)
        for c in pack.claims.filter(status=Claim.Status.INCLUDED).order_by("household__ref")
    ]


def passing_verdict(check: AuditCheck, auditor) -> None:
    audit_check_record(
        check=check,
        checked_by=auditor,
        family_eligible=True,
        whole_family_working=True,
        result_evidenced=True,
    )


@pytest.fixture
def submitted_pack(two_families, finance_officer, auditor, coordinator):
    pack = build("2014-10", finance_officer)
    sample = audit_sample_draw(pack=pack, drawn_by=auditor, seed=7)
    for check in sample.checks.all():
        passing_verdict(check, auditor)
    pack_sign_off(pack=pack, signed_off_by=auditor)
    pack_approve(pack=pack, approved_by=coordinator)
    return pack_submit(pack=pack, submitted_by=finance_officer)


# --- Windows and building ------------------------------------------------------------------------


def test_a_window_is_named_yyyy_mm_and_assesses_its_last_day(db):
    assert claim_window_create(name="2012-02").assess_on == date(2012, 2, 29)
    with pytest.raises(ClaimRefused):
        claim_window_create(name="2014-13")


def test_the_last_window_ends_on_the_programmes_last_payment_date(db):
    assert claim_window_create(name="2015-05").assess_on == date(2015, 5, 31)
    with pytest.raises(ClaimRefused) as refused:
        claim_window_create(name="2015-06")
    assert str(refused.value) == (
        "Claim window 2015-06 ends on 30 June 2015, after the programme's last payment date: "
        "the last window must end by 31 May 2015."
    )
    assert not ClaimWindow.objects.filter(name="2015-06").exists()


def test_a_window_ending_after_today_is_refused(db, settings):
    settings.SERVICE_DATE = date(2014, 10, 30)
    assert claim_window_create(name="2014-09").assess_on == date(2014, 9, 30)
    with pytest.raises(ClaimRefused, match="its last day must be today or in the past"):
        claim_window_create(name="2014-10")
    settings.SERVICE_DATE = date(2014, 10, 31)
    assert claim_window_create(name="2014-10").assess_on == date(2014, 10, 31)


def test_a_window_added_before_the_rule_cannot_build_a_pack_after_the_programme(db):
    window = ClaimWindow.objects.create(name="2027-01", assess_on=date(2027, 1, 31))
    with pytest.raises(ClaimRefused, match="after the programme's last payment date"):
        claim_pack_build(window=window)
    assert not ClaimPack.objects.exists()


def test_the_claim_pack_command_refuses_a_window_after_the_programme(db, tmp_path):
    out = tmp_path / "pack.csv"
    with pytest.raises(CommandError, match="after the programme's last payment date"):
        call_command("claim_pack", "--window", "2015-06", "--format", "csv", "--out", str(out))
    assert not out.exists()


def test_a_pack_claims_every_family_with_something_claimable_with_evidence(two_families):
    pack = build("2014-10")
    assert claims_of(pack) == [
        ("H10001", CAE, Decimal("1500.00")),
        ("H10002", CE, Decimal("1600.00")),
    ]
    claim = pack.claims.get(household__ref="H10001")
    assert claim.claim_ref == "TF-2014-10-H10001-CAE"
    assert claim.evidence["rules_version"] == pack.results_run.rules_version
    assert claim.evidence["reason"].startswith("education: not a problem at attachment; ASB: 0")
    assert claim.evidence["import_batches"]  # the membership's and person's batch at least


def test_building_the_same_window_again_returns_the_same_pack(two_families):
    first = build("2014-10")
    again = build("2014-10")
    assert again == first
    assert ClaimPack.objects.count() == 1
    assert Claim.objects.count() == 2


def test_a_later_window_claims_only_what_earlier_packs_left_up_to_r(db):
    # Crime/ASB/education by 2014-10 (£1,500); work from 2014-10-01, 91 days by 2014-12-30.
    working_family("H10003", date(2014, 10, 1), asb_events=5)
    assert claims_of(build("2014-10")) == [("H10003", CAE, Decimal("1500.00"))]
    assert claims_of(build("2014-11")) == []
    assert claims_of(build("2014-12")) == [("H10003", CE, Decimal("100.00"))]
    assert claims_of(build("2015-01")) == []


def test_a_family_attached_after_the_windows_last_day_is_not_in_it(db):
    asb_family("H10004", attached_on=date(2014, 11, 1))
    assert claims_of(build("2014-10")) == []


# --- Never a double claim: the database ----------------------------------------------------------


def test_the_database_allows_one_live_claim_per_family_and_result(two_families):
    pack = build("2014-10")
    claim = pack.claims.get(household__ref="H10001")
    claim.pk = None
    claim.claim_ref = "TF-COPY"
    claim.amount = Decimal("1")
    with pytest.raises(IntegrityError), transaction.atomic():
        claim.save()


def test_the_database_refuses_claims_adding_up_to_more_than_r(two_families):
    pack = build("2014-10")
    claim = pack.claims.get(household__ref="H10001")
    claim.pk = None
    claim.claim_ref = "TF-EXTRA"
    claim.result = ResultType.PROGRESS_TO_WORK
    claim.amount = Decimal("100.01")  # 1500 + 100.01 > 1600
    with pytest.raises(IntegrityError, match="results element"), transaction.atomic():
        claim.save()


def test_the_database_checks_r_when_a_claim_changes_too(two_families):
    pack = build("2014-10")
    claim = pack.claims.get(household__ref="H10001")
    claim.pk = None
    claim.claim_ref = "TF-PTW"
    claim.result = ResultType.PROGRESS_TO_WORK
    claim.amount = Decimal("100.00")  # 1500 + 100 = R exactly: allowed
    claim.save()
    with pytest.raises(IntegrityError, match="results element"), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(amount=Decimal("100.01"))


# --- Exclusion and the internal audit ------------------------------------------------------------


def test_an_excluded_claim_leaves_the_pack_and_its_result_claimable_later(
    two_families, finance_officer
):
    pack = build("2014-10")
    claim = pack.claims.get(household__ref="H10001")
    claim_exclude(claim=claim, excluded_by=finance_officer, reason="Consent form missing")
    assert claims_of(pack) == [("H10002", CE, Decimal("1600.00"))]
    assert claims_of(build("2014-11")) == [("H10001", CAE, Decimal("1500.00"))]


def test_excluding_needs_a_reason_and_a_finance_officer(two_families, finance_officer, auditor):
    claim = build("2014-10").claims.first()
    with pytest.raises(ClaimRefused):
        claim_exclude(claim=claim, excluded_by=finance_officer, reason=" ")
    with pytest.raises(ClaimRefused):
        claim_exclude(claim=claim, excluded_by=auditor, reason="no")


def test_the_audit_sample_is_drawn_once_from_a_stored_seed(two_families, auditor):
    pack = build("2014-10")
    sample = audit_sample_draw(pack=pack, drawn_by=auditor, seed=42)
    assert sample.checks.count() == 1  # 10% of 2, at least one
    assert audit_sample_draw(pack=pack, drawn_by=auditor, seed=99) == sample
    assert AuditEntry.objects.filter(object_id=str(sample.pk), details__seed=42).exists()


def test_sign_off_waits_for_every_verdict_and_for_failed_claims_to_be_excluded(
    two_families, auditor, finance_officer
):
    pack = build("2014-10")
    with pytest.raises(ClaimRefused, match="sample first"):
        pack_sign_off(pack=pack, signed_off_by=auditor)
    check = audit_sample_draw(pack=pack, drawn_by=auditor, seed=42).checks.get()
    with pytest.raises(ClaimRefused, match="verdict"):
        pack_sign_off(pack=pack, signed_off_by=auditor)
    audit_check_record(
        check=check,
        checked_by=auditor,
        family_eligible=True,
        whole_family_working=False,
        result_evidenced=True,
        note="No joint plan on file",
    )
    with pytest.raises(ClaimRefused, match="failed their spot check"):
        pack_sign_off(pack=pack, signed_off_by=auditor)
    claim_exclude(claim=check.claim, excluded_by=finance_officer, reason="Failed spot check")
    assert pack_sign_off(pack=pack, signed_off_by=auditor).status == ClaimPack.Status.SIGNED_OFF


def test_submission_needs_audit_sign_off_and_coordinator_approval(
    two_families, finance_officer, auditor, coordinator
):
    pack = build("2014-10")
    with pytest.raises(ClaimRefused):
        pack_submit(pack=pack, submitted_by=finance_officer)
    with pytest.raises(ClaimRefused):
        pack_approve(pack=pack, approved_by=coordinator)
    passing_verdict(audit_sample_draw(pack=pack, drawn_by=auditor).checks.get(), auditor)
    pack_sign_off(pack=pack, signed_off_by=auditor)
    with pytest.raises(ClaimRefused):
        pack_approve(pack=pack, approved_by=finance_officer)
    pack_approve(pack=pack, approved_by=coordinator)
    pack = pack_submit(pack=pack, submitted_by=finance_officer)
    assert pack.status == ClaimPack.Status.SUBMITTED
    assert set(pack.files.filter(final=True).values_list("format", flat=True)) == {
        "csv",
        "xlsx",
        "pdf",
    }


# --- A submitted pack is immutable ---------------------------------------------------------------


def test_the_app_refuses_to_change_a_submitted_pack(submitted_pack, finance_officer, auditor):
    claim = submitted_pack.claims.first()
    with pytest.raises(ClaimRefused):
        claim_exclude(claim=claim, excluded_by=finance_officer, reason="Too late")
    with pytest.raises(ClaimRefused):
        audit_check_record(
            check=submitted_pack.audit_sample.checks.get(),
            checked_by=auditor,
            family_eligible=False,
            whole_family_working=False,
            result_evidenced=False,
        )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE claims_claim SET amount = 1 WHERE pack_id = %s",
        "UPDATE claims_claim SET status = 'withdrawn' WHERE pack_id = %s",
        "DELETE FROM claims_claim WHERE pack_id = %s",
        "UPDATE claims_claimpack SET status = 'draft' WHERE id = %s",
        "UPDATE claims_packfile SET sha256 = 'x' WHERE pack_id = %s",
        "DELETE FROM claims_packfile WHERE pack_id = %s",
        "UPDATE claims_auditcheck SET note = 'x' "
        "WHERE sample_id IN (SELECT id FROM claims_auditsample WHERE pack_id = %s)",
    ],
)
def test_the_database_refuses_to_change_a_submitted_pack(submitted_pack, statement):
    with (
        pytest.raises(DatabaseError, match="immutable"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [submitted_pack.pk])


def test_the_database_refuses_a_new_file_for_a_submitted_pack(submitted_pack):
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        PackFile.objects.create(pack=submitted_pack, format="csv", sha256="0" * 64, size=0)


def test_payment_is_recorded_on_a_submitted_pack(submitted_pack, finance_officer):
    paid = pack_mark_paid(pack=submitted_pack, paid_by=finance_officer, paid_on=date(2014, 12, 1))
    assert (paid.status, paid.paid_on) == (ClaimPack.Status.PAID, date(2014, 12, 1))


# --- Withdrawal ----------------------------------------------------------------------------------


def test_a_withdrawn_claim_is_returned_by_a_linked_adjustment(submitted_pack, finance_officer):
    claim = submitted_pack.claims.get(household__ref="H10001")
    adjustment = claim_withdraw(
        claim=claim, withdrawn_by=finance_officer, reason="Spot check: ASB evidence missing"
    )
    claim.refresh_from_db()
    assert (claim.status, claim.amount, adjustment.amount) == (
        Claim.Status.WITHDRAWN,
        Decimal("1500.00"),
        Decimal("-1500.00"),
    )
    # Achieved again on a later claim day, it can be claimed again.
    assert claims_of(build("2014-11")) == [("H10001", CAE, Decimal("1500.00"))]


def test_the_database_refuses_to_edit_an_adjustment(submitted_pack, finance_officer):
    adjustment = claim_withdraw(
        claim=submitted_pack.claims.first(), withdrawn_by=finance_officer, reason="Invalid"
    )
    with (
        pytest.raises(DatabaseError, match="never edited"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE claims_claimadjustment SET amount = -1 WHERE id = %s", [adjustment.pk]
        )


def test_a_draft_claim_is_excluded_not_withdrawn(two_families, finance_officer):
    claim = build("2014-10").claims.first()
    with pytest.raises(ClaimRefused, match="excluded, not withdrawn"):
        claim_withdraw(claim=claim, withdrawn_by=finance_officer, reason="x")


# --- Files and their downloads -------------------------------------------------------------------


def test_every_file_keeps_its_sha256_and_every_download_is_audited(two_families, finance_officer):
    import hashlib

    pack = build("2014-10")
    pack_file = pack_file_get(pack=pack, fmt="csv", user=finance_officer)
    assert pack_file.sha256 == hashlib.sha256(bytes(pack_file.content)).hexdigest()
    entry = AuditEntry.objects.get(object_type="claims.packfile", object_id=str(pack_file.pk))
    assert entry.details["sha256"] == pack_file.sha256
    assert entry.username == finance_officer.username


def test_a_submitted_pack_downloads_its_final_files(submitted_pack, finance_officer):
    final = submitted_pack.files.get(format="pdf", final=True)
    assert pack_file_get(pack=submitted_pack, fmt="pdf", user=finance_officer) == final


def test_the_window_model_is_unique_by_name(db):
    claim_window_create(name="2014-10")
    claim_window_create(name="2014-10")
    assert ClaimWindow.objects.count() == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_a_draft_pack_downloaded_again_later_is_the_same_bytes_and_the_same_file(
    two_families, finance_officer, fmt
):
    pack = build("2014-10", finance_officer)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        first = pack_file_get(pack=pack, fmt=fmt, user=finance_officer)
        traveller.shift(timedelta(minutes=3))
        again = pack_file_get(pack=pack, fmt=fmt, user=finance_officer)

    assert again.sha256 == first.sha256 == hashlib.sha256(bytes(again.content)).hexdigest()
    assert PackFile.objects.filter(pack=pack, format=fmt).count() == 1
