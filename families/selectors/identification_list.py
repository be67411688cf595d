"""The identification list and its CSV export.

The list reads ``CurrentEligibility`` (one row per household that met anything in its latest
run) and joins what filtering and sorting need — the cohort decision in force, whether the
latest run made the family newly eligible — as set-based SQL, so a page costs the same handful
of queries for 60 households or 150,000. The members' names and postcodes on the run's as-of
day are read afterwards for the rows of the page only (one more query).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.postgres.aggregates import StringAgg
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

from families.models import (
    CohortDecision,
    CurrentEligibility,
    EligibilityChange,
    EligibilityRun,
    Membership,
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


def identification_export_rows(rows: QuerySet[CurrentEligibility]) -> Iterator[tuple]:
    """The rows of the list's CSV (``EXPORT_HEADER``), every family on every page."""
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
    yield from with_member_texts(rows).values_list(*fields).iterator(chunk_size=2000)
