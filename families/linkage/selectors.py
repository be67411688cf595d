"""Reads of linkage that pages, exports and commands share."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.db.models.functions import Collate

from families.models import LinkCandidate, LinkEvent, LinkStatus, SourcePerson

LINK_EXPORT_HEADER = [
    "source",
    "source_person_id",
    "status",
    "person_ref",
    "method",
    "match_probability",
    "decided_by",
]


def link_export_rows() -> Iterator[tuple[str, ...]]:
    """One row per source person, sorted by source then source_person_id (linkage.md)."""
    rows = (
        SourcePerson.objects.order_by(Collate("source", "C"), Collate("source_person_id", "C"))
        .values_list(
            "source",
            "source_person_id",
            "status",
            "person__ref",
            "method",
            "match_probability",
            "decided_by__username",
        )
        .iterator(chunk_size=5000)
    )
    for source, source_person_id, status, person_ref, method, probability, decided_by in rows:
        yield (
            source,
            source_person_id,
            status,
            person_ref or "",
            method,
            "" if probability is None else f"{probability:.4f}",
            decided_by or "",
        )


@dataclass(frozen=True)
class SourceCounts:
    source: str
    linked_by_method: dict[str, int]
    possible: int
    unlinked: int

    @property
    def linked(self) -> int:
        return sum(self.linked_by_method.values())

    @property
    def total(self) -> int:
        return self.linked + self.possible + self.unlinked


def link_counts() -> list[SourceCounts]:
    """Per source: how many source persons are linked (by method), possible, unlinked."""
    found: dict[str, dict] = {}
    rows = (
        SourcePerson.objects.values_list("source", "status", "method")
        .annotate(n=Count("id"))
        .order_by("source", "status", "method")
    )
    for source, status, method, n in rows:
        counts = found.setdefault(source, {"linked": {}, "possible": 0, "unlinked": 0})
        if status == LinkStatus.LINKED:
            counts["linked"][method] = n
        else:
            counts[status] += n
    return [
        SourceCounts(source, counts["linked"], counts["possible"], counts["unlinked"])
        for source, counts in sorted(found.items())
    ]


def source_person_detail(*, source: str, source_person_id: str) -> SourcePerson | None:
    """A source person with its linked person, its candidates (best first, with their
    persons) and its history (oldest first, with who decided), in four queries."""
    return (
        SourcePerson.objects.select_related("person", "decided_by")
        .prefetch_related(
            Prefetch(
                "candidates",
                queryset=LinkCandidate.objects.select_related("person").order_by("rank"),
            ),
            Prefetch(
                "events",
                queryset=LinkEvent.objects.select_related(
                    "by", "from_person", "to_person"
                ).order_by("at", "id"),
            ),
        )
        .filter(source=source, source_person_id=source_person_id)
        .first()
    )
