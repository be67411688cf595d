"""A synthetic population: households, people and every kind of partner extract, as CSV.

Deterministic for a seed and an as-of day, streamed household by household (one household in
memory at a time, so the national size only costs disk), with proportions chosen so that a
few percent of households meet the 2012 criteria, as in the programme (about 2-3% of a
county's households). Every name, postcode and reference is made up but reads like a London
borough's extracts: family names built from English place-name parts ("Ashworth",
"Kingsley"), common given names, postcodes in Harrow's HA districts with made-up units.

Pure Python, no Django: ``bench/generate.py`` runs it from the command line and the demo
data loads its files through the ordinary importer.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Protocol

# (households) per size of scale.md; people and records follow from the proportions below.
SIZES = {"small": 20_000, "large": 150_000, "national": 10_000_000}

COLUMNS = {
    "people": [
        "household_ref",
        "person_ref",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "postcode",
        "upn",
        "nino",
    ],
    "attendance": [
        "person_ref",
        "academic_year",
        "term",
        "possible_sessions",
        "unauthorised_sessions",
    ],
    "exclusions": ["person_ref", "start_date", "exclusion_type", "sessions"],
    "education_status": ["person_ref", "status", "reason", "start_date", "end_date"],
    "offences": ["person_ref", "source_ref", "offence_date", "outcome_date", "offence_type"],
    "asb": ["person_ref", "household_ref", "source_ref", "event_date", "event_type"],
    "benefits": ["person_ref", "benefit", "start_date", "end_date"],
    "employment": ["person_ref", "start_date", "end_date"],
    "work_progress": ["person_ref", "provision", "attached_date"],
    "concerns": ["person_ref", "household_ref", "concern", "start_date", "end_date"],
}
# The order a loader must follow: people first, every other kind names them.
KINDS = list(COLUMNS)

# Enough names, as unevenly common as real ones, that a name and a date of birth mostly tell
# people apart (as in a county), so linking partner records to them is a fair test: family
# names follow a long tail (the commonest about 1% of people), given names fewer and more
# shared. Family names are made of place-name parts, so a real family is never named on
# purpose; given names include those with usual short forms
# (William, Elizabeth) that partners write instead.
FAMILY_STEMS = [
    "Ash", "Brad", "Whit", "Hol", "Mar", "Bar", "Pen", "Hart", "Wake", "Stan", "Fair", "Green",
    "Black", "Hay", "Mill", "Red", "Thorn", "Cran", "Lang", "Ald", "Win", "Kings", "Bell",
    "Dun", "Fen", "Gold", "Lin", "Nor", "Pres", "Rad", "Sel", "Wal", "Har", "Brom", "Chat",
    "Ed", "Hamp", "Moss", "Rock", "Sut",
]  # fmt: skip
FAMILY_ENDINGS = [
    "son", "worth", "ford", "ley", "by", "well", "ham", "field", "ton", "er", "wick", "more",
    "dale", "croft", "hurst", "stone", "wood", "man", "shaw", "brook", "combe", "thorpe", "den",
    "ridge", "gate",
]  # fmt: skip
FAMILY_NAMES = [stem + ending for stem in FAMILY_STEMS for ending in FAMILY_ENDINGS]
FAMILY_WEIGHTS = [1 / (rank + 20) for rank in range(len(FAMILY_NAMES))]
GIVEN_NAMES = {
    "F": [
        "Amelia", "Olivia", "Isla", "Ava", "Mia", "Poppy", "Holly", "Ruby", "Grace", "Lily",
        "Emily", "Sophie", "Jessica", "Elizabeth", "Margaret", "Catherine", "Rebecca", "Victoria",
        "Charlotte", "Jennifer", "Susan", "Deborah", "Sarah", "Emma", "Laura", "Hannah", "Chloe",
        "Lucy", "Megan", "Ellie", "Freya", "Evie", "Daisy", "Phoebe", "Florence", "Alice",
        "Matilda", "Sienna", "Harper", "Willow", "Esme", "Imogen", "Ivy", "Rosie", "Eleanor",
        "Abigail", "Isabella", "Samantha", "Natalie", "Joanne", "Karen", "Julie", "Helen",
        "Nicola", "Michelle", "Claire", "Amy", "Zara", "Aisha", "Maryam", "Fatima", "Layla",
        "Niamh", "Siobhan", "Kirsty", "Gemma", "Leanne", "Stacey", "Kayleigh", "Jade",
    ],
    "M": [
        "Oliver", "Jack", "Harry", "Jayden", "Leo", "Noah", "Charlie", "Jacob", "Alfie", "Max",
        "William", "Robert", "Richard", "Edward", "James", "Thomas", "Michael", "Daniel",
        "Matthew", "Joseph", "Benjamin", "Samuel", "Alexander", "Christopher", "Anthony",
        "Nicholas", "Patrick", "Peter", "Stephen", "Andrew", "Frederick", "Henry", "George",
        "Arthur", "Oscar", "Archie", "Theo", "Lucas", "Ethan", "Isaac", "Joshua", "Logan",
        "Reuben", "Jude", "Albert", "Mohammed", "Ibrahim", "Yusuf", "Kai", "Tyler", "Connor",
        "Callum", "Liam", "Ryan", "Jordan", "Kyle", "Dean", "Lee", "Wayne", "Gary", "Paul",
        "Mark", "David", "Jason", "Craig", "Darren", "Shane", "Declan", "Finley", "Riley",
    ],
}  # fmt: skip
GIVEN_WEIGHTS = {
    sex: [1 / (rank + 6) for rank in range(len(names))] for sex, names in GIVEN_NAMES.items()
}
DOUBLE_BARRELLED = 0.03  # households whose family name joins two
TWINS = 0.03  # children born on the same day as the child before them
NAMED_AFTER_FATHER = 0.04  # boys given their father's given name
HOUSEHOLDS_PER_POSTCODE = 12
POSTCODES_PER_DISTRICT = 4000
OFFENCE_TYPES = ["theft", "shoplifting", "criminal damage", "assault", "burglary", "public order"]
ASB_ORDERS = ["asbo", "asb_injunction", "abc", "housing_nosp", "housing_injunction"]
ASB_RARE = ["demotion_order", "eviction"]
BENEFITS = ["JSA", "ESA", "IB", "IS", "CA", "SDA"]
BENEFIT_WEIGHTS = [40, 25, 8, 15, 8, 4]
CONCERNS = [
    "child_protection_plan",
    "child_in_need",
    "domestic_abuse",
    "substance_misuse",
    "mental_health",
    "police_callouts",
    "other",
]
TERMS = [
    ("autumn", (9, 1), (12, 31), 0),
    ("spring", (1, 1), (3, 31), 1),
    ("summer", (4, 1), (8, 31), 1),
]
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# Postcode areas in order of use: Harrow's first, its neighbours' after it.
POSTCODE_AREAS = ["HA", "UB", "WD", "NW", "EN", "TW", "SL", "HP"]
# A person is named on an ASB or concern record only from this age; a younger child's is the
# household's.
PERSON_RECORD_MIN_AGE = 10
POSSIBLE_SESSIONS = {"autumn": (140, 160), "spring": (110, 124), "summer": (140, 150)}


@dataclass(frozen=True)
class Tier:
    """How troubled a household is: every problem is likelier together, as in life."""

    share: float
    open_benefit: float  # an adult has an out-of-work benefit open on the as-of day
    absence: tuple[float, float]  # a child's typical unauthorised absence, low to high
    fixed_exclusions: float  # expected fixed exclusions per school-age child
    permanent: float
    youth_offences: float  # expected recent offences per teenager
    asb_orders: float  # expected recent ASB orders/notices per household
    concern: float
    not_on_roll: float


TIERS = [
    Tier(0.035, 0.85, (0.08, 0.35), 2.5, 0.06, 0.9, 0.9, 0.7, 0.1),
    Tier(0.165, 0.35, (0.02, 0.16), 0.5, 0.01, 0.15, 0.12, 0.15, 0.02),
    Tier(0.800, 0.06, (0.0, 0.06), 0.05, 0.001, 0.01, 0.01, 0.03, 0.002),
]


def _last_terms(as_of: date, count: int) -> list[tuple[str, str, date, date]]:
    """The ``count`` most recent school terms ended by ``as_of``: (year, term, start, end)."""
    terms = []
    for first_year in range(as_of.year - 4, as_of.year + 1):
        label = f"{first_year}/{(first_year + 1) % 100:02d}"
        for name, (sm, sd), (em, ed), offset in TERMS:
            start = date(first_year + offset, sm, sd)
            end = date(first_year + offset, em, ed)
            if end <= as_of:
                terms.append((label, name, start, end))
    return terms[-count:]


def age_on(born: date, day: date) -> int:
    """Completed years on ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class _Writer:
    """Refs and rows for one run: a counter per sequence, a csv.writer per kind."""

    def __init__(self, writers: dict[str, csv.writer], households: int) -> None:
        self.rows = writers
        self.household_width = max(5, len(str(households)))
        self.person_width = self.household_width + 1
        self.people = 0
        self.postcodes = max(1, households // HOUSEHOLDS_PER_POSTCODE)
        self.offences = 0
        self.asb = 0

    def household_ref(self, number: int) -> str:
        return f"H{number:0{self.household_width}d}"

    def person(
        self,
        rng: random.Random,
        household_ref: str,
        postcode: str,
        *,
        given: str,
        surname: str,
        born: date,
        sex: str,
        adult: bool,
        as_of: date,
    ) -> str:
        """Write one person of ``household_ref``, with a pupil or National Insurance number
        as they would have; returns their reference."""
        self.people += 1
        ref = f"P{self.people:0{self.person_width}d}"
        school_age = not adult and (as_of - born).days > 4 * 365
        upn = f"Z{rng.randint(10**11, 10**12 - 1)}" if school_age else ""
        nino = f"ZZ{rng.randint(100000, 999999)}A" if adult and rng.random() < 0.9 else ""
        self.rows["people"].writerow(
            [
                household_ref,
                ref,
                given,
                surname,
                born.isoformat(),
                sex,
                postcode,
                upn,
                nino,
            ]
        )
        return ref

    def asb_event(self, household_ref: str, person_ref: str, day: date, event_type: str) -> None:
        self.asb += 1
        self.rows["asb"].writerow(
            [
                person_ref,
                "" if person_ref else household_ref,
                f"ASB-{self.asb:08d}",
                day.isoformat(),
                event_type,
            ]
        )


def household_ref(number: int, households: int) -> str:
    """The reference ``generate`` gives household ``number`` of ``households``."""
    return _Writer({}, households).household_ref(number)


def household_member(number: int, households: int) -> str:
    """The reference of the ``number``-th person ``generate`` writes."""
    return f"P{number:0{_Writer({}, households).person_width}d}"


class Story(Protocol):
    """A household written to a plan instead of drawn from the tiers (``demo.programme``)."""

    def write(self, rng: random.Random, out: _Writer, household_ref: str, as_of: date) -> None: ...


def generate(
    out_dir: Path,
    *,
    households: int,
    seed: int = 2012,
    as_of: date = date(2014, 11, 15),
    terms: int = 6,
    stories: Mapping[int, Story] | None = None,
) -> dict[str, Path]:
    """Write one CSV per kind under ``out_dir``; returns their paths, people first.

    ``terms`` school terms of attendance, up to ``as_of``. Household number N is written by
    ``stories[N]`` when there is one, otherwise drawn from the tiers.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = {kind: out_dir / f"{kind}.csv" for kind in KINDS}
    stories = stories or {}
    school_terms = _last_terms(as_of, terms)
    with ExitStack() as stack:
        writers = {}
        for kind, path in paths.items():
            handle = stack.enter_context(open(path, "w", newline="", encoding="utf-8"))
            writers[kind] = csv.writer(handle, lineterminator="\n")
            writers[kind].writerow(COLUMNS[kind])
        out = _Writer(writers, households)
        for number in range(1, households + 1):
            if number in stories:
                stories[number].write(rng, out, out.household_ref(number), as_of)
            else:
                _household(rng, out, number, as_of, school_terms)
    return paths


def _pick_tier(rng: random.Random) -> Tier:
    roll = rng.random()
    for tier in TIERS:
        if roll < tier.share:
            return tier
        roll -= tier.share
    return TIERS[-1]


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: the means here are small.
    limit, count, product = pow(2.718281828459045, -mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _household(rng: random.Random, out: _Writer, number: int, as_of: date, terms) -> None:
    tier = _pick_tier(rng)
    household_ref = out.household_ref(number)
    family_name = _family_name(rng)
    postcode = _postcode(rng, out.postcodes)
    adults = 1 if rng.random() < 0.45 else 2
    troubled = tier is TIERS[0]
    children = rng.choices(
        range(6), weights=[5, 15, 25, 25, 18, 12] if troubled else [28, 20, 27, 14, 8, 3]
    )[0]
    people = []
    fathers: list[str] = []
    given_names: set[str] = set()
    previous_child: date | None = None
    for index in range(adults + children):
        adult = index < adults
        age_days = rng.randint(18 * 365 + 5, 62 * 365) if adult else rng.randint(0, 18 * 365 - 5)
        sex = rng.choice("FM") if rng.random() < 0.98 else rng.choice("XU")
        # Nobody names two children alike, except a son after his father.
        given = _given_name(rng, sex)
        while given in given_names:
            given = _given_name(rng, sex)
        born = as_of - timedelta(days=age_days)
        if not adult:
            if previous_child and rng.random() < TWINS:
                born = previous_child
            if sex == "M" and fathers and rng.random() < NAMED_AFTER_FATHER:
                given = fathers[0]
            previous_child = born
        elif sex == "M":
            fathers.append(given)
        given_names.add(given)
        surname = family_name if rng.random() < 0.85 else _family_name(rng)
        ref = out.person(
            rng,
            household_ref,
            postcode,
            given=given,
            surname=surname,
            born=born,
            sex=sex,
            adult=adult,
            as_of=as_of,
        )
        people.append((ref, born, adult))
    for person_ref, born, adult in people:
        if adult:
            _adult_records(rng, out, tier, person_ref, born, as_of)
        else:
            _child_records(rng, out, tier, person_ref, born, as_of, terms)
    _household_records(rng, out, tier, household_ref, people, as_of)


def _family_name(rng: random.Random) -> str:
    name = rng.choices(FAMILY_NAMES, FAMILY_WEIGHTS)[0]
    if rng.random() < DOUBLE_BARRELLED:
        return f"{name}-{rng.choices(FAMILY_NAMES, FAMILY_WEIGHTS)[0]}"
    return name


def _given_name(rng: random.Random, sex: str) -> str:
    sex = sex if sex in GIVEN_NAMES else "F"
    return rng.choices(GIVEN_NAMES[sex], GIVEN_WEIGHTS[sex])[0]


def _postcode(rng: random.Random, count: int) -> str:
    """One of ``count`` made-up postcodes: HA1 first, then HA2 and up (then UB1…), 4,000 to a
    district and 400 to a sector, as many as a real district holds."""
    unit = rng.randrange(count)
    block, within = divmod(unit, POSTCODES_PER_DISTRICT)
    area = POSTCODE_AREAS[block // 9]
    sector, letters = divmod(within, len(POSTCODE_LETTERS) ** 2)
    first, second = divmod(letters, len(POSTCODE_LETTERS))
    return f"{area}{1 + block % 9} {sector}{POSTCODE_LETTERS[first]}{POSTCODE_LETTERS[second]}"


def _adult_records(rng, out: _Writer, tier: Tier, ref: str, born: date, as_of: date) -> None:
    adult_from = _years_before(born, -18)
    history_from = max(adult_from, _years_before(as_of, 10))
    # Employment history: a few spells, the last one often still open.
    starts = sorted({_day_between(rng, history_from, as_of) for _ in range(_poisson(rng, 3.4))})
    for index, start in enumerate(starts):
        following = starts[index + 1] if index + 1 < len(starts) else as_of + timedelta(days=1)
        end = _day_between(rng, start, following - timedelta(days=1))
        still = index == len(starts) - 1 and rng.random() < 0.5
        out.rows["employment"].writerow([ref, start.isoformat(), "" if still else end.isoformat()])
    # Out-of-work benefits: past spells, and one open on the as-of day for the tier's share.
    # Keyed as the extract is (benefit, start): one spell per key.
    spells: dict[tuple[str, date], date | None] = {}
    for _ in range(_poisson(rng, 2.5)):
        start = _day_between(rng, history_from, as_of - timedelta(days=60))
        last = min(start + timedelta(days=500), as_of - timedelta(days=1))
        spells[rng.choices(BENEFITS, BENEFIT_WEIGHTS)[0], start] = _day_between(rng, start, last)
    if rng.random() < tier.open_benefit:
        start = _day_between(rng, _years_before(as_of, 3), as_of)
        spells[rng.choices(BENEFITS, BENEFIT_WEIGHTS)[0], start] = None
        if rng.random() < 0.12:
            provision = "work_programme" if rng.random() < 0.7 else "esf"
            attached = _day_between(rng, start, as_of)
            out.rows["work_progress"].writerow([ref, provision, attached.isoformat()])
    for (benefit, start), end in spells.items():
        out.rows["benefits"].writerow(
            [ref, benefit, start.isoformat(), end.isoformat() if end else ""]
        )
    # Adult offences: they do not count towards identification, but partner files hold them.
    for _ in range(_poisson(rng, 0.35 + tier.youth_offences / 3)):
        _offence(rng, out, ref, _day_between(rng, history_from, as_of), as_of)


def _child_records(rng, out: _Writer, tier: Tier, ref: str, born: date, as_of: date, terms) -> None:
    low, high = tier.absence
    absence = low + (high - low) * rng.random() ** 2
    school_terms = []
    for academic_year, term, start, end in terms:
        age_at_september = (date(int(academic_year[:4]), 8, 31) - born).days // 365
        if 4 <= age_at_september <= 16:
            school_terms.append((start, end))
            possible = rng.randint(*POSSIBLE_SESSIONS[term])
            unauthorised = min(possible, round(possible * absence * rng.uniform(0.6, 1.4)))
            out.rows["attendance"].writerow([ref, academic_year, term, possible, unauthorised])
    if not school_terms:
        return
    first, last = school_terms[0][0], school_terms[-1][1]
    starts = {_day_between(rng, first, last) for _ in range(_poisson(rng, tier.fixed_exclusions))}
    for start in sorted(starts):
        sessions = "" if rng.random() < 0.2 else rng.randint(1, 10)
        out.rows["exclusions"].writerow([ref, start.isoformat(), "fixed", sessions])
    if rng.random() < tier.permanent:
        start = _day_between(rng, first, last)
        out.rows["exclusions"].writerow([ref, start.isoformat(), "permanent", ""])
    age = (as_of - born).days // 365
    if 5 <= age <= 15 and rng.random() < tier.not_on_roll:
        status, reason = rng.choice(
            [("not_on_roll", "other"), ("pru", "excluded"), ("alternative_provision", "excluded")]
        )
        start = _day_between(rng, _years_before(as_of, 1), as_of)
        out.rows["education_status"].writerow([ref, status, reason, start.isoformat(), ""])
    if age >= 10:
        # A tenth birthday a leap day or two after the as-of day is still "aged 10" by years.
        ten = min(born + timedelta(days=int(10 * 365.25)), as_of)
        for _ in range(_poisson(rng, tier.youth_offences)):
            _offence(
                rng, out, ref, _day_between(rng, max(ten, _years_before(as_of, 2)), as_of), as_of
            )


def _offence(rng, out: _Writer, ref: str, day: date, as_of: date) -> None:
    out.offences += 1
    # Most offences are proven within months; the most recent may not be yet.
    proven = day + timedelta(days=rng.randint(7, 200))
    outcome = proven.isoformat() if proven <= as_of and rng.random() < 0.85 else ""
    out.rows["offences"].writerow(
        [ref, f"OFF-{out.offences:08d}", day.isoformat(), outcome, rng.choice(OFFENCE_TYPES)]
    )


def _household_records(
    rng, out: _Writer, tier: Tier, household_ref: str, people, as_of: date
) -> None:
    year_ago = _years_before(as_of, 1)
    # ASB: plain incidents are common and do not count; orders and notices are rarer.
    events = [
        ("incident", _day_between(rng, _years_before(as_of, 4), as_of))
        for _ in range(_poisson(rng, 2.2))
    ]
    events += [
        (rng.choice(ASB_ORDERS), _day_between(rng, year_ago, as_of))
        for _ in range(_poisson(rng, tier.asb_orders))
    ]
    events += [
        (rng.choice(ASB_ORDERS + ASB_RARE), _day_between(rng, _years_before(as_of, 4), year_ago))
        for _ in range(_poisson(rng, 0.15))
    ]
    for event_type, day in events:
        named = [ref for ref, born, _ in people if age_on(born, day) >= PERSON_RECORD_MIN_AGE]
        by_person = named and rng.random() < 0.4
        out.asb_event(household_ref, rng.choice(named) if by_person else "", day, event_type)
    if rng.random() < tier.concern:
        concerns = rng.sample(CONCERNS, k=rng.randint(1, 2))
        for concern in concerns:
            start = _day_between(rng, _years_before(as_of, 2), as_of)
            ended = rng.random() < 0.25
            end = _day_between(rng, start, as_of).isoformat() if ended else ""
            named = [r for r, born, _ in people if age_on(born, start) >= PERSON_RECORD_MIN_AGE]
            personal = concern in ("substance_misuse", "mental_health")
            by_person = personal and named and rng.random() < 0.7
            out.rows["concerns"].writerow(
                [
                    rng.choice(named) if by_person else "",
                    "" if by_person else household_ref,
                    concern,
                    start.isoformat(),
                    end,
                ]
            )
