"""Reads that the identification pages and their CSV export share.

The identification list reads ``CurrentEligibility`` (one row per household that met anything
in its latest run) and joins what filtering and sorting need — the cohort decision in force,
whether the latest run made the family newly eligible — as set-based SQL, so a page costs the
same handful of queries for 60 households or 150,000. The members' names and postcodes on the
run's as-of day are read afterwards for the rows of the page only (one more query)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.aggregates import StringAgg
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Concat, Replace, Upper
from django.template.defaultfilters import pluralize

from families.dates import age_on
from families.eligibility import ADULT_AGE
from families.exports import guard_cell
from families.identification import RUN_LOCK_KEY
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
    EligibilityRun,
    EmploymentSpell,
    Exclusion,
    Household,
    Membership,
    Offence,
    WorkProgress,
)

# (field on CurrentEligibility, label): the four criteria, in the order of programme-rules.md.
CRITERIA = (
    ("crime_asb", "Crime/ASB"),
    ("education", "Education"),
    ("work", "Work"),
    ("local_discretion", "Local discretion"),
)

UNDECIDED = "undecided"
DECISION_CHOICES = (*CohortDecision.Decision.choices, (UNDECIDED, "Undecided"))

# The list's sort keys. The family reference is always the last key so that pages never
# overlap or skip a family.
SORTS = ("ref", "name", "postcode", "criteria", "since", "decision")
DEFAULT_SORT = "ref"


@dataclass(frozen=True)
class IdentificationFilters:
    criteria: tuple[str, ...] = ()
    # True: eligible only; False: not eligible only; None: both.
    eligible: bool | None = True
    new_only: bool = False
    decisions: tuple[str, ...] = ()
    search: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = False


def latest_run() -> EligibilityRun | None:
    """The latest successful run, full or partial: "new" on the list means new in this one."""
    return (
        EligibilityRun.objects.filter(status=EligibilityRun.Status.SUCCEEDED)
        .order_by("-finished_at", "-id")
        .first()
    )


def members_on_q(day) -> Q:
    """Memberships in force on ``day`` (which may be an ``OuterRef`` inside a subquery)."""
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))


def members_on(day, household=None) -> QuerySet[Membership]:
    memberships = Membership.objects.filter(members_on_q(day))
    if household is not None:
        memberships = memberships.filter(household=household)
    return memberships


def _members_text(expression, name: str) -> Subquery:
    """One text per household: ``expression`` over its members on the row's as-of day."""
    members = members_on(OuterRef("as_of"), OuterRef("household_id"))
    return Subquery(
        members.order_by()
        .values("household_id")
        .annotate(**{name: StringAgg(expression, ", ", distinct=True, order_by=expression)})
        .values(name)
    )


def _members_first(expression) -> Subquery:
    """The first ``expression`` in alphabetical order among the row's members on its day."""
    members = members_on(OuterRef("as_of"), OuterRef("household_id"))
    return Subquery(
        members.order_by().values("household_id").annotate(first=Min(expression)).values("first")
    )


def _sort_key(sort: str):
    # Names and postcodes cost a look at the members of every listed household, so they are
    # computed only when the list is sorted by them.
    keys = {
        "ref": lambda: F("household__ref"),
        "name": lambda: _members_first("person__family_name"),
        "postcode": lambda: _members_first("person__postcode"),
        "criteria": lambda: F("criteria_met"),
        "since": lambda: F("eligible_since"),
        "decision": lambda: F("decision_order"),
    }
    return keys.get(sort, keys[DEFAULT_SORT])()


def _normalised_postcode(expression):
    return Replace(Upper(expression), Value(" "), Value(""))


def _search(text: str) -> Q:
    """A reference, a member's name (given, family or both) or a postcode, any case."""
    people = Membership.objects.annotate(
        full_name=Concat("person__given_name", Value(" "), "person__family_name"),
        postcode=_normalised_postcode("person__postcode"),
    )
    matches = Q(full_name__icontains=text)
    postcode = text.replace(" ", "").upper()
    if postcode:
        matches |= Q(postcode__contains=postcode)
    # Households anyone matching ever belonged to: one uncorrelated subquery that PostgreSQL
    # hashes once. Only those candidates are then checked for membership on the as-of day.
    candidates = people.filter(matches).values("household_id")
    on_the_day = members_on(OuterRef("as_of"), OuterRef("household_id")).filter(
        person__in=people.filter(matches).values("person_id")
    )
    return Q(household__ref__icontains=text) | (Q(household_id__in=candidates) & Exists(on_the_day))


