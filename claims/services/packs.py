"""Claim windows and packs: building a window's pack, exclusions, submission, payment,
withdrawal and the pack's files."""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from collections.abc import Callable
from datetime import date

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEntry
from audit.services import audit_record
from claims import exports
from claims.models import Claim, ClaimAdjustment, ClaimPack, ClaimWindow, PackBuild, PackFile
from claims.payments import LAST_PAYMENT_DAY, claimable_for_run
from claims.selectors import evidence_batches
from claims.services.common import ClaimRefused, locked_pack, require_role
from outcomes.models import ResultType
from outcomes.services import results_run
from tfp import clock
from tfp.advisory_lock import CLAIM_PACK_BUILD_LOCK

# The advisory lock "building a claim pack": one build at a time
# across all windows, so two packs can never claim the same family's R twice over.
PACK_BUILD_LOCK = CLAIM_PACK_BUILD_LOCK

WINDOW_NAME = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
RESULT_CODES = {
    ResultType.CRIME_ASB_EDUCATION: "CAE",
    ResultType.PROGRESS_TO_WORK: "PTW",
    ResultType.CONTINUOUS_EMPLOYMENT: "CE",
}


def window_last_day(name: str) -> date:
    """The day window ``name`` (``YYYY-MM``) assesses results on: its last day, refused when
    the programme cannot pay on it (``refuse_window_day``)."""
    match = WINDOW_NAME.match(name)
    if match is None:
        raise ClaimRefused(f"A claim window is named YYYY-MM, not {name!r}.")
    year, month = int(match[1]), int(match[2])
    last_day = date(year, month, calendar.monthrange(year, month)[1])
    refuse_window_day(name, last_day)
    return last_day


def refuse_window_day(name: str, last_day: date) -> None:
    """A window ending after the programme's last payment date, or on a day still to come,
    would claim on results nobody can have seen yet."""
    if last_day > LAST_PAYMENT_DAY:
        raise ClaimRefused(
            f"Claim window {name} ends on {last_day:%-d %B %Y}, after the programme's last "
            f"payment date: the last window must end by {LAST_PAYMENT_DAY:%-d %B %Y}."
        )
    today = clock.today()
    if last_day > today:
        raise ClaimRefused(
            f"Claim window {name} ends on {last_day:%-d %B %Y}: its last day must be today or "
            f"in the past (today is {today:%-d %B %Y})."
        )


def claim_window_create(*, name: str, created_by=None) -> ClaimWindow:
    """The window ``name`` (``YYYY-MM``), created if it does not exist yet."""
    assess_on = window_last_day(name)
    try:
        with transaction.atomic():
            window, created = ClaimWindow.objects.get_or_create(
                name=name, defaults={"assess_on": assess_on, "created_by": created_by}
            )
            if created:
                audit_record(
                    action=AuditEntry.Action.CREATE,
                    user=created_by,
                    obj=window,
                    summary=f"Claim window {name} added (results as of {assess_on})",
                )
    except IntegrityError:
        # Another process added it between our look and our insert.
        window = ClaimWindow.objects.get(name=name)
    return window


def claim_pack_build(
    *,
    window: ClaimWindow,
    built_by=None,
    on_progress: Callable[[int, str], None] | None = None,
) -> ClaimPack:
    """Build the window's pack, or return it if it has been built: every attached family with
    something claimable on the window's last day that is not already claimed."""
    report = on_progress or (lambda percent, step: None)
    existing = ClaimPack.objects.filter(window=window).first()
    if existing is not None:
        return existing
    refuse_window_day(window.name, window.assess_on)
    report(10, f"Assessing results as of {window.assess_on}")
    run = results_run(window.assess_on, trigger="claim_pack", started_by=built_by)
    report(60, "Working out what can be claimed")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PACK_BUILD_LOCK])
        existing = ClaimPack.objects.filter(window=window).first()
        if existing is not None:
            return existing
        pack = ClaimPack.objects.create(window=window, results_run=run, built_by=built_by)
        families = [f for f in claimable_for_run(run, achieving_only=True) if f.lines]
        batches = evidence_batches([f.household_id for f in families], window.assess_on)
        report(80, f"Recording {len(families)} families' claims")
        _copy_claims(pack, run, families, batches)
        audit_record(
            action=AuditEntry.Action.CREATE,
            user=built_by,
            obj=pack,
            summary=f"Claim pack {window.name} built: {len(families)} families",
            details={"results_run": run.pk},
        )
    report(100, "Built")
    return pack


