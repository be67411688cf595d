"""The demo authority's programme families: households written to a plan built around the
day a key worker starts with them, so that the demo's results and claims follow from its
partner data as a real authority's do.

Before that day each meets the criteria: an adult on an out-of-work benefit, a child missing
school, and anti-social behaviour or a teenager's offending (or, instead, a concern the
authority counts locally). After it, as its plan says, the family turns around or does not:
attendance recovers, the incidents stop, an adult joins the Work Programme or starts a job
that lasts. Pure Python like ``demo.population``, whose writer it uses.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from demo.population import (
    BENEFITS,
    OFFENCE_TYPES,
    POSSIBLE_SESSIONS,
    _family_name,
    _given_name,
    _last_terms,
    _postcode,
    _Writer,
    age_on,
)

# Families attached in each financial year (first year: first day, last day, how many), and
# those the coordinator has still to confirm, in a borough of this many households; a
# smaller or larger demo has proportionally as many.
HOUSEHOLDS = 4000
ATTACHMENTS = {
    2012: (date(2012, 5, 8), date(2013, 3, 28), 150),
    2013: (date(2013, 4, 8), date(2014, 3, 27), 198),
    2014: (date(2014, 4, 7), date(2014, 10, 24), 176),
}
ATTACHMENTS_FROM = min(first for first, _, _ in ATTACHMENTS.values())
AWAITING_CONFIRMATION = 60
# Of the families a key worker works with, the share whose each problem turns around.
TURNS_AROUND = {"school": 0.72, "behaviour": 0.78}
# And how the adult on benefits moves towards work, if at all.
WORK_PATHS = [("job", 0.16), ("programme", 0.22), ("", 0.62)]
ASB_NOTICES = ["housing_nosp", "asb_injunction", "abc", "asbo"]
LOCAL_CONCERNS = ["domestic_abuse", "mental_health", "substance_misuse", "police_callouts"]
# Attendance is kept from the summer term of 2010/11: three full terms before the first
# attachment, which identification needs.
ATTENDANCE_FROM = date(2011, 4, 1)


@dataclass(frozen=True)
class ProgrammeFamily:
    """One programme family's plan. ``attach_on`` is the day the story turns on; whether the
    family is attached (on that day, by the attachment service) is up to the demo seed."""

    attach_on: date
    attached: bool
    crime: bool  # ASB or offending before attachment; without it, a local concern
    school: bool  # attendance recovers after attachment
    behaviour: bool  # the incidents and offending stop
    work: str  # "job": starts a job that lasts; "programme": joins the Work Programme

    def write(self, rng: random.Random, out: _Writer, household_ref: str, as_of: date) -> None:
        day = self.attach_on
        # Work with the family takes a month or three to show.
        turn = day + timedelta(days=rng.randint(30, 90))
        family_name, address = _family_name(rng), _postcode(rng, out.postcodes)

        def person(born: date, sex: str, adult: bool) -> str:
            # The given name is drawn before the surname, as for every other household.
            given = _given_name(rng, sex)
            surname = family_name if rng.random() < 0.85 else _family_name(rng)
            about = {"born": born, "sex": sex, "adult": adult, "as_of": as_of}
            return out.person(rng, household_ref, address, given=given, surname=surname, **about)

        parent = person(day - timedelta(days=rng.randint(24 * 365, 44 * 365)), "F", True)
        if rng.random() < 0.4:
            partner = person(day - timedelta(days=rng.randint(25 * 365, 50 * 365)), "M", True)
            out.rows["employment"].writerow(
                [partner, (day - timedelta(days=rng.randint(200, 2000))).isoformat(), ""]
            )
        pupil_born = day - timedelta(days=rng.randint(7 * 365, 12 * 365))
        pupil = person(pupil_born, rng.choice("FM"), False)
        children = [(pupil, pupil_born, True)]
        teen = None
        if self.crime and rng.random() < 0.55:
            teen_born = day - timedelta(days=rng.randint(14 * 365 + 30, 15 * 365 + 300))
            teen = person(teen_born, rng.choice("FM"), False)
            children.append((teen, teen_born, False))
        # A younger child who is still under five on the service day: no school records due.
        youngest, latest = as_of - timedelta(days=4 * 365 + 200), day - timedelta(days=30)
        if youngest < latest and rng.random() < 0.5:
            person(youngest + timedelta(days=rng.randint(0, (latest - youngest).days)), "M", False)

        self._benefits(rng, out, parent, turn, as_of)
        for ref, born, missing_school in children:
            self._attendance(rng, out, ref, born, turn, as_of, missing_school)
        if self.crime:
            self._behaviour(
                rng, out, household_ref, [parent, *([teen] if teen else [])], turn, as_of
            )
            if teen:
                self._offences(rng, out, teen, as_of)
        if not self.crime or rng.random() < 0.35:
            start = day - timedelta(days=rng.randint(60, 500))
            ended = turn + timedelta(days=rng.randint(60, 300))
            out.rows["concerns"].writerow(
                [
                    "",
                    household_ref,
                    rng.choice(LOCAL_CONCERNS),
                    start.isoformat(),
                    ended.isoformat() if self.behaviour and ended <= as_of else "",
                ]
            )

    def _benefits(self, rng, out: _Writer, parent: str, turn: date, as_of: date) -> None:
        start = self.attach_on - timedelta(days=rng.randint(180, 1000))
        benefit = rng.choices(BENEFITS[:4], [50, 20, 5, 25])[0]
        end = ""
        if self.work == "job":
            job = turn + timedelta(days=rng.randint(0, 150))
            if job <= as_of:
                # Off benefits the day before the job starts: the spells never overlap.
                end = (job - timedelta(days=1)).isoformat()
                out.rows["employment"].writerow([parent, job.isoformat(), ""])
        elif self.work == "programme":
            joined = turn + timedelta(days=rng.randint(0, 100))
            if joined <= as_of:
                out.rows["work_progress"].writerow([parent, "work_programme", joined.isoformat()])
        out.rows["benefits"].writerow([parent, benefit, start.isoformat(), end])

    def _attendance(self, rng, out: _Writer, ref, born, turn, as_of, missing_school) -> None:
        first_exclusion = True
        for academic_year, term, start, end in _last_terms(as_of, 15):
            if start < ATTENDANCE_FROM:
                continue
            if not 4 <= age_on(born, date(int(academic_year[:4]), 8, 31)) <= 16:
                continue
            if end < turn:
                rate = rng.uniform(0.17, 0.34) if missing_school else rng.uniform(0.03, 0.12)
            elif start < turn:
                rate = rng.uniform(0.08, 0.2)
            elif self.school:
                rate = rng.uniform(0.01, 0.07)
            else:
                rate = rng.uniform(0.16, 0.3) if missing_school else rng.uniform(0.04, 0.12)
            possible = rng.randint(*POSSIBLE_SESSIONS[term])
            out.rows["attendance"].writerow(
                [ref, academic_year, term, possible, round(possible * rate)]
            )
            if missing_school and end < self.attach_on and first_exclusion and rng.random() < 0.5:
                first_exclusion = False
                day = start + timedelta(days=rng.randint(10, (end - start).days - 10))
                out.rows["exclusions"].writerow([ref, day.isoformat(), "fixed", rng.randint(2, 6)])

    def _behaviour(self, rng, out: _Writer, household_ref, named, turn, as_of) -> None:
        day = self.attach_on
        notice = day - timedelta(days=rng.randint(20, 300))
        out.asb_event(household_ref, "", notice, rng.choice(ASB_NOTICES))
        incidents = [day - timedelta(days=rng.randint(1, 175)) for _ in range(rng.randint(3, 5))]
        if self.behaviour:
            if rng.random() < 0.4:
                incidents.append(turn - timedelta(days=rng.randint(0, 20)))
        else:
            following = day + timedelta(days=rng.randint(10, 50))
            while following <= as_of:
                incidents.append(following)
                following += timedelta(days=rng.randint(20, 70))
        for incident in sorted(incidents):
            by = rng.choice(named) if rng.random() < 0.5 else ""
            out.asb_event(household_ref, by, incident, "incident")

    def _offences(self, rng, out: _Writer, teen: str, as_of: date) -> None:
        day = self.attach_on
        committed = [day - timedelta(days=rng.randint(25, 170))]
        if not self.behaviour:
            committed.append(day + timedelta(days=rng.randint(30, 200)))
        for offence in committed:
            if offence > as_of:
                continue
            out.offences += 1
            # Proven within weeks; one committed before attachment is proven before it.
            latest = day - timedelta(days=1) if offence < day else as_of
            proven = min(offence + timedelta(days=rng.randint(7, 60)), latest)
            out.rows["offences"].writerow(
                [
                    teen,
                    f"MPS-{offence.year}-{out.offences:06d}",
                    offence.isoformat(),
                    proven.isoformat() if proven <= as_of else "",
                    rng.choice(OFFENCE_TYPES),
                ]
            )


def programme_families(
    rng: random.Random, *, households: int, as_of: date
) -> dict[int, ProgrammeFamily]:
    """Which household numbers are programme families, and each one's plan."""
    plans = []
    share = households / HOUSEHOLDS
    for first, last, per_borough in ATTACHMENTS.values():
        count = round(per_borough * share)
        for index in range(count):
            # Spread over the year, a little faster as teams fill: the i-th of n at (i/n)^0.9.
            offset = round(((index + rng.random()) / count) ** 0.9 * (last - first).days)
            plans.append(_plan(rng, _weekday(first + timedelta(days=offset)), attached=True))
    for _ in range(round(AWAITING_CONFIRMATION * share)):
        plans.append(_plan(rng, as_of - timedelta(days=rng.randint(3, 40)), attached=False))
    numbers = rng.sample(range(1, households + 1), k=len(plans))
    return dict(zip(numbers, plans, strict=True))


def _plan(rng: random.Random, attach_on: date, *, attached: bool) -> ProgrammeFamily:
    paths, weights = zip(*WORK_PATHS, strict=True)
    return ProgrammeFamily(
        attach_on=attach_on,
        attached=attached,
        crime=rng.random() < 0.75,
        school=attached and rng.random() < TURNS_AROUND["school"],
        behaviour=attached and rng.random() < TURNS_AROUND["behaviour"],
        work=rng.choices(paths, weights)[0] if attached else "",
    )


def _weekday(day: date) -> date:
    """The Monday after a weekend day; any other day as it is."""
    return day + timedelta(days=7 - day.weekday() if day.weekday() >= 5 else 0)
