"""A data officer's (or coordinator's) linking decisions, and the thresholds an administrator
sets (linkage.md, "Decisions").

Each decision is one transaction: it locks the source person, refuses what makes no sense,
keeps the earlier state in the history, writes an audit entry naming the source person and
the person by reference (never by name), moves the records, and once committed recalculates
the households whose records moved. Automatic linking never undoes a link or an unlink
someone decided; a source person marked "no match" is compared again as people join the
index, never with the persons it was marked no match to.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from accounts.models import User
from audit.models import AuditEntry
from audit.services import audit_record
from families.identification import recalculate_households
from families.linkage.records import records_follow_links
from families.models import (
    Decision,
    LinkageSettings,
    LinkCandidate,
    LinkEvent,
    LinkMethod,
    LinkStatus,
    Membership,
    NoMatch,
    Person,
    SourcePerson,
)

RECALCULATION_TRIGGER = "link decision"


class LinkDecisionRefused(Exception):
    """The decision asked for does not fit the source person as it stands."""


def source_person_link(
    *, source_person: SourcePerson, person: Person, by: User, note: str = "", request=None
) -> SourcePerson:
    """Link ``source_person`` to ``person`` (a candidate or anyone found by search): its
    records count for that person from now on."""
    with transaction.atomic():
        current = _locked(source_person)
        if current.status == LinkStatus.LINKED and current.person_id == person.pk:
            raise LinkDecisionRefused(f"{_name(current)} is already linked to {person.ref}.")
        # Saying who it is withdraws an earlier "not this person" for the pair.
        NoMatch.objects.filter(source_person=current, person=person).delete()
        return _decide(
            current,
            status=LinkStatus.LINKED,
            person=person,
            method=LinkMethod.DECISION,
            reason=Decision.LINK,
            by=by,
            note=note,
            request=request,
            summary=f"Linked {_name(current)} to person {person.ref}",
        )


def source_person_no_match(
    *,
    source_person: SourcePerson,
    by: User,
    note: str = "",
    person: Person | None = None,
    request=None,
) -> SourcePerson:
    """Mark ``source_person`` no match: to ``person``, or to every candidate proposed. It
    is unlinked; automatic linking compares it again as people join the index, but never
    proposes those pairs again."""
    with transaction.atomic():
        current = _locked(source_person)
        if current.status == LinkStatus.LINKED:
            raise LinkDecisionRefused(
                f"{_name(current)} is linked to {current.person.ref}: unlink it instead."
            )
        if person is not None:
            rejected = [person.pk]
        else:
            rejected = list(
                LinkCandidate.objects.filter(source_person=current).values_list(
                    "person_id", flat=True
                )
            )
        _remember_no_match(current, rejected, by=by)
        refs = sorted(Person.objects.filter(pk__in=rejected).values_list("ref", flat=True))
        return _decide(
            current,
            status=LinkStatus.UNLINKED,
            person=None,
            method="",
            reason=Decision.NO_MATCH,
            by=by,
            note=note,
            request=request,
            summary=(
                f"Marked {_name(current)} no match"
                + (f" to person {', '.join(refs)}" if refs else "")
            ),
            details={"not_persons": refs},
        )


def source_person_unlink(
    *, source_person: SourcePerson, by: User, note: str = "", request=None
) -> SourcePerson:
    """Undo a link, automatic or decided ("that is not my son"): its records stop counting
    for that person at once, and the pair is never proposed again."""
    with transaction.atomic():
        current = _locked(source_person)
        if current.status != LinkStatus.LINKED:
            raise LinkDecisionRefused(f"{_name(current)} is not linked to anyone.")
        former = current.person
        _remember_no_match(current, [former.pk], by=by)
        return _decide(
            current,
            status=LinkStatus.UNLINKED,
            person=None,
            method="",
            reason=Decision.UNLINK,
            by=by,
            note=note,
            request=request,
            summary=f"Unlinked {_name(current)} from person {former.ref}",
        )


def linkage_settings_update(
    *, link_threshold: float, review_threshold: float, by: User, request=None
) -> LinkageSettings:
    """Change the thresholds automatic linking applies from its next run on (an
    administrator's change). Links already made stay as they are."""
    if not 0 < review_threshold <= link_threshold <= 1:
        raise ValueError(
            "The review threshold must be above 0 and at most the link threshold, "
            "which must be at most 1."
        )
    with transaction.atomic():
        current = LinkageSettings.objects.select_for_update().order_by("pk").first()
        current = current or LinkageSettings()
        before = {
            "link_threshold": current.link_threshold,
            "review_threshold": current.review_threshold,
        }
        current.link_threshold = link_threshold
        current.review_threshold = review_threshold
        current.updated_by = by
        current.save()
        audit_record(
            action=AuditEntry.Action.CHANGE,
            user=by,
            request=request,
            obj=current,
            summary=(
                f"Linkage thresholds: link {link_threshold:.4f}, review {review_threshold:.4f}"
            ),
            details={
                "before": before,
                "after": {"link_threshold": link_threshold, "review_threshold": review_threshold},
            },
        )
    return current


def _locked(source_person: SourcePerson) -> SourcePerson:
    # Two data officers deciding on one source person at once take turns.
    return (
        SourcePerson.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=source_person.pk)
    )


def _name(source_person: SourcePerson) -> str:
    return f"{source_person.source} {source_person.source_person_id}"


def _remember_no_match(source_person: SourcePerson, person_ids: Iterable[int], *, by) -> None:
    ids = sorted(set(person_ids))
    NoMatch.objects.bulk_create(
        [NoMatch(source_person=source_person, person_id=pk, decided_by=by) for pk in ids],
        ignore_conflicts=True,
    )
    LinkCandidate.objects.filter(source_person=source_person, person_id__in=ids).delete()


def _decide(
    current: SourcePerson,
    *,
    status: str,
    person: Person | None,
    method: str,
    reason: str,
    by: User,
    note: str,
    request,
    summary: str,
    details: dict | None = None,
) -> SourcePerson:
    former = current.person
    event = LinkEvent.objects.create(
        source_person=current,
        from_status=current.status,
        to_status=status,
        from_person=former,
        to_person=person,
        method=method,
        probability=None,
        by=by,
        note=note,
        reason=reason,
    )
    current.status = status
    current.person = person
    current.method = method
    if status == LinkStatus.LINKED:
        # linkage.md: a decided link has no match probability of its own.
        current.match_probability = None
    current.decision = reason
    current.decided_by = by
    current.decided_at = event.at
    current.save()
    households = records_follow_links(source_person_ids=[current.pk])
    audit_record(
        action=AuditEntry.Action.CHANGE,
        user=by,
        request=request,
        obj=current,
        family_ref=_family_ref(person or former),
        summary=summary,
        details={
            "source": current.source,
            "source_person_id": current.source_person_id,
            "reason": reason,
            "from_person": former.ref if former else "",
            "to_person": person.ref if person else "",
            "link_event": event.pk,
            "households_recalculated": len(households),
            **(details or {}),
        },
    )
    if households:
        ids = sorted(households)
        # As an import does: a refused recalculation (the nightly run is going) must not
        # undo a decision that has committed; the next full run covers those households.
        transaction.on_commit(
            lambda: recalculate_households(
                household_ids=ids, trigger=RECALCULATION_TRIGGER, started_by=by
            ),
            robust=True,
        )
    return current


def _family_ref(person: Person | None) -> str:
    if person is None:
        return ""
    found = (
        Membership.objects.filter(person=person, valid_to__isnull=True)
        .values_list("household__ref", flat=True)
        .first()
    )
    return found or ""