_COPY_CLAIMS = (
    "COPY claims_claim (pack_id, claim_ref, household_id, case_file_id, result, "
    "financial_year, amount, results_element, assessed_on, status, excluded_reason, evidence, "
    "family_result_id) FROM STDIN"
)


def _copy_claims(pack: ClaimPack, run, families, batches: dict[int, list[int]]) -> None:
    """Write the pack's claims with COPY: a county's pack holds thousands. The database's
    guards fire for COPY as for INSERT."""
    window = pack.window
    with connection.cursor() as cursor, cursor.copy(_COPY_CLAIMS) as copy:
        for family in families:
            reasons = {result: stored.reason for result, stored in family.family_results.items()}
            for line in family.lines:
                evidence = {
                    "rules_version": run.rules_version,
                    "results_run": run.pk,
                    "assessed_on": window.assess_on.isoformat(),
                    "reason": reasons[line.result],
                    "reasons": reasons,
                    "already_claimed": str(family.already_claimed),
                    "rate_card": family.rate.amounts(),
                    "import_batches": batches.get(family.household_id, []),
                }
                copy.write_row(
                    (
                        pack.pk,
                        f"TF-{window.name}-{family.ref}-{RESULT_CODES[line.result]}",
                        family.household_id,
                        family.case_file_id,
                        line.result.value,
                        family.financial_year,
                        line.amount,
                        family.rate.results_element,
                        window.assess_on,
                        Claim.Status.INCLUDED.value,
                        "",
                        json.dumps(evidence),
                        family.family_results[line.result].id,
                    )
                )


def pack_build_start(*, window: ClaimWindow, requested_by) -> PackBuild:
    """Record a request to build ``window``'s pack; the task does the work after commit."""
    require_role(requested_by, Role.FINANCE_OFFICER)
    refuse_window_day(window.name, window.assess_on)
    build = PackBuild.objects.create(window=window, requested_by=requested_by)
    audit_record(
        action=AuditEntry.Action.RUN,
        user=requested_by,
        obj=build,
        summary=f"Asked for claim pack {window.name} to be built",
    )
    return build


def pack_build_run(*, build: PackBuild) -> ClaimPack:
    """Carry out a build request, keeping its progress where the page can read it."""

    def progress(percent: int, step: str) -> None:
        PackBuild.objects.filter(pk=build.pk).update(
            status=PackBuild.Status.RUNNING, progress=percent, step=step
        )

    try:
        pack = claim_pack_build(
            window=build.window, built_by=build.requested_by, on_progress=progress
        )
    except Exception as error:
        PackBuild.objects.filter(pk=build.pk).update(
            status=PackBuild.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000],
        )
        raise
    PackBuild.objects.filter(pk=build.pk).update(
        status=PackBuild.Status.SUCCEEDED, progress=100, step="Built", finished_at=timezone.now()
    )
    return pack


@transaction.atomic
def claim_exclude(*, claim: Claim, excluded_by, reason: str) -> Claim:
    """Take a family's claim out of a draft pack, with a reason; its result stays claimable."""
    require_role(excluded_by, Role.FINANCE_OFFICER)
    pack = locked_pack(claim.pack)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if pack.status != ClaimPack.Status.DRAFT:
        raise ClaimRefused("Claims can be excluded only before internal audit signs the pack off.")
    if claim.status != Claim.Status.INCLUDED:
        raise ClaimRefused(f"Claim {claim.claim_ref} is not in the pack.")
    if not reason.strip():
        raise ClaimRefused("Give the reason for excluding the claim.")
    claim.status = Claim.Status.EXCLUDED
    claim.excluded_reason = reason.strip()
    claim.excluded_by = excluded_by
    claim.excluded_at = timezone.now()
    claim.save()
    audit_record(
        action=AuditEntry.Action.CHANGE,
        user=excluded_by,
        obj=claim,
        family_ref=claim.household.ref,
        summary=f"Excluded {claim.claim_ref} from pack {pack.window.name}: {claim.excluded_reason}",
    )
    return claim


