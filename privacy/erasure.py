"""Erasure requests (UK GDPR article 17): recorded by staff, decided by a coordinator.

The right to erasure is not absolute for a council's public task, so every request is
decided and the decision explained. Approving one anonymises the person at once
(``privacy.anonymise``); the coordinator may also remove the text of the case notes that
record them as seen. A coordinator may not decide a request they recorded themselves.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.roles import Role, has_role
from audit.models import AuditEntry
from audit.services import audit_record
from families.models import Membership, Person
from privacy.anonymise import anonymise_people, redact_notes_seeing, scrub_names
from privacy.models import Anonymisation, ErasureRequest

Status = ErasureRequest.Status


class ErasureRefused(Exception):
    pass


def family_ref_of(person: Person) -> str:
    """The family the person belongs to now (or last belonged to), for the audit log."""
    latest = (
        Membership.objects.filter(person=person)
        .order_by(F("valid_to").desc(nulls_first=True), "-valid_from")
        .values_list("household__ref", flat=True)
        .first()
    )
    return latest or ""


def is_anonymised(person: Person) -> bool:
    return Anonymisation.objects.filter(person=person).exists()


@transaction.atomic
def erasure_request_create(
    *, person: Person, received_on: date, grounds: str, requested_by, request=None
) -> ErasureRequest:
    person = Person.objects.select_for_update().get(pk=person.pk)
    if is_anonymised(person):
        raise ErasureRefused("This person's data has been anonymised already.")
    if ErasureRequest.objects.filter(person=person, status=Status.PENDING).exists():
        raise ErasureRefused("An erasure request for this person is already waiting.")
    erasure = ErasureRequest.objects.create(
        person=person,
        received_on=received_on,
        grounds=grounds.strip(),
        requested_by=requested_by,
    )
    audit_record(
        action=AuditEntry.Action.CREATE,
        user=requested_by,
        request=request,
        obj=erasure,
        family_ref=family_ref_of(person),
        summary=f"Recorded an erasure request from person {person.ref}, received {received_on}",
    )
    return erasure


@transaction.atomic
def erasure_request_decide(
    *,
    erasure: ErasureRequest,
    approve: bool,
    decided_by,
    note: str = "",
    redact_notes: bool = False,
    request=None,
) -> ErasureRequest:
    """Approve (and anonymise the person now) or refuse, with the reason."""
    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    if erasure.status != Status.PENDING:
        raise ErasureRefused("This request has been decided already.")
    if not has_role(decided_by, Role.COORDINATOR):
        raise ErasureRefused("Only a coordinator decides erasure requests.")
    if erasure.requested_by_id == decided_by.pk:
        raise ErasureRefused("Another coordinator must decide a request you recorded.")
    if not approve and not note.strip():
        raise ErasureRefused("Say why the request is refused: the person must be told.")
    person = erasure.person
    family_ref = family_ref_of(person)
    notes = 0
    if approve:
        scrub_names(people=[person.pk])
        if redact_notes:
            notes = redact_notes_seeing(people=[person.pk])
        anonymise_people(people=[person.pk])
        Anonymisation.objects.create(
            person=person, reason=Anonymisation.Reason.ERASURE, erasure_request=erasure
        )
    erasure.status = Status.APPROVED if approve else Status.REFUSED
    erasure.decided_by = decided_by
    erasure.decided_at = timezone.now()
    erasure.decision_note = note.strip()
    erasure.redact_notes = approve and redact_notes
    erasure.save()
    audit_record(
        action=AuditEntry.Action.CHANGE,
        user=decided_by,
        request=request,
        obj=erasure,
        family_ref=family_ref,
        summary=(
            f"Approved erasure request {erasure.pk}: person anonymised"
            + (f", {notes} case notes redacted" if redact_notes else "")
            if approve
            else f"Refused erasure request {erasure.pk}"
        ),
        details={"approved": approve, "notes_redacted": notes},
    )
    return erasure
