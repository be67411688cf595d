"""Data freshness: the last import of each kind of partner extract, and the last eligibility
and results runs, so a reader knows how old the figures are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.utils import timezone

from families.models import EligibilityRun, ImportBatch, ImportKind
from outcomes.models import ResultsRun


@dataclass(frozen=True)
class KindFreshness:
    kind: str
    label: str
    # The latest attempt whatever became of it, annotated with the latest that succeeded.
    latest: ImportBatch | None
    # Days since the latest successful import finished.
    days_ago: int | None

    @property
    def latest_failed(self) -> bool:
        return self.latest is not None and self.latest.status in (
            ImportBatch.Status.REJECTED,
            ImportBatch.Status.FAILED,
        )


def imports_by_kind(*, today: date) -> list[KindFreshness]:
    """Every kind of extract with its latest import, annotated with the latest successful one
    (``succeeded_at``, ``succeeded_as_of``). One query."""
    succeeded = ImportBatch.objects.filter(
        kind=OuterRef("kind"), status=ImportBatch.Status.SUCCEEDED
    ).order_by("-finished_at", "-id")
    latest = {
        batch.kind: batch
        for batch in ImportBatch.objects.order_by("kind", "-started_at", "-id")
        .distinct("kind")
        .annotate(
            succeeded_at=Subquery(succeeded.values("finished_at")[:1]),
            succeeded_as_of=Subquery(succeeded.values("as_of")[:1]),
        )
        .defer("errors")
    }
    found = []
    for kind in ImportKind:
        batch = latest.get(kind.value)
        finished = batch.succeeded_at if batch else None
        days = (today - timezone.localdate(finished)).days if finished else None
        found.append(KindFreshness(kind.value, kind.label, batch, days))
    return found


@dataclass(frozen=True)
class RunFreshness:
    # The latest run whatever its state, and the successful one the pages show.
    latest: EligibilityRun | ResultsRun | None
    current: EligibilityRun | ResultsRun | None


def _latest_and_current(runs: QuerySet, current_order: tuple[str, ...]) -> RunFreshness:
    """The latest run and the current successful one, in one query."""
    latest = runs.order_by("-started_at", "-id").annotate(is_latest=Value(True))[:1]
    current = (
        runs.filter(status="succeeded").order_by(*current_order).annotate(is_latest=Value(False))
    )[:1]
    found = list(latest.union(current, all=True))
    return RunFreshness(
        latest=next((run for run in found if run.is_latest), None),
        current=next((run for run in found if not run.is_latest), None),
    )


def eligibility_runs() -> RunFreshness:
    return _latest_and_current(EligibilityRun.objects.all(), ("-started_at", "-id"))


def results_runs() -> RunFreshness:
    """The current results run is the one ``outcomes.selectors.current_run`` picks."""
    return _latest_and_current(ResultsRun.objects.all(), ("-as_of", "-finished_at", "-id"))
