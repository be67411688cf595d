"""What each kind of partner extract looks like (data-formats.md): its columns and their types.

The validation SQL and the header check are generated from these descriptions, so adding a
column to a kind is one line here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from families.models import (
    AsbEvent,
    Attendance,
    BenefitSpell,
    Concern,
    EducationStatus,
    Exclusion,
    ImportKind,
    Offence,
    Person,
    WorkProgress,
)


class Type(Enum):
    # A reference named by the file itself (people: created on demand).
    REF = "ref"
    # A person_ref / household_ref that must already be known from a people import.
    PERSON = "person"
    HOUSEHOLD = "household"
    TEXT = "text"
    DATE = "date"
    COUNT = "count"
    CHOICE = "choice"
    ACADEMIC_YEAR = "academic_year"
    # Identified files (linkage.md): the partner system's own id for the person, and the
    # identifiers whose shape is checked.
    SOURCE_PERSON = "source_person"
    NINO = "nino"
    UPN = "upn"


@dataclass(frozen=True)
class Column:
    name: str
    type: Type
    # The column may be left out of the header altogether.
    optional: bool = False
    # A cell may be blank ("none").
    blank: bool = False
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    # A date that may not be earlier than this other date column of the same row.
    not_before: str | None = None
    # A count that may not be larger than this other count column of the same row.
    at_most: str | None = None
    # Part of who a source person is: every row of one source_person_id must agree on it.
    identity: bool = False


@dataclass(frozen=True)
class Kind:
    name: str
    columns: tuple[Column, ...]
    # Rows name either a person or a household (asb, concerns): exactly one of the two.
    person_or_household: bool = False
    # The shape of linkage.md: people named by the partner's own id and identity, not by
    # the council's person_ref.
    identified: bool = False

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def person_column(self) -> str:
        return "source_person_id" if self.identified else "person_ref"


def _choices(text_choices) -> tuple[str, ...]:
    return tuple(text_choices.values)


_PERSON = Column("person_ref", Type.PERSON)
_OPTIONAL_PERSON = Column("person_ref", Type.PERSON, optional=True, blank=True)
_OPTIONAL_HOUSEHOLD = Column("household_ref", Type.HOUSEHOLD, optional=True, blank=True)

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in [
        Kind(
            ImportKind.PEOPLE,
            (
                Column("household_ref", Type.REF, max_length=32),
                Column("person_ref", Type.REF, max_length=32),
                Column("given_name", Type.TEXT, max_length=200),
                Column("family_name", Type.TEXT, max_length=200),
                Column("date_of_birth", Type.DATE),
                Column("sex", Type.CHOICE, choices=_choices(Person.Sex)),
                # Some people have no fixed address: the column is required, a value is not.
                Column("postcode", Type.TEXT, blank=True, max_length=16),
                Column("upn", Type.TEXT, optional=True, blank=True, max_length=20),
                Column("nino", Type.TEXT, optional=True, blank=True, max_length=16),
            ),
        ),
        Kind(
            ImportKind.ATTENDANCE,
            (
                _PERSON,
                Column("academic_year", Type.ACADEMIC_YEAR),
                Column("term", Type.CHOICE, choices=_choices(Attendance.Term)),
                Column("possible_sessions", Type.COUNT),
                Column("unauthorised_sessions", Type.COUNT, at_most="possible_sessions"),
            ),
        ),
        Kind(
            ImportKind.EXCLUSIONS,
            (
                _PERSON,
                Column("start_date", Type.DATE),
                Column("exclusion_type", Type.CHOICE, choices=_choices(Exclusion.Type)),
                Column("sessions", Type.COUNT, optional=True, blank=True),
            ),
        ),
        Kind(
            ImportKind.EDUCATION_STATUS,
            (
                _PERSON,
                Column("status", Type.CHOICE, choices=_choices(EducationStatus.Status)),
                Column("reason", Type.CHOICE, choices=_choices(EducationStatus.Reason)),
                Column("start_date", Type.DATE),
                Column("end_date", Type.DATE, blank=True, not_before="start_date"),
            ),
        ),
        Kind(
            ImportKind.OFFENCES,
            (
                _PERSON,
                Column("source_ref", Type.TEXT, max_length=64),
                Column("offence_date", Type.DATE),
                Column("outcome_date", Type.DATE, blank=True, not_before="offence_date"),
                Column("offence_type", Type.TEXT, blank=True),
                Column(
                    "outcome_type",
                    Type.CHOICE,
                    optional=True,
                    blank=True,
                    choices=_choices(Offence.Outcome),
                ),
            ),
        ),
        Kind(
            ImportKind.ASB,
            (
                _OPTIONAL_PERSON,
                _OPTIONAL_HOUSEHOLD,
                Column("source_ref", Type.TEXT, max_length=64),
                Column("event_date", Type.DATE),
                Column("event_type", Type.CHOICE, choices=_choices(AsbEvent.Type)),
            ),
            person_or_household=True,
        ),
        Kind(
            ImportKind.BENEFITS,
            (
                _PERSON,
                Column("benefit", Type.CHOICE, choices=_choices(BenefitSpell.Benefit)),
                Column("start_date", Type.DATE),
                Column("end_date", Type.DATE, blank=True, not_before="start_date"),
            ),
        ),
        Kind(
            ImportKind.EMPLOYMENT,
            (
                _PERSON,
                Column("start_date", Type.DATE),
                Column("end_date", Type.DATE, blank=True, not_before="start_date"),
            ),
        ),
        Kind(
            ImportKind.WORK_PROGRESS,
            (
                _PERSON,
                Column("provision", Type.CHOICE, choices=_choices(WorkProgress.Provision)),
                Column("attached_date", Type.DATE),
            ),
        ),
        Kind(
            ImportKind.CONCERNS,
            (
                _OPTIONAL_PERSON,
                _OPTIONAL_HOUSEHOLD,
                Column("concern", Type.CHOICE, choices=_choices(Concern.Type)),
                Column("start_date", Type.DATE),
                Column("end_date", Type.DATE, blank=True, not_before="start_date"),
            ),
            person_or_household=True,
        ),
    ]
}


def _identity(*, optional: bool) -> tuple[Column, ...]:
    return (
        Column(
            "source_person_id", Type.SOURCE_PERSON, optional=optional, blank=optional, max_length=64
        ),
        Column("given_name", Type.TEXT, max_length=200, identity=True),
        Column("family_name", Type.TEXT, max_length=200, identity=True),
        Column("date_of_birth", Type.DATE, identity=True),
        Column("postcode", Type.TEXT, optional=True, blank=True, max_length=16),
        Column("upn", Type.UPN, optional=True, blank=True),
        Column("nino", Type.NINO, optional=True, blank=True),
    )


def _identified(kind: Kind) -> Kind:
    """The identified shape of a person-level kind: person_ref's place taken by the
    partner's id for the person and the identity it gives."""
    columns: list[Column] = []
    for column in kind.columns:
        if column.name == "person_ref":
            columns += _identity(optional=kind.person_or_household)
        else:
            columns.append(column)
    return Kind(kind.name, tuple(columns), kind.person_or_household, identified=True)


IDENTIFIED_KINDS: dict[str, Kind] = {
    name: _identified(kind)
    for name, kind in KINDS.items()
    if any(column.type == Type.PERSON for column in kind.columns)
}
