"""What the linking pages read: counts per source, the review queue in the order of what a
decision would change, a source person with its records."""

from __future__ import annotations

from families.linkage.selectors import (
    link_counts,
    review_queue,
    source_person_detail,
    source_person_records,
)
from tests.factories import (
    CaseFileFactory,
    CurrentEligibilityFactory,
    HouseholdFactory,
    LinkCandidateFactory,
    OffenceFactory,
    PersonFactory,
    SourcePersonFactory,
)


def possible(person, *, probability: float, offences: int = 0):
    """A possible match to ``person``, with its offences (which count for nobody yet)."""
    candidate = LinkCandidateFactory(person=person, probability=probability)
    for _ in range(offences):
        OffenceFactory(person=None, source_person=candidate.source_person)
    return candidate.source_person


def test_counts_by_status_and_method_per_source(db):
    person = PersonFactory()
    SourcePersonFactory(source="dwp", status="linked", person=person, method="nino")
    SourcePersonFactory(source="dwp", status="linked", person=person, method="probabilistic")
    SourcePersonFactory(source="dwp", status="possible")
    SourcePersonFactory(source="county_police")

    police, dwp = link_counts()

    assert (dwp.source, dwp.linked_by_method, dwp.possible, dwp.unlinked) == (
        "dwp",
        {"nino": 1, "probabilistic": 1},
        1,
        0,
    )
    assert (police.source, police.linked, police.unlinked, police.total) == (
        "county_police",
        0,
        1,
        1,
    )


def test_the_queue_puts_a_link_that_would_make_a_family_eligible_first(db):
    # Out of work, with a concern: an offence would make it eligible.
    nearly = HouseholdFactory(ref="H00001")
    CurrentEligibilityFactory(
        household=nearly, crime_asb=False, education=False, work=True, local_discretion=True
    )
    in_programme = HouseholdFactory(ref="H00002")
    CaseFileFactory(household=in_programme)
    plain = HouseholdFactory(ref="H00003")

    low_but_decisive = possible(PersonFactory(household=nearly), probability=0.6, offences=1)
    programme = possible(PersonFactory(household=in_programme), probability=0.7, offences=1)
    likeliest = possible(PersonFactory(household=plain), probability=0.9, offences=1)
    nothing_new = possible(PersonFactory(household=plain), probability=0.95)

    queue = review_queue()

    assert [entry.source_person for entry in queue] == [
        low_but_decisive,
        programme,
        likeliest,
        nothing_new,
    ]
    assert queue[0].changes == [
        "would make H00001 eligible",
        "would make H00001 meet crime/ASB",
    ]
    assert queue[3].changes == []


def test_the_queue_reads_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    for _ in range(5):
        possible(PersonFactory(), probability=0.7, offences=2)

    with django_assert_max_num_queries(4):
        entries = review_queue()
        [entry.best.person.ref for entry in entries]

    assert len(entries) == 5


def test_a_source_person_with_its_candidates_history_and_records(db):
    source_person = possible(PersonFactory(), probability=0.7, offences=2)
    LinkCandidateFactory(source_person=source_person, rank=2, probability=0.4)

    found = source_person_detail(
        source=source_person.source, source_person_id=source_person.source_person_id
    )

    assert [c.rank for c in found.candidates.all()] == [1, 2]
    records = source_person_records(source_person=found)
    assert list(records) == ["offences"]
    assert len(records["offences"]) == 2
