"""Linking settings: the thresholds of automatic linking, read by data officers and
coordinators, changed by an administrator (linkage.md)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import roles_required
from accounts.roles import Role, roles_of
from audit.models import AuditEntry
from audit.services import audit_record
from families.linkage.forms import LinkageSettingsForm, LinkDecisionForm, PersonSearchForm
from families.linkage.probabilistic import FIELDS
from families.linkage.selectors import (
    link_counts,
    person_search,
    review_queue,
    source_person_detail,
    source_person_records,
)
from families.linkage.services import (
    LinkDecisionRefused,
    linkage_settings_update,
    source_person_link,
    source_person_no_match,
    source_person_unlink,
)
from families.linkage.waterfall import waterfall
from families.models import LinkageSettings, Person, SourcePerson


@require_http_methods(["GET", "POST"])
@roles_required(Role.DATA_OFFICER, Role.COORDINATOR, Role.ADMINISTRATOR)
def linkage_settings(request):
    current = LinkageSettings.current()
    may_change = Role.ADMINISTRATOR in roles_of(request.user)
    form = None
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        form = LinkageSettingsForm(request.POST)
        if form.is_valid():
            linkage_settings_update(
                link_threshold=float(form.cleaned_data["link_threshold"]),
                review_threshold=float(form.cleaned_data["review_threshold"]),
                by=request.user,
                request=request,
            )
            messages.success(request, "Linking thresholds saved")
            return redirect("families:linkage_settings")
    elif may_change:
        form = LinkageSettingsForm(
            initial={
                "link_threshold": current.link_threshold,
                "review_threshold": current.review_threshold,
            }
        )
    return render(
        request,
        "families/linking/settings.html",
        {"current": current, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


# --- the data officer's linking pages ---------------------------------------------------------

LINKING_ROLES = (Role.DATA_OFFICER, Role.COORDINATOR)
QUEUE_PAGE_SIZE = 50
SEARCH_LIMIT = 20


@require_GET
@roles_required(*LINKING_ROLES)
def linking_overview(request):
    return render(request, "families/linking/overview.html", {"counts": link_counts()})


@require_GET
@roles_required(*LINKING_ROLES)
def linking_queue(request):
    source = request.GET.get("source") or None
    page = _page_number(request)
    entries = review_queue(
        source=source, limit=QUEUE_PAGE_SIZE + 1, offset=(page - 1) * QUEUE_PAGE_SIZE
    )
    more = len(entries) > QUEUE_PAGE_SIZE
    entries = entries[:QUEUE_PAGE_SIZE]
    audit_record(
        action=AuditEntry.Action.VIEW,
        request=request,
        summary="Viewed the linking review queue",
        details={
            "source": source or "",
            "page": page,
            "source_persons": [entry.source_person.pk for entry in entries],
        },
    )
    query = request.GET.copy()
    return render(
        request,
        "families/linking/queue.html",
        {
            "entries": entries,
            "source": source,
            "sources": [counts.source for counts in link_counts()],
            "page_number": page,
            "previous": _with_page(query, page - 1) if page > 1 else None,
            "next": _with_page(query, page + 1) if more else None,
        },
    )


@require_GET
@roles_required(*LINKING_ROLES)
def source_person_page(request, pk: int):
    source_person = _source_person_or_404(pk)
    search = PersonSearchForm(request.GET) if "q" in request.GET else PersonSearchForm()
    found = (
        person_search(search.cleaned_data["q"], limit=SEARCH_LIMIT)
        if search.is_bound and search.is_valid()
        else None
    )
    return _source_person_render(request, source_person, search=search, found=found)


@require_POST
@roles_required(*LINKING_ROLES)
def source_person_decide(request, pk: int):
    source_person = _source_person_or_404(pk)
    form = LinkDecisionForm(request.POST)
    if not form.is_valid():
        return _source_person_render(request, source_person, decision_form=form, status=400)
    decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
    try:
        if decision == LinkDecisionForm.LINK:
            person = get_object_or_404(Person, pk=form.cleaned_data["person"])
            source_person_link(
                source_person=source_person,
                person=person,
                by=request.user,
                note=note,
                request=request,
            )
            done = f"Linked to {person.given_name} {person.family_name} ({person.ref})"
        elif decision == LinkDecisionForm.NO_MATCH:
            source_person_no_match(
                source_person=source_person, by=request.user, note=note, request=request
            )
            done = "Marked no match: it stays unlinked and these candidates are not proposed again"
        else:
            source_person_unlink(
                source_person=source_person, by=request.user, note=note, request=request
            )
            done = "Unlinked: its records no longer count for that person"
    except LinkDecisionRefused as refused:
        form.add_error(None, str(refused))
        return _source_person_render(request, source_person, decision_form=form, status=400)
    messages.success(request, done)
    if request.POST.get("then") == "next":
        following = review_queue(source=request.POST.get("source") or None, limit=1)
        if following:
            url = reverse("families:source_person", args=[following[0].source_person.pk])
            return redirect(f"{url}?from=queue")
        messages.info(request, "The review queue is empty")
        return redirect("families:linking_queue")
    return redirect("families:source_person", pk=source_person.pk)


def _source_person_or_404(pk: int) -> SourcePerson:
    found = SourcePerson.objects.filter(pk=pk).values_list("source", "source_person_id").first()
    if found is None:
        raise Http404
    detail = source_person_detail(source=found[0], source_person_id=found[1])
    if detail is None:
        raise Http404
    return detail


def _source_person_render(
    request, source_person: SourcePerson, *, search=None, found=None, decision_form=None, status=200
):
    candidates = [
        (candidate, waterfall(candidate.contributions))
        for candidate in source_person.candidates.all()
    ]
    records = source_person_records(source_person=source_person)
    shown = [candidate.person.ref for candidate, _ in candidates]
    if source_person.person is not None:
        shown.append(source_person.person.ref)
    shown += [person.ref for person in found or []]
    audit_record(
        action=AuditEntry.Action.VIEW,
        request=request,
        obj=source_person,
        summary=f"Viewed partner's person {source_person.source} {source_person.source_person_id}",
        details={"persons_shown": shown},
    )
    return render(
        request,
        "families/linking/source_person.html",
        {
            "source_person": source_person,
            "candidates": candidates,
            "records": records,
            "search": search or PersonSearchForm(),
            "found": found,
            "decision_form": decision_form,
            "from_queue": request.GET.get("from") == "queue" or request.POST.get("then") == "next",
            "fields": FIELDS,
        },
        status=status,
    )


def _page_number(request) -> int:
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return 1


def _with_page(query, number: int) -> str:
    params = query.copy()
    params["page"] = number
    return "?" + params.urlencode()
