"""The identification page of one family: members, records on a timeline, history, decisions."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from django.db.models import OuterRef, Q, Subquery
from django.template.defaultfilters import pluralize

from families.dates import age_on
from families.models import (
    AsbEvent,
    Attendance,
    BenefitSpell,
    CohortDecision,
    Concern,
    CurrentEligibility,
    EducationStatus,
    EligibilityChange,
    EligibilityResult,
    EmploymentSpell,
    Exclusion,
    Household,
    Offence,
    SourcePerson,
    WorkProgress,
)
from families.programme import ADULT_AGE
from families.selectors.identification_list import CRITERIA, latest_run, members_on


@dataclass(frozen=True)
class Member:
    person_ref: str
    name: str
    date_of_birth: date
    age: int
    postcode: str

    @property
    def role(self) -> str:
        return "Adult" if self.age >= ADULT_AGE else "Child"


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    kind: str
    title: str
    who: str
    description: str
    # For a record from a file that named people by the partner's own id: the partner's
    # person it came with, whose link makes it count for this family.
    source_person: SourcePerson | None = None


@dataclass
class FamilyIdentification:
    household: Household
    as_of: date | None
    current: CurrentEligibility | None
    members: list[Member]
    timeline: list[TimelineEntry]
    history: list[EligibilityChange]
    decisions: list[CohortDecision]
    current_decision: CohortDecision | None = field(default=None)

    @property
    def criteria(self) -> list[tuple[str, bool]]:
        if self.current is None:
            return []
        return [(label, getattr(self.current, name)) for name, label in CRITERIA]


def family_identification(
    household: Household, *, today: date, records: str | None = None
) -> FamilyIdentification:
    """Everything the identification family page shows, in a fixed number of queries.

    The family is read as of its latest assessment's day, or of the latest run's when it met
    nothing then, or of ``today`` before any run at all.
    """
    current = CurrentEligibility.objects.select_related("run").filter(household=household).first()
    if current is not None:
        as_of = current.as_of
    else:
        run = latest_run()
        as_of = run.as_of if run is not None else today
    memberships = list(members_on(as_of, household).select_related("person"))
    people = {m.person_id: m.person for m in memberships}
    members = sorted(
        (
            Member(
                person_ref=p.ref,
                name=f"{p.given_name} {p.family_name}",
                date_of_birth=p.date_of_birth,
                age=age_on(p.date_of_birth, as_of),
                postcode=p.postcode,
            )
            for p in people.values()
        ),
        key=lambda m: (-m.age, m.name),
    )
    decisions = list(
        CohortDecision.objects.filter(household=household).select_related("decided_by")
    )
    return FamilyIdentification(
        household=household,
        as_of=as_of,
        current=current,
        members=members,
        timeline=family_timeline(household, people, records),
        history=eligibility_history(household),
        decisions=decisions,
        current_decision=next((d for d in decisions if d.is_current), None),
    )


def eligibility_history(household: Household) -> list[EligibilityChange]:
    """Each change a run made to the family, newest first, with that run's reasons."""
    reasons = EligibilityResult.objects.filter(run=OuterRef("run"), household=household)
    return list(
        EligibilityChange.objects.filter(household=household)
        .select_related("run")
        .annotate(reasons=Subquery(reasons.values("reasons")[:1]))
        .order_by("-run__started_at", "-run_id")
    )


def _name(person) -> str:
    return f"{person.given_name} {person.family_name}"


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _offence_outcome(offence: Offence) -> str:
    if offence.outcome_type == Offence.Outcome.COMMUNITY_RESOLUTION:
        on = f" on {_day(offence.outcome_date)}" if offence.outcome_date else ""
        return f"Community resolution{on}: not a proven offence, so it counts towards nothing"
    if not offence.outcome_date:
        return "Not proven yet"
    how = f" ({offence.get_outcome_type_display().lower()})" if offence.outcome_type else ""
    return f"Proven on {_day(offence.outcome_date)}{how}"


