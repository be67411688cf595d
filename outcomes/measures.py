"""A family's measures over time, for the family outcomes page: each child's unauthorised
absence and exclusions by term, ASB events and proven youth offences by month against the
baseline, adults' benefit and employment spells, and the key worker's progress scores. Each
also as rows for the table beside its chart. A fixed number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q

from casework.models import ReviewMeeting
from families.dates import age_on, months_after, months_before, terms_of
from families.models import (
    AsbEvent,
    Attendance,
    BenefitSpell,
    CaseFile,
    EmploymentSpell,
    Exclusion,
    Membership,
    Offence,
)
from families.programme import ABSENCE_PERCENT, ADULT_AGE
from outcomes.results import (
    ASB_BASELINE_PARTS,
    ASB_RECENT_PARTS,
    YOUTH_BASELINE_PARTS,
    YOUTH_RECENT_PARTS,
)

# How far back before attachment the measures over time start.
HISTORY_MONTHS = 12


@dataclass
class Measures:
    """Everything the family outcomes page charts, each also as rows for its table."""

    since: date
    until: date
    terms: list[str] = field(default_factory=list)
    absence: list[dict] = field(default_factory=list)  # per child: name, values per term
    absence_rows: list[dict] = field(default_factory=list)
    exclusion_rows: list[dict] = field(default_factory=list)
    months: list[str] = field(default_factory=list)
    month_rows: list[dict] = field(default_factory=list)
    asb_allowed: int | None = None
    youth_allowed: int | None = None
    spells: list[dict] = field(default_factory=list)
    score_domains: list[str] = field(default_factory=list)
    score_rows: list[dict] = field(default_factory=list)


def _term_of(day: date):
    for term in terms_of(day.year - 1) + terms_of(day.year):
        if term.start <= day <= term.end:
            return term
    raise ValueError(day)


def _month_starts(since: date, until: date) -> list[date]:
    first = since.replace(day=1)
    months = []
    while first <= until:
        months.append(first)
        first = months_after(first, 1)
    return months


def family_measures(case_file: CaseFile, until: date) -> Measures:
    """The family's measures from a year before attachment to ``until``: absence and
    exclusions by term, ASB events and proven youth offences by month against the baseline,
    adults' benefit and employment spells, and the key worker's progress scores."""
    household = case_file.household
    since = months_before(case_file.attached_on, HISTORY_MONTHS)
    measures = Measures(since=since, until=until)
    members = list(
        Membership.objects.filter(household=household, valid_from__lte=until)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=until))
        .select_related("person")
        .order_by("person__date_of_birth", "person__given_name")
    )
    people = {m.person_id: m.person for m in members}
    _absence_and_exclusions(measures, people)
    _events_by_month(measures, case_file, people)
    _spells(measures, people)
    _scores(measures, case_file)
    return measures


def _absence_and_exclusions(measures: Measures, people: dict) -> None:
    rows = list(
        Attendance.objects.filter(
            person_id__in=people, term_end__gte=measures.since, term_start__lte=measures.until
        ).order_by("term_start")
    )
    terms = sorted({(r.term_start, f"{r.term} {r.academic_year}") for r in rows})
    measures.terms = [label for _, label in terms]
    by_child: dict[int, dict[str, Attendance]] = defaultdict(dict)
    for r in rows:
        by_child[r.person_id][f"{r.term} {r.academic_year}"] = r

    def percent(r: Attendance | None) -> float | None:
        if r is None or not r.possible_sessions:
            return None
        return round(r.unauthorised_sessions * 100 / r.possible_sessions, 1)

    for person_id, terms_seen in by_child.items():
        measures.absence.append(
            {
                "name": people[person_id].given_name,
                "values": [percent(terms_seen.get(label)) for label in measures.terms],
            }
        )
    measures.absence_rows = [
        {
            "term": label,
            "cells": [
                (
                    f"{percent(by_child[pid].get(label))}% "
                    f"({by_child[pid][label].unauthorised_sessions}/"
                    f"{by_child[pid][label].possible_sessions})"
                    if by_child[pid].get(label) and by_child[pid][label].possible_sessions
                    else "–"
                )
                for pid in by_child
            ],
        }
        for label in measures.terms
    ]
    counts: Counter = Counter()
    for exclusion in Exclusion.objects.filter(
        person_id__in=people, start_date__gte=measures.since, start_date__lte=measures.until
    ):
        counts[(_term_of(exclusion.start_date), exclusion.exclusion_type)] += 1
    exclusion_terms = sorted({term for term, _ in counts}, key=lambda t: t.start)
    measures.exclusion_rows = [
        {
            "term": str(term),
            "fixed": counts[(term, Exclusion.Type.FIXED)],
            "permanent": counts[(term, Exclusion.Type.PERMANENT)],
        }
        for term in exclusion_terms
    ]


def _events_by_month(measures: Measures, case_file: CaseFile, people: dict) -> None:
    months = _month_starts(measures.since, measures.until)
    asb: Counter = Counter()
    for day in AsbEvent.objects.filter(
        Q(household=case_file.household) | Q(person_id__in=people),
        event_date__gte=months[0],
        event_date__lte=measures.until,
    ).values_list("event_date", flat=True):
        asb[day.replace(day=1)] += 1
    youth: Counter = Counter()
    for person_id, day in (
        Offence.objects.filter(
            person_id__in=people,
            offence_date__gte=months[0],
            offence_date__lte=measures.until,
            outcome_date__lte=measures.until,
        )
        .exclude(outcome_type=Offence.Outcome.COMMUNITY_RESOLUTION)
        .values_list("person_id", "offence_date")
    ):
        if age_on(people[person_id].date_of_birth, day) < ADULT_AGE:
            youth[day.replace(day=1)] += 1
    measures.months = [f"{m:%b %Y}" for m in months]
    measures.month_rows = [
        {
            "month": f"{m:%b %Y}",
            "asb": asb[m],
            "asb_six_months": sum(asb[x] for x in months[max(0, i - 5) : i + 1]),
            "youth": youth[m],
            "youth_six_months": sum(youth[x] for x in months[max(0, i - 5) : i + 1]),
        }
        for i, m in enumerate(months)
    ]
    if case_file.baseline_asb_events:
        measures.asb_allowed = (
            case_file.baseline_asb_events * ASB_BASELINE_PARTS // ASB_RECENT_PARTS
        )
    if case_file.baseline_youth_offences:
        measures.youth_allowed = (
            case_file.baseline_youth_offences * YOUTH_BASELINE_PARTS // YOUTH_RECENT_PARTS
        )


def _spells(measures: Measures, people: dict) -> None:
    adults = {
        pid: p for pid, p in people.items() if age_on(p.date_of_birth, measures.until) >= ADULT_AGE
    }
    overlapping = Q(start_date__lte=measures.until) & (
        Q(end_date__isnull=True) | Q(end_date__gte=measures.since)
    )
    spells = [
        (adults[s.person_id].given_name, s.benefit, s.start_date, s.end_date)
        for s in BenefitSpell.objects.filter(overlapping, person_id__in=adults)
    ] + [
        (adults[s.person_id].given_name, "Employment", s.start_date, s.end_date)
        for s in EmploymentSpell.objects.filter(overlapping, person_id__in=adults)
    ]
    measures.spells = [
        {
            "who": name,
            "what": what,
            "start": start,
            "end": end,
            "shown_from": max(start, measures.since),
            "shown_to": min(end or measures.until, measures.until),
        }
        for name, what, start, end in sorted(spells, key=lambda s: (s[0], s[2]))
    ]


def _scores(measures: Measures, case_file: CaseFile) -> None:
    reviews = list(
        ReviewMeeting.objects.filter(case_file=case_file)
        .prefetch_related("scores")
        .order_by("held_on", "id")
    )
    domains = sorted(
        {score.get_domain_display() for review in reviews for score in review.scores.all()}
    )
    measures.score_domains = domains
    measures.score_rows = [
        {
            "held_on": review.held_on,
            "scores": [
                next(
                    (s.score for s in review.scores.all() if s.get_domain_display() == domain),
                    None,
                )
                for domain in domains
            ],
        }
        for review in reviews
    ]


def chart_configs(measures: Measures) -> dict[str, dict]:
    """Chart.js configurations for the page's charts (the tables hold the same figures)."""
    palette = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#b58840"]
    line = {
        "type": "line",
        "options": {"spanGaps": True, "animation": False, "maintainAspectRatio": False},
    }
    configs = {
        "absence": {
            **line,
            "data": {
                "labels": measures.terms,
                "datasets": [
                    {
                        "label": child["name"],
                        "data": child["values"],
                        "borderColor": palette[i % len(palette)],
                        "backgroundColor": palette[i % len(palette)],
                    }
                    for i, child in enumerate(measures.absence)
                ]
                + [
                    {
                        "label": f"{ABSENCE_PERCENT}% line",
                        "data": [ABSENCE_PERCENT] * len(measures.terms),
                        "borderColor": "#0b0c0c",
                        "borderDash": [6, 4],
                        "pointRadius": 0,
                    }
                ],
            },
        },
        "exclusions": {
            "type": "bar",
            "options": {
                "animation": False,
                "maintainAspectRatio": False,
                "scales": {"x": {"stacked": True}, "y": {"stacked": True}},
            },
            "data": {
                "labels": [row["term"] for row in measures.exclusion_rows],
                "datasets": [
                    {
                        "label": "Fixed",
                        "data": [row["fixed"] for row in measures.exclusion_rows],
                        "backgroundColor": palette[0],
                    },
                    {
                        "label": "Permanent",
                        "data": [row["permanent"] for row in measures.exclusion_rows],
                        "backgroundColor": palette[1],
                    },
                ],
            },
        },
    }
    for key, label, allowed in (
        ("asb", "ASB events", measures.asb_allowed),
        ("youth", "Proven youth offences", measures.youth_allowed),
    ):
        datasets = [
            {
                "type": "bar",
                "label": f"{label} in the month",
                "data": [row[key] for row in measures.month_rows],
                "backgroundColor": palette[2],
            },
            {
                "type": "line",
                "label": f"{label} in the last 6 months",
                "data": [row[f"{key}_six_months"] for row in measures.month_rows],
                "borderColor": palette[0],
                "backgroundColor": palette[0],
            },
        ]
        if allowed is not None:
            datasets.append(
                {
                    "type": "line",
                    "label": "Most allowed in 6 months for the result",
                    "data": [allowed] * len(measures.month_rows),
                    "borderColor": "#0b0c0c",
                    "borderDash": [6, 4],
                    "pointRadius": 0,
                }
            )
        configs[key] = {
            "type": "bar",
            "options": {"animation": False, "maintainAspectRatio": False},
            "data": {"labels": measures.months, "datasets": datasets},
        }
    epoch = date(1970, 1, 1)
    configs["spells"] = {
        "type": "bar",
        "dateAxis": True,
        "options": {
            "animation": False,
            "maintainAspectRatio": False,
            "indexAxis": "y",
            "scales": {
                "x": {
                    "min": (measures.since - epoch).days,
                    "max": (measures.until + timedelta(days=1) - epoch).days,
                }
            },
        },
        "data": {
            "labels": [f"{s['who']}: {s['what']}" for s in measures.spells],
            "datasets": [
                {
                    "label": "Spell",
                    "data": [
                        [
                            (s["shown_from"] - epoch).days,
                            (s["shown_to"] + timedelta(days=1) - epoch).days,
                        ]
                        for s in measures.spells
                    ],
                    "backgroundColor": [
                        palette[2] if s["what"] == "Employment" else palette[1]
                        for s in measures.spells
                    ],
                }
            ],
        },
    }
    configs["scores"] = {
        **line,
        "options": {
            "animation": False,
            "maintainAspectRatio": False,
            "scales": {"y": {"min": 1, "max": 10}},
        },
        "data": {
            "labels": [f"{row['held_on']:%-d %b %Y}" for row in measures.score_rows],
            "datasets": [
                {
                    "label": domain,
                    "data": [row["scores"][i] for row in measures.score_rows],
                    "borderColor": palette[i % len(palette)],
                    "backgroundColor": palette[i % len(palette)],
                }
                for i, domain in enumerate(measures.score_domains)
            ],
        },
    }
    return configs
