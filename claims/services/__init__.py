"""Every state change of the claims app, one transaction each: it refuses an illegal
transition before it acts and writes its audit entry. The database refuses the same things
again (migration 0003)."""

from claims.services.common import ClaimRefused
from claims.services.internal_audit import (
    audit_check_record,
    audit_sample_draw,
    pack_approve,
    pack_sign_off,
)
from claims.services.packs import (
    PACK_BUILD_LOCK,
    claim_exclude,
    claim_pack_build,
    claim_window_create,
    claim_withdraw,
    pack_build_run,
    pack_build_start,
    pack_file_get,
    pack_mark_paid,
    pack_submit,
    window_last_day,
)
from claims.services.rates import commitment_set, rate_card_update

__all__ = [
    "PACK_BUILD_LOCK",
    "ClaimRefused",
    "audit_check_record",
    "audit_sample_draw",
    "claim_exclude",
    "claim_pack_build",
    "claim_window_create",
    "claim_withdraw",
    "commitment_set",
    "pack_approve",
    "pack_build_run",
    "pack_build_start",
    "pack_file_get",
    "pack_mark_paid",
    "pack_sign_off",
    "pack_submit",
    "rate_card_update",
    "window_last_day",
]
