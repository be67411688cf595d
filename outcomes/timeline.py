"""The family's results on its case-file timeline, registered in ``OutcomesConfig.ready``:
``casework`` knows nothing of results, so outcomes adds them to its timeline."""

from __future__ import annotations

from collections.abc import Iterator

from casework.timeline import Entry
from families.models import CaseFile
from outcomes.models import FirstAchieved, ResultType


def result_entries(case_file: CaseFile, user) -> Iterator[Entry]:
    """Each result the family has achieved, on the claim day a results run first found it
    (one query). Whoever may see the timeline may see these: results hold no case notes."""
    achieved = FirstAchieved.objects.filter(household_id=case_file.household_id).select_related(
        "run"
    )
    for first in achieved.order_by("first_achieved_on", "result"):
        yield Entry(
            first.first_achieved_on,
            "result",
            f"Result achieved: {ResultType(first.result).label}",
            f"Found by the results run as of {first.run.as_of:%-d %B %Y}",
        )
