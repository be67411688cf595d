"""Case notes: what happened at each contact. A saved note is never edited (the database
refuses it); a correction is an addendum, and the original stays beside it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEntry
from casework.models import CaseNote, CaseNoteAddendum
from casework.selectors import members_on
from families.models import CaseFile, Person
from tfp import clock

from .common import CaseworkRefused, audit_change, lock_open_case_file


@transaction.atomic
def case_note_add(
    *,
    case_file: CaseFile,
    contact_type: str,
    occurred_at: datetime,
    text: str,
    people_seen: Iterable[Person] = (),
    others_seen: str = "",
    is_sensitive: bool = False,
    by: User,
    request=None,
) -> CaseNote:
    if error := clock.future_date_error(timezone.localdate(occurred_at), "Date of the contact"):
        raise CaseworkRefused(error)
    case_file = lock_open_case_file(case_file)
    if not text.strip():
        raise CaseworkRefused("Write what happened.")
    people_seen = list(people_seen)
    members = {p.pk for p in members_on(household=case_file.household, day=occurred_at.date())}
    if any(person.pk not in members for person in people_seen):
        raise CaseworkRefused("The people seen must be members of the family.")
    note = CaseNote.objects.create(
        case_file=case_file,
        contact_type=contact_type,
        occurred_at=occurred_at,
        others_seen=others_seen,
        text=text,
        is_sensitive=is_sensitive,
        author=by,
    )
    note.people_seen.set(people_seen)
    audit_change(
        by=by,
        request=request,
        case_file=case_file,
        obj=note,
        action=AuditEntry.Action.CREATE,
        # The summary is read by auditors, who may not see a sensitive note: no content here.
        summary=f"Recorded a {'sensitive ' if is_sensitive else ''}case note "
        f"({note.get_contact_type_display().lower()})",
    )
    return note


@transaction.atomic
def case_note_addendum_add(
    *, note: CaseNote, text: str, by: User, request=None
) -> CaseNoteAddendum:
    case_file = note.case_file
    case_file = lock_open_case_file(case_file)
    if not text.strip():
        raise CaseworkRefused("Write the correction or addition.")
    addendum = CaseNoteAddendum.objects.create(note=note, text=text, author=by)
    audit_change(
        by=by,
        request=request,
        case_file=case_file,
        obj=addendum,
        action=AuditEntry.Action.CREATE,
        summary=f"Added an addendum to case note {note.pk}",
    )
    return addendum
