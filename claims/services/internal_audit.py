"""Internal audit's spot checks and the sign-off chain: the sample, a verdict per sampled
claim, audit sign-off and the coordinator's approval."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEntry
from audit.services import audit_record
from claims.models import AuditCheck, AuditSample, Claim, ClaimPack
from claims.payments import DEFAULT_SAMPLE_PERCENT, draw_sample
from claims.services.common import ClaimRefused, locked_pack, require_role


@transaction.atomic
def audit_sample_draw(
    *, pack: ClaimPack, drawn_by, percent: int = DEFAULT_SAMPLE_PERCENT, seed: int | None = None
) -> AuditSample:
    """Draw the pack's spot-check sample (once): ``percent`` of its claims, at least one,
    chosen by a stored seed so anyone can draw the same sample again."""
    require_role(drawn_by, Role.AUDITOR)
    pack = locked_pack(pack)
    if pack.status != ClaimPack.Status.DRAFT:
        raise ClaimRefused("The sample is drawn before the pack is signed off.")
    existing = AuditSample.objects.filter(pack=pack).first()
    if existing is not None:
        return existing
    if not 1 <= percent <= 100:
        raise ClaimRefused("The sample is between 1% and 100% of the claims.")
    seed = secrets.randbits(62) if seed is None else seed
    included = dict(pack.claims.filter(status=Claim.Status.INCLUDED).values_list("claim_ref", "pk"))
    if not included:
        raise ClaimRefused("The pack has no claims to sample.")
    sample = AuditSample.objects.create(pack=pack, seed=seed, percent=percent, drawn_by=drawn_by)
    chosen = draw_sample(included, seed=seed, percent=percent)
    AuditCheck.objects.bulk_create(
        AuditCheck(sample=sample, claim_id=included[ref]) for ref in chosen
    )
    audit_record(
        action=AuditEntry.Action.CREATE,
        user=drawn_by,
        obj=sample,
        summary=f"Drew {len(chosen)} of {len(included)} claims of pack {pack.window.name} "
        f"for spot checks (seed {seed})",
        details={"seed": seed, "percent": percent, "claims": chosen},
    )
    return sample


@transaction.atomic
def audit_check_record(
    *,
    check: AuditCheck,
    checked_by,
    family_eligible: bool,
    whole_family_working: bool,
    result_evidenced: bool,
    note: str = "",
) -> AuditCheck:
    """Record internal audit's verdict on one sampled claim."""
    require_role(checked_by, Role.AUDITOR)
    pack = locked_pack(check.sample.pack)
    if pack.status != ClaimPack.Status.DRAFT:
        raise ClaimRefused("Verdicts are recorded before the pack is signed off.")
    check = AuditCheck.objects.select_for_update().select_related("claim").get(pk=check.pk)
    check.family_eligible = family_eligible
    check.whole_family_working = whole_family_working
    check.result_evidenced = result_evidenced
    check.note = note.strip()
    check.checked_by = checked_by
    check.checked_at = timezone.now()
    check.save()
    audit_record(
        action=AuditEntry.Action.CHANGE,
        user=checked_by,
        obj=check,
        family_ref=check.claim.household.ref,
        summary=f"Spot check of {check.claim.claim_ref}: "
        + ("passed" if check.passed else "failed"),
        details={
            "family_eligible": family_eligible,
            "whole_family_working": whole_family_working,
            "result_evidenced": result_evidenced,
        },
    )
    return check


@transaction.atomic
def pack_sign_off(*, pack: ClaimPack, signed_off_by) -> ClaimPack:
    """Internal audit signs the pack off once every sampled claim has a verdict and any claim
    that failed its spot check has been excluded."""
    require_role(signed_off_by, Role.AUDITOR)
    pack = locked_pack(pack)
    if pack.status != ClaimPack.Status.DRAFT:
        raise ClaimRefused("Only a draft pack can be signed off.")
    sample = AuditSample.objects.filter(pack=pack).first()
    if sample is None:
        raise ClaimRefused("Draw the spot-check sample first.")
    checks = list(sample.checks.select_related("claim"))
    if any(not check.is_done for check in checks):
        raise ClaimRefused("Record a verdict on every sampled claim first.")
    failed = [
        c.claim.claim_ref
        for c in checks
        if not c.passed and c.claim.status == Claim.Status.INCLUDED
    ]
    if failed:
        raise ClaimRefused(
            "These claims failed their spot check and are still in the pack: " + ", ".join(failed)
        )
    pack.status = ClaimPack.Status.SIGNED_OFF
    pack.signed_off_by = signed_off_by
    pack.signed_off_at = timezone.now()
    pack.save()
    audit_record(
        action=AuditEntry.Action.CHANGE,
        user=signed_off_by,
        obj=pack,
        summary=f"Internal audit signed off claim pack {pack.window.name}",
    )
    return pack


@transaction.atomic
def pack_approve(*, pack: ClaimPack, approved_by) -> ClaimPack:
    """A coordinator approves the signed-off pack for submission."""
    require_role(approved_by, Role.COORDINATOR)
    pack = locked_pack(pack)
    if pack.status != ClaimPack.Status.SIGNED_OFF:
        raise ClaimRefused("A pack is approved after internal audit has signed it off.")
    pack.status = ClaimPack.Status.APPROVED
    pack.approved_by = approved_by
    pack.approved_at = timezone.now()
    pack.save()
    audit_record(
        action=AuditEntry.Action.CHANGE,
        user=approved_by,
        obj=pack,
        summary=f"Coordinator approved claim pack {pack.window.name}",
    )
    return pack
