"""The probabilistic matcher: a model trained on the records it links finds the right person
through the slips partners make, and never merges the people who only look alike."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)
import pytest

from families.linkage.probabilistic import FIELDS, score_candidates

GIVEN = {
    "M": ["Oliver", "Jack", "Harry", "William", "Robert", "Thomas", "James", "Noah", "Leo",
          "George", "Arthur", "Oscar", "Henry", "Archie", "Freddie", "Theo", "Lucas", "Ethan",
          "Isaac", "Joshua", "Samuel", "Daniel", "Max", "Logan", "Reuben", "Jude", "Albert"],
    "F": ["Amelia", "Olivia", "Isla", "Elizabeth", "Margaret", "Ava", "Mia", "Poppy", "Ruby",
          "Grace", "Lily", "Emily", "Freya", "Evie", "Sophie", "Daisy", "Phoebe", "Florence",
          "Alice", "Matilda", "Sienna", "Harper", "Willow", "Esme", "Imogen", "Ivy", "Rosie"],
}  # fmt: skip
SHORT = {"William": "Bill", "Robert": "Bob", "Elizabeth": "Liz", "Margaret": "Maggie",
         "Thomas": "Tom", "James": "Jim", "Samuel": "Sam", "Daniel": "Danny"}  # fmt: skip
STEMS = ["Notreal", "Fake", "Sample", "Testing", "Mock", "Dummy", "Example", "Fiction",
         "Madeup", "Pretend", "Unreal", "Invent", "Story", "Fable", "Myth", "Tale"]  # fmt: skip
ENDINGS = ["son", "worth", "ford", "ley", "by", "well", "ham", "field", "ton", "er", "wick",
           "more", "dale", "croft", "hurst", "stone"]  # fmt: skip
FAMILIES = [stem + ending for stem in STEMS for ending in ENDINGS]


@dataclass(frozen=True)
class Record:
    id: int
    given_name: str
    family_name: str
    date_of_birth: date
    postcode: str


def table(records) -> pa.Table:
    return pa.table(
        {
            "id": pa.array([r.id for r in records], pa.int64()),
            "given_name": [r.given_name for r in records],
            "family_name": [r.family_name for r in records],
            "date_of_birth": pa.array([r.date_of_birth for r in records], pa.date32()),
            "postcode": [r.postcode for r in records],
        }
    )


def population(rng: random.Random, households: int) -> list[Record]:
    people = []
    for number in range(households):
        family = rng.choice(FAMILIES)
        postcode = f"ZZ{rng.randint(1, 9)} {rng.randint(0, 9)}{rng.choice('ABDEFGHJ')}" + (
            rng.choice("LNPQRSTU")
        )
        for _ in range(rng.randint(1, 5)):
            sex = rng.choice("FM")
            born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 60 * 365))
            people.append(Record(len(people) + 1, rng.choice(GIVEN[sex]), family, born, postcode))
        del number
    return people


def as_partner_wrote(rng: random.Random, person: Record, source_id: int) -> Record:
    """The partner's copy: mostly exact, sometimes with one of the usual slips."""
    record = replace(person, id=source_id)
    roll = rng.random()
    if roll < 0.06 and person.given_name in SHORT:
        return replace(record, given_name=SHORT[person.given_name])
    if roll < 0.10 and person.date_of_birth.day <= 12:
        born = person.date_of_birth
        return replace(record, date_of_birth=born.replace(month=born.day, day=born.month))
    if roll < 0.18:
        return replace(record, postcode=f"ZZ{rng.randint(1, 9)} 5XX")
    if roll < 0.22:
        name = record.family_name
        return replace(record, family_name=name[:3] + name[4] + name[3] + name[5:])
    return record


# The people the tests are about, beside a population that gives the model data to learn on.
TWIN_JACK = Record(900001, "Jack", "Fablestone", date(2004, 3, 9), "ZZ4 2PQ")
TWIN_OSCAR = Record(900002, "Oscar", "Fablestone", date(2004, 3, 9), "ZZ4 2PQ")
FATHER = Record(900003, "Albert", "Mythcroft", date(1968, 10, 2), "ZZ2 7TT")
SON = Record(900004, "Albert", "Mythcroft", date(1999, 5, 17), "ZZ2 7TT")
WILLIAM = Record(900005, "William", "Inventhurst", date(1981, 8, 30), "ZZ6 1LN")
SWAPPED = Record(900006, "Matilda", "Storywick", date(1990, 4, 7), "ZZ8 3RS")


@pytest.fixture(scope="module")
def linked():
    rng = random.Random(17)
    people = population(rng, 1500)
    people += [TWIN_JACK, TWIN_OSCAR, FATHER, SON, WILLIAM, SWAPPED]
    partner = [
        as_partner_wrote(rng, person, 500_000 + index)
        for index, person in enumerate(rng.sample(people[:-6], 900))
    ]
    partner += [
        replace(TWIN_JACK, id=1),
        replace(SON, id=2),
        replace(WILLIAM, id=3, given_name="Bill"),
        replace(SWAPPED, id=4, date_of_birth=date(1990, 7, 4)),
        Record(5, "Zebedee", "Quixotely", date(1977, 1, 23), "ZZ1 9ZZ"),
        replace(TWIN_OSCAR, id=6),
    ]
    scored = score_candidates(
        source_persons=table(partner),
        people=table(people),
        exclude_pairs=pa.table(
            {"source_person_id": pa.array([6], pa.int64()), "person_id": [TWIN_OSCAR.id]}
        ),
    )
    return scored, table(partner), table(people)


