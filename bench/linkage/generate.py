"""Identified partner files made from a synthetic population, with the truth kept aside.

    python bench/linkage/generate.py --population DIR --out DIR [--seed N] [--police-persons N]

``--population`` is a directory written by ``bench/generate.py`` (people.csv and the
referenced extracts). Three partners each write down the people they know as *they* would
(linkage.md "Quality and speed"), under ``--out``:

- ``county_police/offences.csv`` — no NINO, no UPN; the messiest copy (nicknames, moves,
  missing postcodes, names in capitals);
- ``schools_census/attendance.csv`` and ``exclusions.csv`` — with the UPN, mostly right;
- ``dwp/benefits.csv`` — with the NINO, mostly right;
- ``people.csv`` — the council's index: the population's people less a few (people a
  partner knows and the council does not), their relatives kept;
- ``referenced/KIND.csv`` — the same rows for the people in the index, as referenced files
  (``person_ref``), to time against;
- ``truth.csv`` — ``source, source_person_id, person_ref`` (blank for someone absent from the
  index) and ``cases``: every slip made in that copy and every hard case the person is
  (``twin``, ``father_son``, ``double_barrelled``, ``absent``), joined by ``;``.

Each partner's copy of a person is consistent across its files (one identity per source
person). The same population and seed give the same files byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import random
import string
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

IDENTITY = ["source_person_id", "given_name", "family_name", "date_of_birth", "postcode"]
IDENTIFIERS = ["upn", "nino"]
ABSENT = 0.02  # of the population, known to partners but not in the council's index

# Short forms partners write: most are in the matcher's table, a few are not (Dot, Kit,
# Gus), as in life, where no table is complete.
SHORT_FORMS = {
    "William": ["Bill", "Will", "Billy", "Liam"],
    "Robert": ["Bob", "Rob", "Robbie"],
    "Richard": ["Rich", "Ricky", "Dick"],
    "Edward": ["Ed", "Eddie", "Ted"],
    "James": ["Jim", "Jimmy", "Jamie"],
    "Thomas": ["Tom", "Tommy"],
    "Michael": ["Mike", "Mick"],
    "Daniel": ["Dan", "Danny"],
    "Matthew": ["Matt"],
    "Joseph": ["Joe"],
    "Benjamin": ["Ben"],
    "Samuel": ["Sam"],
    "Alexander": ["Alex", "Sandy"],
    "Christopher": ["Chris", "Kit"],
    "Anthony": ["Tony"],
    "Nicholas": ["Nick"],
    "Patrick": ["Pat", "Paddy"],
    "Peter": ["Pete"],
    "Stephen": ["Steve"],
    "Andrew": ["Andy"],
    "Frederick": ["Fred", "Freddie"],
    "Henry": ["Harry"],
    "Oliver": ["Ollie"],
    "Joshua": ["Josh"],
    "Elizabeth": ["Liz", "Beth", "Lizzie", "Betty"],
    "Margaret": ["Maggie", "Peggy", "Meg"],
    "Catherine": ["Kate", "Cath", "Katie"],
    "Rebecca": ["Becky"],
    "Victoria": ["Vicky"],
    "Charlotte": ["Charlie", "Lottie"],
    "Jennifer": ["Jenny", "Jen"],
    "Susan": ["Sue"],
    "Deborah": ["Debbie"],
    "Jessica": ["Jess"],
    "Eleanor": ["Ellie", "Nell"],
    "Abigail": ["Abbie", "Abi"],
    "Isabella": ["Bella", "Izzy"],
    "Samantha": ["Sam"],
    "Natalie": ["Nat"],
    "Joanne": ["Jo"],
    "Florence": ["Flo"],
    "Amelia": ["Millie"],
    "Dorothy": ["Dot"],
    "Augustus": ["Gus"],
}


@dataclass(frozen=True)
class Partner:
    """How one partner keeps its people: which files, which identifier, how carefully (the
    share of its people with each slip; the defaults are a careful partner's)."""

    kinds: tuple[str, ...]
    prefix: str
    identifier: str | None
    nickname: float = 0.10  # of people whose given name has a short form
    given_typo: float = 0.015
    family_typo: float = 0.015
    family_other: float = 0.01  # known by another family name (a parent's, an earlier one)
    hyphen_variant: float = 0.3  # of double-barrelled names: one part, a space, reversed
    dob_swapped: float = 0.005
    dob_typo: float = 0.005
    moved: float = 0.05
    postcode_missing: float = 0.01
    capitals: float = 0.0
    identifier_missing: float = 0.06
    identifier_mistyped: float = 0.02


PARTNERS = {
    "county_police": Partner(
        kinds=("offences",),
        prefix="N",
        identifier=None,
        nickname=0.30,
        given_typo=0.03,
        family_typo=0.03,
        hyphen_variant=0.5,
        dob_swapped=0.01,
        dob_typo=0.015,
        moved=0.12,
        postcode_missing=0.05,
        capitals=0.4,
    ),
    "schools_census": Partner(kinds=("attendance", "exclusions"), prefix="S", identifier="upn"),
    "dwp": Partner(
        kinds=("benefits",),
        prefix="D",
        identifier="nino",
        nickname=0.08,
        moved=0.07,
        capitals=0.2,
        identifier_missing=0.10,
    ),
}


def _typo(rng: random.Random, text: str) -> str:
    """One slip of the keyboard: a letter changed, dropped, doubled, or two swapped."""
    if len(text) < 3:
        return text + rng.choice(string.ascii_lowercase)
    at = rng.randrange(1, len(text) - 1)  # first letters are rarely mistyped
    kind = rng.randrange(4)
    if kind == 0:
        letter = rng.choice([c for c in string.ascii_lowercase if c != text[at].lower()])
        return text[:at] + letter + text[at + 1 :]
    if kind == 1:
        return text[:at] + text[at + 1 :]
    if kind == 2:
        return text[:at] + text[at] + text[at:]
    return text[:at] + text[at + 1] + text[at] + text[at + 2 :]


def _dob_typo(rng: random.Random, born: date, as_of: date) -> date:
    """One digit of the date written wrong, still a real date not after the as-of day."""
    digits = born.strftime("%Y%m%d")
    for _ in range(50):
        at = rng.choice([2, 3, 5, 6, 7])  # decade, year, month's units, day
        changed = digits[:at] + rng.choice("0123456789".replace(digits[at], "")) + digits[at + 1 :]
        try:
            day = date(int(changed[:4]), int(changed[4:6]), int(changed[6:]))
        except ValueError:
            continue
        if day <= as_of:
            return day
    return born


def _identifier_typo(rng: random.Random, value: str) -> str:
    """A digit of a NINO or UPN mistyped: the same shape, nobody's number."""
    places = [at for at, char in enumerate(value) if char.isdigit()]
    at = rng.choice(places)
    return value[:at] + rng.choice("0123456789".replace(value[at], "")) + value[at + 1 :]


def _hard_cases(people: list[dict[str, str]]) -> dict[str, list[str]]:
    """Twins and fathers and sons of one name, found in the index as it is."""
    cases: dict[str, list[str]] = defaultdict(list)
    households: dict[str, list[dict[str, str]]] = defaultdict(list)
    for person in people:
        households[person["household_ref"]].append(person)
        if "-" in person["family_name"]:
            cases[person["person_ref"]].append("double_barrelled")
    for members in households.values():
        for person in members:
            for other in members:
                if other is person or other["family_name"] != person["family_name"]:
                    continue
                same_day = other["date_of_birth"] == person["date_of_birth"]
                if same_day and other["given_name"] != person["given_name"]:
                    cases[person["person_ref"]].append("twin")
                elif not same_day and other["given_name"] == person["given_name"]:
                    cases[person["person_ref"]].append("father_son")
    return {ref: sorted(set(found)) for ref, found in cases.items()}


class _Copier:
    """One partner's copy of each person it knows, made once and reused for every file."""

    def __init__(self, rng, partner: Partner, source: str, as_of: date, index) -> None:
        self.rng = rng
        self.partner = partner
        self.source = source
        self.as_of = as_of
        self.index = index
        self.identities: dict[str, list[str]] = {}
        self.truth: list[list[str]] = []
        self.used_ids: set[str] = set()

    def identity(self, person: dict[str, str], cases: list[str], absent: bool) -> list[str]:
        ref = person["person_ref"]
        if ref not in self.identities:
            self.identities[ref] = self._copy(person, list(cases), absent)
        return self.identities[ref]

    def _new_id(self) -> str:
        while True:
            candidate = f"{self.partner.prefix}{self.rng.randrange(10**7, 10**8)}"
            if candidate not in self.used_ids:
                self.used_ids.add(candidate)
                return candidate

    def _copy(self, person: dict[str, str], cases: list[str], absent: bool) -> list[str]:
        rng, partner = self.rng, self.partner
        given, family = person["given_name"], person["family_name"]
        born = date.fromisoformat(person["date_of_birth"])
        postcode = person["postcode"]
        if absent:
            cases.append("absent")
        if given in SHORT_FORMS and rng.random() < partner.nickname:
            given = rng.choice(SHORT_FORMS[given])
            cases.append("nickname")
        if rng.random() < partner.given_typo:
            given = _typo(rng, given)
            cases.append("given_typo")
        if "-" in family and rng.random() < partner.hyphen_variant:
            first, second = family.split("-", 1)
            family = rng.choice([first, second, f"{first} {second}", f"{second}-{first}"])
            cases.append("hyphen_variant")
        elif rng.random() < partner.family_other:
            family = rng.choice(self.index.family_names)
            cases.append("family_other")
        if rng.random() < partner.family_typo:
            family = _typo(rng, family)
            cases.append("family_typo")
        if born.day <= 12 and born.day != born.month and rng.random() < partner.dob_swapped:
            swapped = born.replace(month=born.day, day=born.month)
            if swapped <= self.as_of:
                born = swapped
                cases.append("dob_swapped")
        if rng.random() < partner.dob_typo:
            born = _dob_typo(rng, born, self.as_of)
            cases.append("dob_typo")
        if rng.random() < partner.moved:
            postcode = self.index.elsewhere(rng, postcode)
            cases.append("moved")
        if rng.random() < partner.postcode_missing:
            postcode = ""
            cases.append("postcode_missing")
        if rng.random() < partner.capitals:
            given, family, postcode = given.upper(), family.upper(), postcode.replace(" ", "")
        identifiers = {"upn": "", "nino": ""}
        if partner.identifier and person[partner.identifier]:
            value = person[partner.identifier]
            roll = rng.random()
            if roll < partner.identifier_missing:
                cases.append(f"{partner.identifier}_missing")
            elif roll < partner.identifier_missing + partner.identifier_mistyped:
                identifiers[partner.identifier] = _identifier_typo(rng, value)
                cases.append(f"{partner.identifier}_mistyped")
            else:
                identifiers[partner.identifier] = value
        source_person_id = self._new_id()
        self.truth.append(
            [
                self.source,
                source_person_id,
                "" if absent else person["person_ref"],
                ";".join(sorted(cases)),
            ]
        )
        return [
            source_person_id,
            given,
            family,
            born.isoformat(),
            postcode,
            identifiers["upn"],
            identifiers["nino"],
        ]


class _Index:
    """What a copy may borrow from the index: where people move (mostly nearby, the same
    district; sometimes anywhere) and the family names someone may be known by."""

    def __init__(self, people: list[dict[str, str]]) -> None:
        self.all = sorted({person["postcode"] for person in people})
        self.by_district: dict[str, list[str]] = defaultdict(list)
        for postcode in self.all:
            self.by_district[postcode.split(" ")[0]].append(postcode)
        self.family_names = sorted({person["family_name"] for person in people})

    def elsewhere(self, rng: random.Random, postcode: str) -> str:
        nearby = self.by_district.get(postcode.split(" ")[0], self.all)
        choices = nearby if rng.random() < 0.6 and len(nearby) > 1 else self.all
        moved = rng.choice(choices)
        return moved if moved != postcode else rng.choice(self.all)


def generate(
    population: Path,
    out: Path,
    *,
    seed: int,
    as_of: date = date(2014, 11, 15),
    police_persons: int | None = None,
) -> dict[str, Path]:
    """Write the identified files, the index, the referenced copies and the truth."""
    rng = random.Random(seed)
    with open(population / "people.csv", newline="", encoding="utf-8") as handle:
        people = list(csv.DictReader(handle))
    by_ref = {person["person_ref"]: person for person in people}
    cases = _hard_cases(people)
    absent = set(rng.sample(sorted(by_ref), k=round(ABSENT * len(people))))
    index = _Index(people)
    out.mkdir(parents=True, exist_ok=True)
    (out / "referenced").mkdir(exist_ok=True)
    paths = {"people": out / "people.csv", "truth": out / "truth.csv"}
    with open(paths["people"], "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(people[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(person for person in people if person["person_ref"] not in absent)
    truth: list[list[str]] = []
    for source, partner in PARTNERS.items():
        copier = _Copier(rng, partner, source, as_of, index)
        (out / source).mkdir(exist_ok=True)
        limit = police_persons if source == "county_police" else None
        for kind in partner.kinds:
            paths[f"{source}/{kind}"] = out / source / f"{kind}.csv"
            paths[f"referenced/{kind}"] = out / "referenced" / f"{kind}.csv"
            _copy_kind(
                population / f"{kind}.csv",
                identified=paths[f"{source}/{kind}"],
                referenced=paths[f"referenced/{kind}"],
                copier=copier,
                by_ref=by_ref,
                cases=cases,
                absent=absent,
                limit=limit,
            )
        truth.extend(copier.truth)
    with open(paths["truth"], "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["source", "source_person_id", "person_ref", "cases"])
        writer.writerows(truth)
    return paths


def _copy_kind(
    path: Path, *, identified: Path, referenced: Path, copier: _Copier, by_ref, cases, absent, limit
) -> None:
    with (
        open(path, newline="", encoding="utf-8") as source,
        open(identified, "w", newline="", encoding="utf-8") as identified_handle,
        open(referenced, "w", newline="", encoding="utf-8") as referenced_handle,
    ):
        reader = csv.reader(source)
        header = next(reader)
        at = header.index("person_ref")
        rest = [column for column in header if column != "person_ref"]
        identified_rows = csv.writer(identified_handle, lineterminator="\n")
        referenced_rows = csv.writer(referenced_handle, lineterminator="\n")
        identified_rows.writerow(IDENTITY + IDENTIFIERS + rest)
        referenced_rows.writerow(header)
        for row in reader:
            ref = row[at]
            if not ref:
                continue
            known = ref in copier.identities
            if not known and limit is not None and len(copier.identities) >= limit:
                continue
            identity = copier.identity(by_ref[ref], cases.get(ref, []), ref in absent)
            identified_rows.writerow(identity + row[:at] + row[at + 1 :])
            if ref not in absent:
                referenced_rows.writerow(row)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2014, 11, 15))
    parser.add_argument("--police-persons", type=int, help="stop the police file at N people")
    args = parser.parse_args(argv)
    paths = generate(
        args.population,
        args.out,
        seed=args.seed,
        as_of=args.as_of,
        police_persons=args.police_persons,
    )
    for name, path in paths.items():
        with open(path, "rb") as handle:
            rows = sum(1 for _ in handle) - 1
        print(f"{name:>28}: {rows:>10,} rows  {path}")


if __name__ == "__main__":
    main()
