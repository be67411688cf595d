"""One chronological view of a family: partner records, casework and (registered by
``outcomes``) results. Each source is one query, so the page's query count is fixed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from casework.models import GoalUpdate
from families.models import CaseFile
from families.selectors import family_timeline

from .selectors import members_on, notes_visible_to


@dataclass(frozen=True)
class Entry:
    on: date
    kind: str  # one of KINDS
    title: str
    detail: str = ""
    by: str = ""
    at: datetime | None = None
    sensitive: bool = False

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def sort_key(self) -> tuple[date, time]:
        return (self.on, timezone.localtime(self.at).time() if self.at else time.min)


KINDS = {
    "record": "Partner records",
    "casework": "Casework",
    "note": "Case notes",
    "plan": "Plan",
    "intervention": "Interventions",
    "result": "Results",
}

TimelineSource = Callable[[CaseFile, object], Iterable[Entry]]
_SOURCES: list[tuple[str, TimelineSource]] = []


def register_source(kind: str, source: TimelineSource) -> None:
    """Add entries of ``kind`` to every family's timeline: ``source(case_file, user)`` yields
    them, and is asked only when that kind is shown.

    ``outcomes`` registers the family's results this way (``outcomes.timeline``), as it may
    import ``casework`` and not the other way round. A source makes a fixed number of queries
    whatever the family's size.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown timeline kind {kind!r}.")
    _SOURCES.append((kind, source))


def timeline_for(*, case_file: CaseFile, user, today: date, kinds: set[str] | None = None):
    """The family's entries, newest first, limited to ``kinds`` when given."""
    wanted = kinds or set(KINDS)
    sources = {
        "record": lambda: _partner_records(case_file, today),
        "casework": lambda: _casework(case_file),
        "note": lambda: _notes(case_file, user),
        "plan": lambda: _plan(case_file),
        "intervention": lambda: _interventions(case_file),
    }
    entries: list[Entry] = []
    for kind, read in sources.items():
        if kind in wanted:
            entries.extend(read())
    for kind, source in _SOURCES:
        if kind in wanted:
            entries.extend(source(case_file, user))
    return sorted(entries, key=lambda entry: entry.sort_key, reverse=True)


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _local_day(moment: datetime) -> date:
    return timezone.localdate(moment)


def _partner_records(case_file: CaseFile, today: date) -> Iterator[Entry]:
    """The partner records of the family as it is today (the identification page's list)."""
    household = case_file.household
    people = {p.pk: p for p in members_on(household=household, day=today)}
    for record in family_timeline(household, people):
        yield Entry(record.day, "record", f"{record.title} ({record.who})", record.description)


def _casework(case_file: CaseFile) -> Iterator[Entry]:
    allocations = case_file.allocations.select_related("key_worker", "allocated_by")
    for i, allocation in enumerate(allocations):
        title = "Attached to the programme" if i == 0 else "Reallocated"
        yield Entry(
            allocation.allocated_on,
            "casework",
            f"{title}: key worker {_name(allocation.key_worker)}",
            by=_name(allocation.allocated_by),
        )
    for consent in case_file.consents.select_related(
        "given_by", "recorded_by", "withdrawal_recorded_by"
    ):
        purposes = _consent_purposes(consent)
        yield Entry(
            consent.given_on,
            "casework",
            f"Consent given by {consent.given_by}",
            f"{purposes} ({consent.get_method_display().lower()})",
            by=_name(consent.recorded_by),
        )
        if consent.withdrawn_on:
            yield Entry(
                consent.withdrawn_on,
                "casework",
                f"Consent withdrawn by {consent.given_by}: case paused",
                consent.withdrawal_reason,
                by=_name(consent.withdrawal_recorded_by),
            )
    for assessment in case_file.assessments.select_related("recorded_by"):
        yield Entry(
            assessment.assessed_on,
            "plan",
            "Assessment reviewed" if assessment.reviews_id else "Whole-family assessment",
            assessment.summary,
            by=_name(assessment.recorded_by),
        )
    for closure in case_file.closures.select_related("requested_by", "decided_by"):
        yield Entry(
            _local_day(closure.requested_at),
            "casework",
            f"Closure requested: {closure.get_reason_display().lower()}",
            closure.details,
            by=_name(closure.requested_by),
            at=closure.requested_at,
        )
        if closure.decided_at:
            yield Entry(
                _local_day(closure.decided_at),
                "casework",
                f"Closure {closure.get_decision_display().lower()}",
                closure.decision_note,
                by=_name(closure.decided_by),
                at=closure.decided_at,
            )
    for reopening in case_file.reopenings.select_related("reopened_by"):
        yield Entry(
            _local_day(reopening.reopened_at),
            "casework",
            "Case reopened",
            reopening.reason,
            by=_name(reopening.reopened_by),
            at=reopening.reopened_at,
        )


def _consent_purposes(consent) -> str:
    purposes = []
    if consent.working_together:
        purposes.append("working together")
    if consent.share_information:
        purposes.append(f"sharing information with {consent.named_partners}")
    return "To " + " and ".join(purposes)


def _notes(case_file: CaseFile, user) -> Iterator[Entry]:
    for note in notes_visible_to(user, case_file):
        seen = ", ".join(
            [p.given_name for p in note.people_seen.all()]
            + ([note.others_seen] if note.others_seen else [])
        )
        detail = note.text + "".join(
            f"\n\nAddendum ({_local_day(a.created_at)}, {_name(a.author)}): {a.text}"
            for a in note.addenda.all()
        )
        yield Entry(
            _local_day(note.occurred_at),
            "note",
            f"{note.get_contact_type_display()}" + (f" – saw {seen}" if seen else ""),
            detail,
            by=_name(note.author),
            at=note.occurred_at,
            sensitive=note.is_sensitive,
        )


def _plan(case_file: CaseFile) -> Iterator[Entry]:
    for goal in case_file.goals.select_related("need", "created_by"):
        yield Entry(
            _local_day(goal.created_at),
            "plan",
            f"Goal set ({goal.need.get_domain_display().lower()})",
            f"{goal.what} — {goal.who}, by {goal.due_on}",
            by=_name(goal.created_by),
            at=goal.created_at,
        )
    for update in GoalUpdate.objects.filter(goal__case_file=case_file).select_related(
        "goal", "changed_by"
    ):
        yield Entry(
            _local_day(update.changed_at),
            "plan",
            f"Goal {update.get_status_display().lower()}: {update.goal.what}",
            update.note,
            by=_name(update.changed_by),
            at=update.changed_at,
        )
    for review in case_file.reviews.select_related("recorded_by").prefetch_related("scores"):
        scores = ", ".join(f"{s.get_domain_display()} {s.score}" for s in review.scores.all())
        yield Entry(
            review.held_on,
            "plan",
            "Review meeting",
            "\n".join(filter(None, [review.summary, f"Progress: {scores}" if scores else ""])),
            by=_name(review.recorded_by),
        )


def _interventions(case_file: CaseFile) -> Iterator[Entry]:
    for item in case_file.interventions.select_related("intervention_type", "created_by"):
        yield Entry(
            item.starts_on,
            "intervention",
            f"{item.intervention_type} ({item.get_status_display().lower()})",
            f"{item.provider}, £{item.cost:,.2f}"
            + (f"; ends {item.ends_on}" if item.ends_on else ""),
            by=_name(item.created_by),
        )
