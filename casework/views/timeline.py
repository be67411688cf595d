"""The case file's timeline."""

from __future__ import annotations

from casework.timeline import KINDS, timeline_for
from casework.views.common import casework_page, render_case
from families.models import CaseFile
from tfp import clock


@casework_page("the timeline")
def case_timeline(request, case_file: CaseFile):
    chosen = {kind for kind in request.GET.getlist("show") if kind in KINDS}
    entries = timeline_for(
        case_file=case_file, user=request.user, today=clock.today(), kinds=chosen or None
    )
    return render_case(
        request,
        case_file,
        "casework/timeline.html",
        "case_timeline",
        entries=entries,
        kinds=[(kind, label, kind in chosen) for kind, label in KINDS.items()],
    )