@transaction.atomic
def pack_submit(*, pack: ClaimPack, submitted_by) -> ClaimPack:
    """Submit the approved pack: its files are made final now and, like its claims, never
    change again."""
    require_role(submitted_by, Role.FINANCE_OFFICER)
    pack = locked_pack(pack)
    if pack.status != ClaimPack.Status.APPROVED:
        raise ClaimRefused("A pack is submitted after audit sign-off and coordinator approval.")
    pack.submitted_by = submitted_by
    pack.submitted_at = timezone.now()
    for fmt in PackFile.Format:
        content = exports.render(pack, fmt)
        PackFile.objects.create(
            pack=pack,
            format=fmt,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            content=content,
            final=True,
            made_by=submitted_by,
        )
    pack.status = ClaimPack.Status.SUBMITTED
    pack.save()
    audit_record(
        action=AuditEntry.Action.CHANGE,
        user=submitted_by,
        obj=pack,
        summary=f"Submitted claim pack {pack.window.name}",
        details={f.format: f.sha256 for f in pack.files.filter(final=True)},
    )
    return pack


@transaction.atomic
def pack_mark_paid(*, pack: ClaimPack, paid_by, paid_on: date) -> ClaimPack:
    require_role(paid_by, Role.FINANCE_OFFICER)
    pack = locked_pack(pack)
    if pack.status != ClaimPack.Status.SUBMITTED:
        raise ClaimRefused("Only a submitted pack can be marked paid.")
    pack.status = ClaimPack.Status.PAID
    pack.paid_by = paid_by
    pack.paid_at = timezone.now()
    pack.paid_on = paid_on
    pack.save()
    audit_record(
        action=AuditEntry.Action.CHANGE,
        user=paid_by,
        obj=pack,
        summary=f"Claim pack {pack.window.name} paid on {paid_on}",
    )
    return pack


@transaction.atomic
def claim_withdraw(*, claim: Claim, withdrawn_by, reason: str) -> ClaimAdjustment:
    """Withdraw a submitted claim found invalid: a linked adjustment returns its amount, and
    the result may be claimed again only if it is achieved again on a later claim day."""
    require_role(withdrawn_by, Role.FINANCE_OFFICER)
    pack = locked_pack(claim.pack)
    claim = Claim.objects.select_for_update().select_related("household").get(pk=claim.pk)
    if not pack.is_frozen:
        raise ClaimRefused("Before submission a claim is excluded, not withdrawn.")
    if claim.status != Claim.Status.INCLUDED:
        raise ClaimRefused(f"Claim {claim.claim_ref} is not a live claim.")
    if not reason.strip():
        raise ClaimRefused("Give the reason for withdrawing the claim.")
    adjustment = ClaimAdjustment.objects.create(
        claim=claim, amount=-claim.amount, reason=reason.strip(), made_by=withdrawn_by
    )
    # The database lets a submitted claim change in exactly this way, and only once its
    # adjustment exists.
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.WITHDRAWN)
    audit_record(
        action=AuditEntry.Action.CHANGE,
        user=withdrawn_by,
        obj=claim,
        family_ref=claim.household.ref,
        summary=f"Withdrew {claim.claim_ref} (£{claim.amount}): {adjustment.reason}",
    )
    return adjustment


# --- Pack files ----------------------------------------------------------------------------------


@transaction.atomic
def pack_file_get(*, pack: ClaimPack, fmt: str, user=None, request=None) -> PackFile:
    """The pack as a file: the final one of a submitted pack, otherwise made now. Its SHA-256
    is stored and the download is written to the audit log."""
    fmt = PackFile.Format(fmt)
    pack = ClaimPack.objects.select_related("window").get(pk=pack.pk)
    if pack.is_frozen:
        pack_file = PackFile.objects.get(pack=pack, format=fmt, final=True)
    else:
        content = exports.render(pack, fmt)
        pack_file, _ = PackFile.objects.get_or_create(
            pack=pack,
            format=fmt,
            sha256=hashlib.sha256(content).hexdigest(),
            defaults={"size": len(content), "made_by": user},
        )
        pack_file.content = content
    audit_record(
        action=AuditEntry.Action.DOWNLOAD if request is not None else AuditEntry.Action.EXPORT,
        user=user,
        request=request,
        obj=pack_file,
        summary=f"Claim pack {pack.window.name} as {fmt.label} ({pack_file.sha256[:12]}…)",
        details={"sha256": pack_file.sha256, "format": fmt.value, "final": pack_file.final},
    )
    return pack_file
