"""The whole-family assessment: needs per person and for the family, by domain and severity.
A review is recorded as a new assessment linked to the one it reviews, so history is kept."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from accounts.models import User
from audit.models import AuditEntry
from casework.models import Assessment, Domain, Need, Severity
from casework.selectors import members_on
from families.models import CaseFile, Person
from tfp import clock

from .common import CaseworkRefused, audit_change, lock_open_case_file


@dataclass(frozen=True)
class NeedInput:
    person: Person | None  # None: a need of the family as a whole
    domain: str
    severity: int
    detail: str = ""


@transaction.atomic
def assessment_record(
    *,
    case_file: CaseFile,
    assessed_on: date,
    needs: Sequence[NeedInput],
    summary: str = "",
    review_by: date | None = None,
    by: User,
    request=None,
) -> Assessment:
    if error := clock.future_date_error(assessed_on, "Date of the assessment"):
        raise CaseworkRefused(error)
    case_file = lock_open_case_file(case_file)
    if not needs:
        raise CaseworkRefused("Record at least one need.")
    if review_by is not None and review_by < assessed_on:
        raise CaseworkRefused("The review date cannot be before the assessment date.")
    members = {p.pk for p in members_on(household=case_file.household, day=assessed_on)}
    seen: set[tuple[int | None, str]] = set()
    for need in needs:
        if need.person is not None and need.person.pk not in members:
            raise CaseworkRefused(f"{need.person} was not a member of the family on {assessed_on}.")
        if need.domain not in Domain.values or need.severity not in Severity.values:
            raise CaseworkRefused("Each need has a domain and a severity.")
        key = (need.person.pk if need.person else None, need.domain)
        if key in seen:
            raise CaseworkRefused("A person has one need per domain in an assessment.")
        seen.add(key)
    previous = case_file.assessments.order_by("-assessed_on", "-id").first()
    assessment = Assessment.objects.create(
        case_file=case_file,
        assessed_on=assessed_on,
        review_by=review_by,
        summary=summary,
        reviews=previous,
        recorded_by=by,
    )
    Need.objects.bulk_create(
        Need(
            assessment=assessment,
            person=need.person,
            domain=need.domain,
            severity=need.severity,
            detail=need.detail,
        )
        for need in needs
    )
    audit_change(
        by=by,
        request=request,
        case_file=case_file,
        obj=assessment,
        action=AuditEntry.Action.CREATE,
        summary=f"Recorded {'a review of the' if previous else 'the'} whole-family assessment "
        f"of {assessed_on} ({len(needs)} needs)",
    )
    return assessment
