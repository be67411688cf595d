"""The discretion explorer (coordinators): what each concern type would do as the local
discretion criterion, the effect of a selection before it is applied, and applying it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import roles_required
from accounts.roles import Role
from audit.models import AuditEntry
from audit.services import audit_record
from families.forms import DiscretionApplyForm, DiscretionDraftForm
from families.identification import RunInProgress
from families.models import Concern, LocalDiscretionSettings
from families.selectors.discretion import PER_TYPE, Exploration, Figure, explore, figure_families
from families.services import SettingUnchanged, local_discretion_apply
from tfp import clock
from tfp.pagination import counted_page, pagination

PAGE_SIZE = 50

# The families behind each figure, as their page's heading.
FIGURE_HEADINGS = {
    Figure.ADDS: "Families {type} would add",
    Figure.DROPS: "Families removing {type} would drop",
    Figure.ELIGIBLE_NOW: "Families eligible with the concern types in use",
    Figure.ELIGIBLE: "Families eligible with the concern types ticked",
    Figure.ADDED: "Families the concern types ticked would add",
    Figure.DROPPED: "Families the concern types ticked would drop",
}


def _draft_query(draft) -> list[tuple[str, str]]:
    return [("draft", "1"), *(("types", value) for value in draft)]


def _families_url(figure: Figure, query: list[tuple[str, str]]) -> str:
    return f"{reverse('families:discretion_families')}?{urlencode([('figure', figure), *query])}"


def _figure_links(exploration: Exploration) -> dict:
    """Where each figure's families are: per type, and for the selection ticked."""
    draft = _draft_query(exploration.draft)
    return {
        "types": [
            {
                "figures": row,
                **{f.value: _families_url(f, [("type", row.concern_type)]) for f in PER_TYPE},
            }
            for row in exploration.types
        ],
        Figure.ELIGIBLE_NOW.value: _families_url(Figure.ELIGIBLE_NOW, []),
        **{
            f.value: _families_url(f, draft)
            for f in (Figure.ELIGIBLE, Figure.ADDED, Figure.DROPPED)
        },
    }


def _explorer_page(request, query, *, apply_form=None, refusal: str = ""):
    current = LocalDiscretionSettings.current()
    form = DiscretionDraftForm(query, current=current.concern_types)
    exploration = explore(as_of=clock.today(), current=current.concern_types, draft=form.draft())
    return render(
        request,
        "families/identification/discretion.html",
        {
            "form": form,
            "current": current,
            "current_labels": _labels(exploration.current),
            "exploration": exploration,
            "links": _figure_links(exploration),
            "apply_form": apply_form or DiscretionApplyForm(),
            "refusal": refusal,
            "changed": exploration.draft != exploration.current,
        },
    )


def _labels(types) -> str:
    labels = dict(Concern.Type.choices)
    return ", ".join(labels[value] for value in types) or "none"


@require_GET
@roles_required(Role.COORDINATOR)
def discretion_explorer(request):
    return _explorer_page(request, request.GET)


@require_POST
@roles_required(Role.COORDINATOR)
def discretion_apply(request):
    """Apply the drafted selection with its reason; the recalculation's progress follows."""
    form = DiscretionApplyForm(request.POST)
    # The selection shown again, should the change be refused, is the one posted.
    shown = request.POST.copy()
    shown["draft"] = "1"
    if not form.is_valid():
        return _explorer_page(request, shown, apply_form=form)
    try:
        newest = local_discretion_apply(
            concern_types=form.cleaned_data["types"],
            reason=form.cleaned_data["reason"],
            by=request.user,
            as_of=clock.today(),
            request=request,
        )
    except (RunInProgress, SettingUnchanged) as refusal:
        return _explorer_page(request, shown, apply_form=form, refusal=str(refusal))
    return redirect(f"{reverse('families:run_progress')}?after={newest}")


@require_GET
@roles_required(Role.COORDINATOR)
def discretion_families(request):
    """The families behind one figure of the explorer; names them, so it is audited."""
    try:
        figure = Figure(request.GET.get("figure", ""))
    except ValueError:
        raise Http404("No such figure.") from None
    concern_type = request.GET.get("type", "")
    if figure in PER_TYPE and concern_type not in Concern.Type.values:
        raise Http404("No such concern type.")
    current = LocalDiscretionSettings.current().concern_types
    draft = DiscretionDraftForm(request.GET, current=current).draft()
    page = counted_page(
        request.GET,
        PAGE_SIZE,
        lambda limit, offset: figure_families(
            as_of=clock.today(),
            figure=figure,
            current=current,
            draft=draft,
            concern_type=concern_type,
            limit=limit,
            offset=offset,
        ),
    )
    heading = FIGURE_HEADINGS[figure].format(
        type=dict(Concern.Type.choices).get(concern_type, "").lower()
    )
    audit_record(
        action=AuditEntry.Action.VIEW,
        request=request,
        summary=f"Viewed the discretion explorer's list: {heading.lower()}",
        details={"figure": figure, "type": concern_type, "draft": draft, "page": page.number},
    )
    back = (
        f"{reverse('families:discretion_explorer')}?{urlencode(_draft_query(draft))}"
        if figure not in PER_TYPE and figure != Figure.ELIGIBLE_NOW
        else reverse("families:discretion_explorer")
    )
    return render(
        request,
        "families/identification/discretion_families.html",
        {
            "heading": heading,
            "page": page,
            "pagination": pagination(page, request.GET),
            "as_of": clock.today(),
            "draft_labels": _labels(draft) if figure not in PER_TYPE else "",
            "current_labels": _labels(current),
            "back": back,
        },
    )
