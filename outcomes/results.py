"""Results: the three results of the 2012 Financial Framework for attached families on a claim
day ``C`` (programme-rules.md, Results).

Facts are gathered for every attached family in one SQL statement (``outcomes.facts``);
the rules below then decide each result from those facts and say why in words, so the words a
coordinator or an auditor reads are exactly what the decision rested on.

A later rule set (the 2015 expanded programme) sits beside ``Results2012`` with its own
``version`` and is registered in ``RULE_SETS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

from families.dates import months_after
from families.programme import ABSENCE_PERCENT, FIXED_EXCLUSIONS
from outcomes.facts import EMPLOYMENT_DAYS, FamilyFacts, gather_facts
from outcomes.models import ResultState, ResultType

RULES_VERSION = "tf2012-results-v2"

# Crime/ASB/education needs a full six months of work before it can be achieved (a choice).
MONTHS_OF_WORK_NEEDED = 6
# ASB at least 60% lower: recent * 10 <= baseline * 4.
ASB_RECENT_PARTS, ASB_BASELINE_PARTS = 10, 4
# Youth offending at least 33% lower: recent * 100 <= baseline * 67.
YOUTH_RECENT_PARTS, YOUTH_BASELINE_PARTS = 100, 67

ACHIEVED, NOT_ACHIEVED, NOT_RELEVANT = (
    ResultState.ACHIEVED,
    ResultState.NOT_ACHIEVED,
    ResultState.NOT_RELEVANT,
)


@dataclass(frozen=True)
class Measure:
    name: str
    state: ResultState
    reason: str
    # The counts compared, e.g. {"recent": 3, "baseline": 5, "allowed": 2}.
    figures: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Assessment:
    result: ResultType
    state: ResultState
    reason: str
    measures: tuple[Measure, ...] = ()
    # What a "close to a result" list needs, e.g. {"days_so_far": 63}.
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class FamilyResults:
    case_file_id: int
    household_id: int
    ref: str
    attached_on: date
    as_of: date
    rules_version: str
    assessments: dict[ResultType, Assessment]

    def state(self, result: ResultType) -> ResultState:
        return self.assessments[result].state


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def absence_percent(unauthorised: int, possible: int) -> Decimal:
    return (Decimal(unauthorised) * 100 / Decimal(possible)).quantize(Decimal("0.1"))


class ResultsRules(Protocol):
    """What a rule set offers: its version and the assessment of families on a day."""

    version: str

    def assess(self, facts: FamilyFacts, as_of: date) -> FamilyResults: ...


class Results2012:
    """The results of the 2012 Financial Framework as programme-rules.md states them."""

    version = RULES_VERSION

    def assess(self, facts: FamilyFacts, as_of: date) -> FamilyResults:
        return FamilyResults(
            case_file_id=facts.case_file_id,
            household_id=facts.household_id,
            ref=facts.ref,
            attached_on=facts.attached_on,
            as_of=as_of,
            rules_version=self.version,
            assessments={
                ResultType.CRIME_ASB_EDUCATION: self.crime_asb_education(facts, as_of),
                ResultType.PROGRESS_TO_WORK: self.progress_to_work(facts),
                ResultType.CONTINUOUS_EMPLOYMENT: self.continuous_employment(facts, as_of),
            },
        )

    # --- Crime/ASB/education ----------------------------------------------------------------

    def crime_asb_education(self, facts: FamilyFacts, as_of: date) -> Assessment:
        measures = (
            self.education(facts),
            self.anti_social_behaviour(facts),
            self.youth_offending(facts),
        )
        relevant = [m for m in measures if m.state != NOT_RELEVANT]
        reason = "; ".join(m.reason for m in measures)
        if not relevant:
            return Assessment(
                ResultType.CRIME_ASB_EDUCATION,
                NOT_RELEVANT,
                "no measure relevant: " + reason,
                measures,
            )
        work_done_on = months_after(facts.attached_on, MONTHS_OF_WORK_NEEDED)
        all_achieved = all(m.state == ACHIEVED for m in relevant)
        if as_of < work_done_on:
            reason += f"; six months of work are complete on {work_done_on}"
            return Assessment(
                ResultType.CRIME_ASB_EDUCATION,
                NOT_ACHIEVED,
                reason,
                measures,
                {"measures_achieved": all_achieved, "work_done_on": work_done_on.isoformat()},
            )
        return Assessment(
            ResultType.CRIME_ASB_EDUCATION,
            ACHIEVED if all_achieved else NOT_ACHIEVED,
            reason,
            measures,
            {"measures_achieved": all_achieved},
        )

    def education(self, facts: FamilyFacts) -> Measure:
        if not facts.baseline_education:
            return Measure("education", NOT_RELEVANT, "education: not a problem at attachment")
        problems = []
        for child in facts.children:
            own = []
            if child.permanent:
                own.append("permanently excluded")
            if child.fixed >= FIXED_EXCLUSIONS:
                own.append(f"{child.fixed} fixed exclusions")
            # Absence is unknown without possible sessions: it neither meets nor fails the line.
            if child.possible and child.unauthorised * 100 >= child.possible * ABSENCE_PERCENT:
                own.append(
                    f"{absence_percent(child.unauthorised, child.possible)}% unauthorised absence"
                    f" ({child.unauthorised}/{child.possible} sessions)"
                )
            if own:
                problems.append(f"{child.name} {', '.join(own)} in the last three terms")
        # Missing school data is not evidence of success: a spot check would refuse the claim.
        for child in facts.unevidenced:
            problems.append(
                f"no attendance data for {child.name}, {child.age}, in the last three terms"
            )
        for child in facts.out_of_school:
            if child.status == "not_on_roll":
                problems.append(f"{child.name} not on a school roll")
            else:
                problems.append(f"{child.name} in {child.status.replace('_', ' ')} after exclusion")
        if problems:
            return Measure(
                "education",
                NOT_ACHIEVED,
                "education: " + "; ".join(problems),
                # Whose school data is missing, for the page's "why not yet".
                {"missing_attendance": [[c.name, c.age] for c in facts.unevidenced]}
                if facts.unevidenced
                else {},
            )
        if not facts.children:
            return Measure(
                "education",
                ACHIEVED,
                "education: no child of school age in the household and none with "
                "attendance records in the last three terms",
            )
        shown = ", ".join(
            f"{c.name} {absence_percent(c.unauthorised, c.possible)}%"
            if c.possible
            else f"{c.name} no possible sessions"
            for c in facts.children
        )
        return Measure(
            "education",
            ACHIEVED,
            f"education: every child below {ABSENCE_PERCENT}% unauthorised absence with fewer "
            f"than {FIXED_EXCLUSIONS} fixed and no permanent exclusion ({shown})",
        )

    def anti_social_behaviour(self, facts: FamilyFacts) -> Measure:
        baseline = facts.baseline_asb_events
        if baseline == 0:
            return Measure("asb", NOT_RELEVANT, "ASB: no events in the 6 months before attachment")
        allowed = baseline * ASB_BASELINE_PARTS // ASB_RECENT_PARTS
        achieved = facts.asb_recent * ASB_RECENT_PARTS <= baseline * ASB_BASELINE_PARTS
        return Measure(
            "asb",
            ACHIEVED if achieved else NOT_ACHIEVED,
            f"ASB: {_plural(facts.asb_recent, 'event')} in the last 6 months against "
            f"{baseline} in the 6 months before attachment; {allowed} or fewer needed",
            {"recent": facts.asb_recent, "baseline": baseline, "allowed": allowed},
        )

    def youth_offending(self, facts: FamilyFacts) -> Measure:
        baseline = facts.baseline_youth_offences
        if baseline == 0:
            return Measure(
                "youth_offending",
                NOT_RELEVANT,
                "youth offending: no proven offences in the 6 months before attachment",
            )
        allowed = baseline * YOUTH_BASELINE_PARTS // YOUTH_RECENT_PARTS
        achieved = facts.youth_recent * YOUTH_RECENT_PARTS <= baseline * YOUTH_BASELINE_PARTS
        return Measure(
            "youth_offending",
            ACHIEVED if achieved else NOT_ACHIEVED,
            f"youth offending: {_plural(facts.youth_recent, 'proven offence')} in the last 6 "
            f"months against {baseline} in the 6 months before attachment; "
            f"{allowed} or fewer needed",
            {"recent": facts.youth_recent, "baseline": baseline, "allowed": allowed},
        )

    # --- Progress to work --------------------------------------------------------------------

    def progress_to_work(self, facts: FamilyFacts) -> Assessment:
        if not facts.baseline_work:
            return Assessment(
                ResultType.PROGRESS_TO_WORK, NOT_RELEVANT, "work: not a problem at attachment"
            )
        if facts.work_starts:
            latest = facts.work_starts[-1]
            provision = "Work Programme" if latest.provision == "work_programme" else "ESF"
            return Assessment(
                ResultType.PROGRESS_TO_WORK,
                ACHIEVED,
                f"progress to work: {latest.name} joined {provision} on {latest.attached_date}",
            )
        return Assessment(
            ResultType.PROGRESS_TO_WORK,
            NOT_ACHIEVED,
            "progress to work: no adult joined the Work Programme or ESF provision after "
            "attachment in the last 6 months",
        )

    # --- Continuous employment ----------------------------------------------------------------

    def continuous_employment(self, facts: FamilyFacts, as_of: date) -> Assessment:
        if not facts.baseline_work:
            return Assessment(
                ResultType.CONTINUOUS_EMPLOYMENT,
                NOT_RELEVANT,
                "work: not a problem at attachment",
            )
        best_days, best_reason = 0, None
        for job in facts.jobs:
            last_day = job.start + timedelta(days=EMPLOYMENT_DAYS - 1)
            if job.overlapping_benefit:
                reason = (
                    f"employment: {job.name}'s job from {job.start} overlaps "
                    f"{job.overlapping_benefit} from {job.overlapping_from}"
                )
                days = 0
            elif job.end is not None and job.end < last_day:
                days = (job.end - job.start).days + 1
                reason = (
                    f"employment: {job.name}'s job from {job.start} ended on {job.end} after "
                    f"{days} of {EMPLOYMENT_DAYS} days"
                )
                days = 0
            elif last_day <= as_of:
                return Assessment(
                    ResultType.CONTINUOUS_EMPLOYMENT,
                    ACHIEVED,
                    f"employment: {job.name} in work from {job.start}, "
                    f"{EMPLOYMENT_DAYS} days off benefit by {last_day}",
                    details={"days_so_far": EMPLOYMENT_DAYS},
                )
            else:
                days = (as_of - job.start).days + 1
                reason = (
                    f"employment: {days} of {EMPLOYMENT_DAYS} days so far "
                    f"({job.name}, in work from {job.start})"
                )
            if best_reason is None or days > best_days:
                best_days, best_reason = days, reason
        return Assessment(
            ResultType.CONTINUOUS_EMPLOYMENT,
            NOT_ACHIEVED,
            best_reason
            or "employment: no adult who was on benefit at attachment has started work since",
            details={"days_so_far": best_days},
        )


RULE_SETS: dict[str, ResultsRules] = {RULES_VERSION: Results2012()}
CURRENT_RULES: ResultsRules = RULE_SETS[RULES_VERSION]


def evaluate(
    as_of: date, household_ids: Iterable[int] | None = None, rules: ResultsRules = CURRENT_RULES
) -> list[FamilyResults]:
    """Every attached family's results on the claim day ``as_of``, sorted by family ref."""
    return [rules.assess(facts, as_of) for facts in gather_facts(as_of, household_ids)]