def candidates_of(scored, source_person_id: int) -> list[dict]:
    return [
        row for row in scored.candidates.to_pylist() if row["source_person_id"] == source_person_id
    ]


def test_a_twin_is_linked_to_the_twin_whose_given_name_agrees_not_the_other(linked):
    scored, *_ = linked
    best, *others = candidates_of(scored, 1)

    assert best["person_id"] == TWIN_JACK.id and best["probability"] >= 0.99
    assert all(row["probability"] < 0.5 for row in others)


def test_a_son_with_his_fathers_name_is_told_apart_by_date_of_birth(linked):
    scored, *_ = linked
    best, *others = candidates_of(scored, 2)

    assert best["person_id"] == SON.id and best["probability"] >= 0.99
    assert FATHER.id not in {row["person_id"] for row in others if row["probability"] >= 0.5}


def test_a_nickname_finds_the_person_by_their_full_name(linked):
    scored, *_ = linked
    best = candidates_of(scored, 3)[0]

    assert best["person_id"] == WILLIAM.id and best["probability"] >= 0.5
    given = json.loads(best["contributions"])[1]
    assert (given["source"], given["person"]) == ("Bill", "William")
    assert given["level"] == "A usual short form (Bill for William)"
    assert given["match_weight"] > 0


def test_a_date_of_birth_with_day_and_month_swapped_still_finds_the_person(linked):
    scored, *_ = linked
    best = candidates_of(scored, 4)[0]

    assert best["person_id"] == SWAPPED.id and best["probability"] >= 0.5
    assert json.loads(best["contributions"])[3]["level"] == "Day and month swapped"


def test_someone_not_in_the_index_is_not_linked_to_anyone(linked):
    scored, *_ = linked

    assert all(row["probability"] < 0.5 for row in candidates_of(scored, 5))


def test_a_pair_said_to_be_no_match_is_never_proposed(linked):
    scored, *_ = linked

    assert TWIN_OSCAR.id not in {row["person_id"] for row in candidates_of(scored, 6)}


def test_most_of_the_partners_people_link_and_none_to_the_wrong_person(linked):
    scored, partner, people = linked
    truth = {}
    for offset, person in enumerate(people.to_pylist()):
        truth.setdefault((person["family_name"], person["date_of_birth"]), set()).add(offset)
    best = [row for row in scored.candidates.to_pylist() if row["rank"] == 1]
    automatic = [row for row in best if row["probability"] >= 0.99]

    assert len(automatic) >= 0.75 * partner.num_rows
    people_by_id = {person["id"]: person for person in people.to_pylist()}
    partner_by_id = {record["id"]: record for record in partner.to_pylist()}
    for row in automatic:
        person, record = people_by_id[row["person_id"]], partner_by_id[row["source_person_id"]]
        # Each slip changes one field: at least three of the four agree.
        agreeing = sum(person[field] == record[field] for field in FIELDS)
        assert agreeing >= 3, (record, person)


def test_each_candidate_explains_its_match_weight_field_by_field(linked):
    scored, *_ = linked
    for row in scored.candidates.to_pylist()[:200]:
        contributions = json.loads(row["contributions"])
        assert [entry["field"] for entry in contributions] == ["prior", *FIELDS]
        total = sum(entry["match_weight"] for entry in contributions)
        assert total == pytest.approx(row["match_weight"], abs=0.05)
    ranks = scored.candidates.group_by("source_person_id").aggregate([("rank", "max")])
    assert max(ranks["rank_max"].to_pylist()) <= 5


def test_the_trained_model_is_kept_and_the_same_data_gives_the_same_candidates(linked):
    scored, partner, people = linked
    again = score_candidates(
        source_persons=partner,
        people=people,
        exclude_pairs=pa.table(
            {"source_person_id": pa.array([6], pa.int64()), "person_id": [TWIN_OSCAR.id]}
        ),
    )

    assert again.candidates.select(["source_person_id", "person_id", "rank"]).equals(
        scored.candidates.select(["source_person_id", "person_id", "rank"])
    )
    assert again.candidates["probability"].to_pylist() == pytest.approx(
        scored.candidates["probability"].to_pylist(), abs=1e-9
    )
    comparisons = {c["output_column_name"]: c for c in scored.model["comparisons"]}
    assert set(comparisons) == set(FIELDS)
    family_same = comparisons["family_name"]["comparison_levels"][1]
    assert family_same["tf_adjustment_column"] == "family_norm"
    assert 0 < family_same["u_probability"] < family_same["m_probability"] < 1


def test_a_kept_model_scores_a_handful_of_new_source_persons_as_it_scored_them_all(linked):
    scored, partner, people = linked
    few = partner.filter(pa.compute.less_equal(partner["id"], 5))

    again = score_candidates(source_persons=few, people=people, model=scored.model)

    def best(candidates):
        return {row["source_person_id"]: row for row in candidates.to_pylist() if row["rank"] == 1}

    now, before = best(again.candidates), best(scored.candidates)
    for source_person_id in (1, 2, 3, 4):
        assert now[source_person_id]["person_id"] == before[source_person_id]["person_id"]
        # Only the family name's term frequencies move: they are counted in the records given.
        assert now[source_person_id]["match_weight"] == pytest.approx(
            before[source_person_id]["match_weight"], abs=0.5
        )
    assert again.model["probability_two_random_records_match"] == pytest.approx(
        scored.model["probability_two_random_records_match"]
    )


def test_nothing_to_link_gives_no_candidates():
    empty = table([])

    assert score_candidates(source_persons=empty, people=table([WILLIAM])).candidates.num_rows == 0
