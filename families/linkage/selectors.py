"""Reads of linkage that pages, exports and commands share."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Collate

from families.models import (
    AsbEvent,
    Attendance,
    BenefitSpell,
    CaseFile,
    Concern,
    EducationStatus,
    EmploymentSpell,
    Exclusion,
    Household,
    LinkCandidate,
    LinkEvent,
    LinkStatus,
    Membership,
    Offence,
    Person,
    SourcePerson,
    WorkProgress,
)

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


# --- the review queue, most consequential first -------------------------------------------

# Which criterion a kind of record can count towards (programme-rules.md); employment and
# progress to work only ever change results.
CRITERION_TABLES = {
    "crime_asb": ("families_offence", "families_asbevent"),
    "education": ("families_exclusion", "families_attendance", "families_educationstatus"),
    "work": ("families_benefitspell",),
    "local_discretion": ("families_concern",),
}
CRITERION_WORDS = {
    "crime_asb": "crime/ASB",
    "education": "education",
    "work": "work",
    "local_discretion": "local discretion",
}


def _has_records(tables: tuple[str, ...]) -> str:
    return " OR ".join(
        f"EXISTS (SELECT FROM {table} r WHERE r.source_person_id = q.id)" for table in tables
    )


_NEW_CRITERIA = ", ".join(
    f"CASE WHEN adds_{c} AND NOT has_{c} THEN '{c}' END" for c in CRITERION_TABLES
)

_QUEUE = f"""
WITH queue AS MATERIALIZED (
    SELECT sp.id, best.probability, m.household_id
    FROM families_sourceperson sp
    JOIN families_linkcandidate best ON best.source_person_id = sp.id AND best.rank = 1
    LEFT JOIN families_membership m ON m.person_id = best.person_id AND m.valid_to IS NULL
    WHERE sp.status = %(possible)s AND (%(source)s::text IS NULL OR sp.source = %(source)s)
), adds AS (
    SELECT q.*,
           {", ".join(f"({_has_records(t)}) AS adds_{c}" for c, t in CRITERION_TABLES.items())}
    FROM queue q
), picture AS (
    SELECT a.*, coalesce(ce.eligible, false) AS eligible_now,
           cf.id IS NOT NULL AND cf.status <> %(closed)s AS in_programme,
           {", ".join(f"coalesce(ce.{c}, false) AS has_{c}" for c in CRITERION_TABLES)}
    FROM adds a
    LEFT JOIN families_currenteligibility ce ON ce.household_id = a.household_id
    LEFT JOIN families_casefile cf ON cf.household_id = a.household_id
), scored AS (
    SELECT j.*,
           (j.has_crime_asb OR j.adds_crime_asb)::int + (j.has_education OR j.adds_education)::int
           + (j.has_work OR j.adds_work)::int AS national_after,
           j.has_local_discretion OR j.adds_local_discretion AS discretion_after
    FROM picture j
)
SELECT id, household_id, probability, makes_eligible, in_programme, new_criteria
FROM (
    SELECT s.*,
           NOT eligible_now AND (national_after = 3 OR (national_after = 2 AND discretion_after))
               AS makes_eligible,
           ARRAY_REMOVE(ARRAY[{_NEW_CRITERIA}], NULL) AS new_criteria
    FROM scored s
) judged
ORDER BY makes_eligible DESC, in_programme DESC, cardinality(new_criteria) DESC,
         probability DESC, id
LIMIT %(limit)s OFFSET %(offset)s
"""


@dataclass(frozen=True)
class QueueEntry:
    """A possible match and what linking it to its best candidate would change."""

    source_person: SourcePerson
    best: LinkCandidate
    household: Household | None
    makes_eligible: bool
    in_programme: bool
    new_criteria: list[str]

    @property
    def changes(self) -> list[str]:
        """In words, for the queue: "would make H00123 eligible", "would add crime/ASB"."""
        if self.household is None:
            return []
        ref = self.household.ref
        words = []
        if self.makes_eligible:
            words.append(f"would make {ref} eligible")
        if self.new_criteria:
            met = " and ".join(CRITERION_WORDS[c] for c in self.new_criteria)
            words.append(f"would make {ref} meet {met}")
        if self.in_programme:
            words.append(f"{ref} is in the programme: its results may change")
        return words


def review_queue(
    *, source: str | None = None, limit: int = 50, offset: int = 0
) -> list[QueueEntry]:
    """Possible matches, those whose link would change most first: one that would make a
    family eligible, then one whose family is in the programme (its results may change),
    then one that adds criteria, each by best match probability. The eligibility judged is
    the current picture's; "would make eligible" assumes the records fall within the rules'
    periods, which the next recalculation decides. Four queries whatever the length."""
    with connection.cursor() as cursor:
        cursor.execute(
            _QUEUE,
            {
                "possible": LinkStatus.POSSIBLE,
                "closed": CaseFile.Status.CLOSED,
                "source": source,
                "limit": limit,
                "offset": offset,
            },
        )
        rows = cursor.fetchall()
    ids = [row[0] for row in rows]
    source_persons = SourcePerson.objects.in_bulk(ids)
    bests = {
        candidate.source_person_id: candidate
        for candidate in LinkCandidate.objects.select_related("person").filter(
            source_person_id__in=ids, rank=1
        )
    }
    households = Household.objects.in_bulk([row[1] for row in rows if row[1] is not None])
    return [
        QueueEntry(
            source_person=source_persons[pk],
            best=bests[pk],
            household=households.get(household_id),
            makes_eligible=makes_eligible,
            in_programme=in_programme,
            new_criteria=list(new_criteria),
        )
        for pk, household_id, _, makes_eligible, in_programme, new_criteria in rows
    ]


RECORD_MODELS = (
    Attendance,
    Exclusion,
    EducationStatus,
    Offence,
    AsbEvent,
    BenefitSpell,
    EmploymentSpell,
    WorkProgress,
    Concern,
)


def source_person_records(*, source_person: SourcePerson) -> dict[str, list]:
    """The records that move with a link ("records that would move"), by kind (verbose
    name plural), kinds without records left out: one query per record table."""
    found = {}
    for model in RECORD_MODELS:
        records = list(model.objects.filter(source_person=source_person).order_by("pk"))
        if records:
            found[str(model._meta.verbose_name_plural)] = records
    return found


def person_search(text: str, *, limit: int) -> list[Person]:
    """People of the index by reference (exactly) or by name (every word in the given or
    family name), for linking a partner's person by hand; at most ``limit``, with their
    current household."""
    words = text.split()
    people = Person.objects.all()
    if len(words) == 1 and Person.objects.filter(ref__iexact=words[0]).exists():
        people = people.filter(ref__iexact=words[0])
    else:
        for word in words:
            people = people.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    return list(
        people.prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(valid_to__isnull=True).select_related(
                    "household"
                ),
                to_attr="open_memberships",
            )
        ).order_by("family_name", "given_name", "date_of_birth", "ref")[:limit]
    )
