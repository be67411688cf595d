"""Consent: the programme works by invitation, not coercion. Withdrawing consent pauses the
case; consent to working together given again resumes it."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEntry
from casework.models import ClosureRequest, Consent
from casework.selectors import is_member_on
from families.models import CaseFile, Person
from tfp import clock

from .common import CaseworkRefused, audit_change, lock_open_case_file


@transaction.atomic
def consent_record(
    *,
    case_file: CaseFile,
    given_by: Person,
    working_together: bool,
    share_information: bool,
    named_partners: str = "",
    given_on: date,
    method: str,
    by: User,
    request=None,
) -> Consent:
    if error := clock.future_date_error(given_on, "Date consent was given"):
        raise CaseworkRefused(error)
    case_file = lock_open_case_file(case_file)
    if not is_member_on(person=given_by, household=case_file.household, day=given_on):
        raise CaseworkRefused(f"{given_by} was not a member of the family on {given_on}.")
    if not (working_together or share_information):
        raise CaseworkRefused("Consent must be to working together, sharing information, or both.")
    if share_information and not named_partners.strip():
        raise CaseworkRefused("Name the partners the family agreed information may be shared with.")
    consent = Consent.objects.create(
        case_file=case_file,
        given_by=given_by,
        working_together=working_together,
        share_information=share_information,
        named_partners=named_partners.strip() if share_information else "",
        given_on=given_on,
        method=method,
        recorded_by=by,
    )
    resumed = working_together and case_file.status == CaseFile.Status.PAUSED
    if resumed:
        case_file.status = CaseFile.Status.OPEN
        case_file.save(update_fields=["status"])
    elif working_together and case_file.status == CaseFile.Status.CLOSURE_REQUESTED:
        case_file.closures.filter(decision=ClosureRequest.Decision.PENDING).update(
            status_before=CaseFile.Status.OPEN
        )
    audit_change(
        by=by,
        request=request,
        case_file=case_file,
        obj=consent,
        action=AuditEntry.Action.CREATE,
        # The audit log outlives retention, so it names people by reference only.
        summary=f"Recorded consent from person {given_by.ref} on {given_on}"
        + ("; case resumed" if resumed else ""),
    )
    return consent


@transaction.atomic
def consent_withdraw(
    *, consent: Consent, withdrawn_on: date, reason: str, by: User, request=None
) -> Consent:
    """Record that consent was withdrawn; work stops, so the case is paused."""
    case_file = lock_open_case_file(consent.case_file)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.is_withdrawn:
        raise CaseworkRefused(f"This consent was already withdrawn on {consent.withdrawn_on}.")
    if error := clock.future_date_error(withdrawn_on, "Date consent was withdrawn"):
        raise CaseworkRefused(error)
    if withdrawn_on < consent.given_on:
        raise CaseworkRefused(
            f"Consent cannot be withdrawn before it was given ({consent.given_on})."
        )
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_reason = reason
    consent.withdrawal_recorded_by = by
    consent.withdrawal_recorded_at = timezone.now()
    consent.save(
        update_fields=[
            "withdrawn_on",
            "withdrawal_reason",
            "withdrawal_recorded_by",
            "withdrawal_recorded_at",
        ]
    )
    if case_file.status == CaseFile.Status.OPEN:
        case_file.status = CaseFile.Status.PAUSED
        case_file.save(update_fields=["status"])
    elif case_file.status == CaseFile.Status.CLOSURE_REQUESTED:
        # If the closure is not approved the case goes back to paused, not open.
        case_file.closures.filter(decision=ClosureRequest.Decision.PENDING).update(
            status_before=CaseFile.Status.PAUSED
        )
    audit_change(
        by=by,
        request=request,
        case_file=case_file,
        obj=consent,
        summary=f"Consent from person {consent.given_by.ref} withdrawn on {withdrawn_on}; "
        "case paused",
    )
    return consent
