"""The thresholds (linkage.md, "Linking" 2) at their boundaries, with the matcher's own
probabilities: the same files scored twice score the same, so a threshold can be set to
exactly what a source person will score."""

from __future__ import annotations

import math

import pytest
from django.db import transaction

from families import models as fm
from families.linkage.services import linkage_settings_update, source_person_no_match
from tests.families.linkage.helpers import crowd_offences, crowd_people, import_file, write

PEOPLE = (
    "household_ref,person_ref,given_name,family_name,date_of_birth,sex,postcode,upn,nino\n"
    "H1,P1,Ava,Notrealson,1980-01-01,F,ZZ99 1AA,,\n"
    # Her namesake born on 1 October 1980, which a swapped day and month would also give.
    "H2,P2,Ava,Notrealson,1980-10-01,F,ZZ99 2BB,,\n" + crowd_people(60)
)
OFFENCES = (
    "source_person_id,given_name,family_name,date_of_birth,postcode,nino,upn,"
    "source_ref,offence_date,outcome_date,offence_type\n"
    # Ava, who has moved since the council last heard: the postcode disagrees.
    "X1,Ava,Notrealson,1980-01-01,ZZ11 9XX,,,R1,2014-01-01,,theft\n" + crowd_offences(30)
)


@pytest.fixture
def files(db, tmp_path):
    import_file("people", write(tmp_path, "people.csv", PEOPLE))
    return write(tmp_path, "offences.csv", OFFENCES)


def scores(files) -> tuple[float, float]:
    """Ava's best and second-best probability, read from an import that is then undone."""
    with transaction.atomic():
        import_file("offences", files, source="county_police")
        candidates = list(
            fm.LinkCandidate.objects.filter(source_person__source_person_id="X1")
            .order_by("rank")
            .values_list("probability", flat=True)
        )
        transaction.set_rollback(True)
    assert candidates, "the matcher found no candidate for Ava"
    return candidates[0], (candidates[1] if len(candidates) > 1 else 0.0)


def ava(files, *, link: float, review: float, administrator) -> fm.SourcePerson:
    linkage_settings_update(link_threshold=link, review_threshold=review, by=administrator)
    import_file("offences", files, source="county_police")
    return fm.SourcePerson.objects.get(source_person_id="X1")


def below(value: float) -> float:
    return math.nextafter(value, 0.0)


def test_a_best_candidate_exactly_at_the_link_threshold_links(files, administrator):
    best, other = scores(files)

    found = ava(
        files, link=best, review=min(best, max(other, 0.001) * 2), administrator=administrator
    )

    assert (found.status, found.method, found.person.ref) == ("linked", "probabilistic", "P1")
    assert float(found.match_probability) == pytest.approx(best, abs=5e-5)


def test_a_best_candidate_just_below_the_link_threshold_is_a_possible_match(files, administrator):
    best, _ = scores(files)

    found = ava(files, link=math.nextafter(best, 1.0), review=best, administrator=administrator)

    assert (found.status, found.person) == ("possible", None)
    assert found.candidates.get(rank=1).person.ref == "P1"


def test_a_best_candidate_just_below_the_review_threshold_is_unlinked(files, administrator):
    best, _ = scores(files)
    above = math.nextafter(best, 1.0)

    found = ava(files, link=above, review=above, administrator=administrator)

    assert (found.status, found.person) == ("unlinked", None)
    # Its candidates are kept: a data officer searching for it still sees them.
    assert found.candidates.exists()


def test_another_candidate_at_the_review_threshold_holds_a_link_back(files, administrator):
    best, other = scores(files)
    assert 0 < other < best

    found = ava(files, link=below(best), review=other, administrator=administrator)

    assert found.status == "possible"


def test_a_possible_match_marked_no_match_is_never_proposed_that_person_again(
    files, tmp_path, administrator, data_officer
):
    # Nothing links without review: Ava waits as a possible match.
    found = ava(files, link=1.0, review=0.01, administrator=administrator)
    assert found.status == "possible"
    proposed = set(found.candidates.values_list("person__ref", flat=True))
    assert "P1" in proposed

    source_person_no_match(source_person=found, by=data_officer, note="not her")
    # Compared again once people are imported: never with the persons she is not.
    import_file("people", write(tmp_path, "people.csv", PEOPLE))

    found.refresh_from_db()
    assert not set(found.candidates.values_list("person__ref", flat=True)) & proposed
    assert found.status != "linked" or found.person.ref not in proposed
    assert set(fm.NoMatch.objects.values_list("person__ref", flat=True)) == proposed
