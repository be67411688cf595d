"""The identification list and its CSV export.

The list reads ``CurrentEligibility`` (one row per household that met anything in its latest
run) and joins what filtering and sorting need — the cohort decision in force, whether the
latest run made the family newly eligible — as set-based SQL, so a page costs the same handful
of queries for 60 households or 150,000. The members' names and postcodes on the run's as-of
day are written onto ``CurrentEligibility`` by the run, so sorting and searching by them reads
one indexed table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import (
    Case,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Replace, Upper

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


def _sort_key(sort: str):
    keys = {
        "ref": "household__ref",
        "name": "family_names",
        "postcode": "postcodes",
        "criteria": "criteria_met",
        "since": "eligible_since",
        "decision": "decision_order",
    }
    return F(keys.get(sort, keys[DEFAULT_SORT]))


def _search(text: str) -> Q:
    """A reference, a member's name (given, family or both) or a postcode, any case."""
    matches = Q(household__ref__icontains=text) | Q(member_names__icontains=text)
    postcode = text.replace(" ", "").upper()
    if postcode:
        matches |= Q(postcodes_compact__contains=postcode)
    return matches


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
        rows = rows.annotate(
            postcodes_compact=Replace(
                Upper("postcodes"), Value(" "), Value(""), output_field=TextField()
            )
        ).filter(_search(filters.search))
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
        "decision_words",
        "as_of",
        "reasons",
    ]
    # The decision in words ("Not proceeding"), as the list shows it, not its code.
    rows = rows.annotate(
        decision_words=Case(
            *(When(decision=value, then=Value(label)) for value, label in DECISION_CHOICES),
            default=Value("Undecided"),
        )
    )
    # A server-side cursor: 150,000 rows are streamed, never held in memory at once.
    yield from rows.values_list(*fields).iterator(chunk_size=2000)
