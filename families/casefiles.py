"""Attachment and allocation: a family joins the programme with a key worker, its baseline is
frozen (programme-rules.md), and later passes to another key worker with the history kept.

The case file lives here, in ``families``, because attachment creates it and the cohort and
allocation are identification's business; the work recorded on it afterwards is ``casework``,
which imports this module, never the other way round."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction

from accounts.models import User
from accounts.roles import Role, has_role
from audit.models import AuditEntry
from audit.services import audit_record
from families.dates import months_before
from families.eligibility import RULES_VERSION, evaluate
from families.models import Allocation, CaseFile, CohortDecision, Household
from families.programme import proven_offence_sql, under_adult_age_sql
from tfp import clock


class CaseFileRefused(Exception):
    """A change to a case file that the rules do not allow; the message says why, for the user.
    ``casework.services.common.CaseworkRefused`` is one kind of it."""


class AttachmentRefused(CaseFileRefused):
    pass


@dataclass(frozen=True)
class Baseline:
    asb_events: int
    youth_offences: int


# What was known at attachment A for the 6 months before it, [A - 6 months, A): ASB events
# of any type (incidents included) and offences committed under 18 and proven by A (a
# community resolution is not proven).
_BASELINE_SQL = f"""
WITH members AS (
    SELECT p.id AS person_id, p.date_of_birth
    FROM families_membership m JOIN families_person p ON p.id = m.person_id
    WHERE m.household_id = %(household)s
      AND m.valid_from <= %(day)s AND (m.valid_to IS NULL OR m.valid_to > %(day)s)
)
SELECT
    (SELECT count(*) FROM families_asbevent e
     WHERE (e.household_id = %(household)s OR e.person_id IN (SELECT person_id FROM members))
       AND e.event_date >= %(from)s AND e.event_date < %(day)s),
    (SELECT count(*) FROM families_offence o JOIN members mb ON mb.person_id = o.person_id
     WHERE o.offence_date >= %(from)s AND o.offence_date < %(day)s
       AND {proven_offence_sql("o", by="day")}
       AND {under_adult_age_sql("o.offence_date", "mb.date_of_birth")})
"""


def baseline_counts(*, household: Household, attached_on: date) -> Baseline:
    params = {
        "household": household.pk,
        "day": attached_on,
        "from": months_before(attached_on, 6),
    }
    with connection.cursor() as cursor:
        cursor.execute(_BASELINE_SQL, params)
        asb_events, youth_offences = cursor.fetchone()
    return Baseline(asb_events=asb_events, youth_offences=youth_offences)


@transaction.atomic
def case_file_attach(
    *, household: Household, key_worker, attached_on: date, attached_by=None
) -> CaseFile:
    """Attach an eligible family on ``attached_on`` with ``key_worker`` and freeze its baseline.

    A family not yet confirmed into the cohort is confirmed by the attachment itself.
    """
    if error := clock.future_date_error(attached_on, "Attachment date"):
        raise AttachmentRefused(error)
    if not has_role(key_worker, Role.KEY_WORKER):
        raise AttachmentRefused(f"{key_worker.username} is not a key worker.")
    household = Household.objects.select_for_update().get(pk=household.pk)
    if CaseFile.objects.filter(household=household).exists():
        raise AttachmentRefused(f"Family {household.ref} is already attached.")
    assessed = next(iter(evaluate(attached_on, [household.pk])), None)
    if assessed is None or not assessed.eligible:
        reasons = assessed.reasons if assessed else "it meets none of the criteria"
        raise AttachmentRefused(
            f"Family {household.ref} is not eligible on {attached_on:%-d %B %Y}: {reasons}."
        )
    baseline = baseline_counts(household=household, attached_on=attached_on)
    case_file = CaseFile.objects.create(
        household=household,
        key_worker=key_worker,
        attached_on=attached_on,
        created_by=attached_by,
        rules_version=RULES_VERSION,
        baseline_crime_asb=assessed.crime_asb,
        baseline_education=assessed.education,
        baseline_work=assessed.work,
        baseline_local_discretion=assessed.local_discretion,
        baseline_reasons=assessed.reasons,
        baseline_asb_events=baseline.asb_events,
        baseline_youth_offences=baseline.youth_offences,
    )
    Allocation.objects.create(
        case_file=case_file,
        key_worker=key_worker,
        allocated_on=attached_on,
        allocated_by=attached_by,
    )
    current = CohortDecision.objects.filter(household=household, is_current=True).first()
    if current is None or current.decision != CohortDecision.Decision.CONFIRMED:
        CohortDecision.objects.filter(household=household, is_current=True).update(is_current=False)
        CohortDecision.objects.create(
            household=household,
            decision=CohortDecision.Decision.CONFIRMED,
            reason="Confirmed by attachment",
            decided_by=attached_by,
        )
    audit_record(
        action=AuditEntry.Action.CREATE,
        user=attached_by,
        obj=case_file,
        family_ref=household.ref,
        summary=f"Attached {household.ref} on {attached_on} with key worker {key_worker.username}",
    )
    return case_file


def lock_case_file(case_file: CaseFile) -> CaseFile:
    """Re-read the case file under a row lock, so two changes to its status cannot race."""
    return CaseFile.objects.select_for_update().select_related("household").get(pk=case_file.pk)


@transaction.atomic
def case_file_reallocate(
    *, case_file: CaseFile, key_worker: User, on: date, by: User, request=None
) -> CaseFile:
    """Hand the family to ``key_worker`` from ``on``; the current allocation ends that day."""
    if not has_role(by, Role.COORDINATOR):
        raise CaseFileRefused("Only a coordinator can reallocate a family.")
    case_file = lock_case_file(case_file)
    if case_file.status == CaseFile.Status.CLOSED:
        raise CaseFileRefused("The case is closed. Reopen it before reallocating it.")
    if not has_role(key_worker, Role.KEY_WORKER):
        raise CaseFileRefused(f"{key_worker} is not a key worker.")
    if key_worker.pk == case_file.key_worker_id:
        raise CaseFileRefused(f"{key_worker} is already the family's key worker.")
    current = (
        Allocation.objects.select_for_update()
        .filter(case_file=case_file, ended_on__isnull=True)
        .first()
    )
    if current is not None:
        if on < current.allocated_on:
            raise CaseFileRefused(
                f"The new allocation cannot start before the current one ({current.allocated_on})."
            )
        current.ended_on = on
        current.save(update_fields=["ended_on"])
    previous = case_file.key_worker
    Allocation.objects.create(
        case_file=case_file, key_worker=key_worker, allocated_on=on, allocated_by=by
    )
    case_file.key_worker = key_worker
    case_file.save(update_fields=["key_worker"])
    audit_record(
        action=AuditEntry.Action.CHANGE,
        user=by,
        request=request,
        obj=case_file,
        family_ref=case_file.household.ref,
        summary=f"Reallocated {case_file.household.ref} from {previous.username} to "
        f"{key_worker.username} on {on}",
        details={"from": previous.username, "to": key_worker.username, "on": on.isoformat()},
    )
    return case_file