def _spell(start: date, end: date | None, open_text: str) -> str:
    return f"From {_day(start)} to {_day(end)}" if end else f"From {_day(start)}, {open_text}"


# The timeline can be narrowed to one group of record kinds: (value, label).
RECORD_GROUPS = (
    ("education", "Education"),
    ("crime", "Crime and ASB"),
    ("work", "Work and benefits"),
    ("concerns", "Concerns"),
)


def family_timeline(
    household: Household, people: dict, group: str | None = None
) -> list[TimelineEntry]:
    """Every partner record of the household and of ``people`` (its members), newest first,
    or only those of one of ``RECORD_GROUPS``.

    One query per kind of record: the number of queries does not depend on the family.
    """
    ids = list(people)
    entries: list[TimelineEntry] = []
    # (entry index, source person id): records that came with a partner's person.
    linked: list[tuple[int, int]] = []

    def add(day, kind, title, record, description=""):
        who = _name(people[record.person_id]) if record.person_id else "Household"
        entries.append(TimelineEntry(day, kind, title, who, description))
        if record.source_person_id:
            linked.append((len(entries) - 1, record.source_person_id))

    if group in (None, "education"):
        for a in Attendance.objects.filter(person_id__in=ids):
            share = (
                a.unauthorised_sessions * 100 / a.possible_sessions if a.possible_sessions else 0
            )
            add(
                a.term_end,
                "attendance",
                f"Attendance, {a.get_term_display().lower()} term {a.academic_year}",
                a,
                f"{a.unauthorised_sessions} of {a.possible_sessions} sessions unauthorised "
                f"absence ({share:.1f}%)",
            )
        for x in Exclusion.objects.filter(person_id__in=ids):
            sessions = (
                f"{x.sessions} session{pluralize(x.sessions)}" if x.sessions is not None else ""
            )
            title = f"{x.get_exclusion_type_display()} exclusion"
            add(x.start_date, "exclusion", title, x, sessions)
        for e in EducationStatus.objects.filter(person_id__in=ids):
            add(
                e.start_date,
                "education_status",
                f"{e.get_status_display()} (reason: {e.get_reason_display().lower()})",
                e,
                _spell(e.start_date, e.end_date, "still so"),
            )
    if group in (None, "crime"):
        for o in Offence.objects.filter(person_id__in=ids):
            proven = _offence_outcome(o)
            add(
                o.offence_date,
                "offence",
                f"Offence: {o.offence_type or 'type not given'}",
                o,
                f"{proven}. Police reference {o.source_ref}.",
            )
        for e in AsbEvent.objects.filter(Q(person_id__in=ids) | Q(household=household)):
            add(
                e.event_date,
                "asb",
                e.get_event_type_display(),
                e,
                f"Reference {e.source_ref}.",
            )
    if group in (None, "work"):
        for b in BenefitSpell.objects.filter(person_id__in=ids):
            spell = _spell(b.start_date, b.end_date, "still claiming")
            add(b.start_date, "benefit", b.get_benefit_display(), b, spell)
        for j in EmploymentSpell.objects.filter(person_id__in=ids):
            spell = _spell(j.start_date, j.end_date, "still employed")
            add(j.start_date, "employment", "Employment", j, spell)
        for w in WorkProgress.objects.filter(person_id__in=ids):
            title = f"Attached to {w.get_provision_display()}"
            add(w.attached_date, "work_progress", title, w)
    if group in (None, "concerns"):
        for c in Concern.objects.filter(Q(person_id__in=ids) | Q(household=household)):
            title = f"Concern: {c.get_concern_display().lower()}"
            add(
                c.start_date,
                "concern",
                title,
                c,
                _spell(c.start_date, c.end_date, "ongoing"),
            )
    if linked:
        # One query for every linked record's partner person, whatever the family.
        found = SourcePerson.objects.in_bulk({pk for _, pk in linked})
        for index, pk in linked:
            entries[index] = replace(entries[index], source_person=found[pk])
    entries.sort(key=lambda e: (e.day, e.kind, e.who), reverse=True)
    return entries