def identification_list(
    filters: IdentificationFilters, run: EligibilityRun | None
) -> QuerySet[CurrentEligibility]:
    """The households of the identification list, filtered, annotated and sorted.

    ``run`` is the latest run (``latest_run()``), passed in so a page asks for it once.
    """
    newly_eligible = EligibilityChange.objects.filter(
        run=run, household=OuterRef("household_id"), change=EligibilityChange.Change.NEWLY_ELIGIBLE
    )
    rows = CurrentEligibility.objects.select_related("household").annotate(
        # At most one decision is current per household (a unique index): a plain outer
        # join, which PostgreSQL hashes, rather than a subquery per row.
        current_decision=FilteredRelation(
            "household__cohort_decisions",
            condition=Q(household__cohort_decisions__is_current=True),
        ),
    )
    rows = rows.annotate(
        ref=F("household__ref"),
        decision=F("current_decision__decision"),
        decided_at=F("current_decision__decided_at"),
        is_new=Exists(newly_eligible) if run is not None else Value(False),
        # Undecided families first: they are the ones a coordinator still has to look at.
        decision_order=Case(
            When(decision__isnull=True, then=Value(0)),
            When(decision=CohortDecision.Decision.CONFIRMED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
    )
    for criterion in filters.criteria:
        rows = rows.filter(**{criterion: True})
    if filters.eligible is not None:
        rows = rows.filter(eligible=filters.eligible)
    if filters.new_only:
        rows = rows.filter(is_new=True) if run is not None else rows.none()
    if filters.decisions:
        chosen = Q(decision__in=[d for d in filters.decisions if d != UNDECIDED])
        if UNDECIDED in filters.decisions:
            chosen |= Q(decision__isnull=True)
        rows = rows.filter(chosen)
    if filters.search:
        rows = rows.filter(_search(filters.search))
    key = _sort_key(filters.sort)
    ordering = key.desc(nulls_last=True) if filters.descending else key.asc(nulls_last=True)
    tie_break = F("household__ref").desc() if filters.descending else F("household__ref").asc()
    return rows.order_by(ordering, tie_break)


EXPORT_HEADER = [
    "family_ref",
    "family_names",
    "postcodes",
    "crime_asb",
    "education",
    "work",
    "local_discretion",
    "criteria_met",
    "eligible",
    "eligible_since",
    "new_in_latest_run",
    "decision",
    "as_of",
    "reasons",
]


def with_member_texts(rows: QuerySet[CurrentEligibility]) -> QuerySet[CurrentEligibility]:
    """``rows`` with each household's members' family names and postcodes, for an export."""
    return rows.annotate(
        family_names=_members_text("person__family_name", "names"),
        postcodes=_members_text("person__postcode", "postcodes"),
    )


def attach_member_texts(rows: list[CurrentEligibility]) -> list[CurrentEligibility]:
    """Set ``family_names`` and ``postcodes`` on the rows of one page, in one query.

    Done after paging rather than as a subquery of the list, so that a deep page does not pay
    for the members of every family before it.
    """
    on_the_day = Q(pk__in=[])
    for day in {row.as_of for row in rows}:
        ids = [row.household_id for row in rows if row.as_of == day]
        on_the_day |= Q(household_id__in=ids) & members_on_q(day)
    texts = {
        found["household_id"]: found
        for found in Membership.objects.filter(on_the_day)
        .order_by()
        .values("household_id")
        .annotate(
            names=StringAgg(
                "person__family_name", ", ", distinct=True, order_by="person__family_name"
            ),
            codes=StringAgg("person__postcode", ", ", distinct=True, order_by="person__postcode"),
        )
    }
    for row in rows:
        found = texts.get(row.household_id, {})
        row.family_names = found.get("names") or ""
        row.postcodes = found.get("codes") or ""
    return rows


def identification_export_rows(rows: QuerySet[CurrentEligibility]) -> Iterator[list[str]]:
    """The CSV of the list: header first, every cell guarded against formula injection."""
    yield EXPORT_HEADER
    fields = [
        "ref",
        "family_names",
        "postcodes",
        "crime_asb",
        "education",
        "work",
        "local_discretion",
        "criteria_met",
        "eligible",
        "eligible_since",
        "is_new",
        "decision",
        "as_of",
        "reasons",
    ]
    # A server-side cursor: 150,000 rows are streamed, never held in memory at once.
    for values in with_member_texts(rows).values_list(*fields).iterator(chunk_size=2000):
        yield [guard_cell(value) for value in values]


# The family page ----------------------------------------------------------------------------


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

    def add(day, kind, title, who, description=""):
        entries.append(TimelineEntry(day, kind, title, who, description))

    def member(record) -> str:
        return _name(people[record.person_id]) if record.person_id else "Household"

    if group in (None, "education"):
        for a in Attendance.objects.filter(person_id__in=ids):
            share = (
                a.unauthorised_sessions * 100 / a.possible_sessions if a.possible_sessions else 0
            )
            add(
                a.term_end,
                "attendance",
                f"Attendance, {a.get_term_display().lower()} term {a.academic_year}",
                member(a),
                f"{a.unauthorised_sessions} of {a.possible_sessions} sessions unauthorised "
                f"absence ({share:.1f}%)",
            )
        for x in Exclusion.objects.filter(person_id__in=ids):
            sessions = (
                f"{x.sessions} session{pluralize(x.sessions)}" if x.sessions is not None else ""
            )
            title = f"{x.get_exclusion_type_display()} exclusion"
            add(x.start_date, "exclusion", title, member(x), sessions)
        for e in EducationStatus.objects.filter(person_id__in=ids):
            add(
                e.start_date,
                "education_status",
                f"{e.get_status_display()} (reason: {e.get_reason_display().lower()})",
                member(e),
                _spell(e.start_date, e.end_date, "still so"),
            )
    if group in (None, "crime"):
        for o in Offence.objects.filter(person_id__in=ids):
            proven = f"Proven on {_day(o.outcome_date)}" if o.outcome_date else "Not proven yet"
            add(
                o.offence_date,
                "offence",
                f"Offence: {o.offence_type or 'type not given'}",
                member(o),
                f"{proven}. Police reference {o.source_ref}.",
            )
        for e in AsbEvent.objects.filter(Q(person_id__in=ids) | Q(household=household)):
            add(
                e.event_date,
                "asb",
                e.get_event_type_display(),
                member(e),
                f"Reference {e.source_ref}.",
            )
    if group in (None, "work"):
        for b in BenefitSpell.objects.filter(person_id__in=ids):
            spell = _spell(b.start_date, b.end_date, "still claiming")
            add(b.start_date, "benefit", b.get_benefit_display(), member(b), spell)
        for j in EmploymentSpell.objects.filter(person_id__in=ids):
            spell = _spell(j.start_date, j.end_date, "still employed")
            add(j.start_date, "employment", "Employment", member(j), spell)
        for w in WorkProgress.objects.filter(person_id__in=ids):
            title = f"Attached to {w.get_provision_display()}"
            add(w.attached_date, "work_progress", title, member(w))
    if group in (None, "concerns"):
        for c in Concern.objects.filter(Q(person_id__in=ids) | Q(household=household)):
            title = f"Concern: {c.get_concern_display().lower()}"
            add(
                c.start_date,
                "concern",
                title,
                member(c),
                _spell(c.start_date, c.end_date, "ongoing"),
            )
    entries.sort(key=lambda e: (e.day, e.kind, e.who), reverse=True)
    return entries


# Eligibility runs -------------------------------------------------------------------------


def run_changes(run: EligibilityRun, change: str | None) -> QuerySet[EligibilityChange]:
    changes = EligibilityChange.objects.filter(run=run).select_related("household")
    if change:
        changes = changes.filter(change=change)
    return changes.order_by("household__ref")


def recalculation_running() -> bool:
    """Whether a run holds the recalculation lock now, read from pg_locks without taking it."""
    # A one-argument bigint advisory lock shows as (classid, objid) = (high, low) 32 bits.
    high, low = RUN_LOCK_KEY >> 32, RUN_LOCK_KEY & 0xFFFFFFFF
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid = %s AND objid = %s AND objsubid = 1)",
            [high, low],
        )
        return cursor.fetchone()[0]


def requested_run(*, after: int, user) -> EligibilityRun | None:
    """The run a "Recalculate now" by ``user`` started, once it has started."""
    return (
        EligibilityRun.objects.filter(id__gt=after, started_by=user, trigger="button")
        .order_by("id")
        .first()
    )
