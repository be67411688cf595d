"""Case notes and their addenda."""

from __future__ import annotations

from casework import forms
from casework.selectors import members_on, notes_visible_to
from casework.services.notes import case_note_add, case_note_addendum_add
from casework.views.common import case_object, casework_page, render_case, render_form, submitted
from families.access import sees_sensitive_notes
from families.models import CaseFile
from tfp import clock


@casework_page("case notes")
def note_list(request, case_file: CaseFile):
    return render_case(
        request,
        case_file,
        "casework/notes.html",
        "case_notes",
        notes=notes_visible_to(request.user, case_file),
        sees_sensitive=sees_sensitive_notes(request.user, case_file),
    )


@casework_page("the case note form", form_page=True, methods=("GET", "POST"))
def note_new(request, case_file: CaseFile):
    members = members_on(household=case_file.household, day=clock.today())
    form = forms.CaseNoteForm(request.POST or None, members=members)
    if back := submitted(
        request,
        form,
        lambda data: case_note_add(
            case_file=case_file,
            contact_type=data["contact_type"],
            occurred_at=form.occurred_at,
            people_seen=data["people_seen"],
            others_seen=data["others_seen"],
            text=data["text"],
            is_sensitive=data["is_sensitive"],
            by=request.user,
            request=request,
        ),
        done="Case note saved",
        back_to=(case_file.household, "case_notes"),
    ):
        return back
    return render_form(
        request,
        case_file,
        "case_notes",
        form,
        title="Record a case note",
        intro="A saved note cannot be changed: corrections are added to it as addenda.",
    )


@casework_page("the addendum form", form_page=True, methods=("GET", "POST"))
def note_addendum(request, case_file: CaseFile, note_id: int):
    note = case_object(request, case_file, notes_visible_to(request.user, case_file), note_id)
    form = forms.AddendumForm(request.POST or None)
    if back := submitted(
        request,
        form,
        lambda data: case_note_addendum_add(
            note=note, text=data["text"], by=request.user, request=request
        ),
        done="Addendum added",
        back_to=(case_file.household, "case_notes"),
    ):
        return back
    return render_case(
        request,
        case_file,
        "casework/addendum_form.html",
        "case_notes",
        form=form,
        note=note,
    )
