"""The families app's models, split by job; everything is re-exported here so that
``from families.models import X`` works whichever module X lives in. The work recorded on a
case file (consent, assessment, plan, notes...) is in ``casework.models``."""

from .casefiles import Allocation, CaseFile
from .identification import (
    CohortDecision,
    CurrentEligibility,
    EligibilityChange,
    EligibilityResult,
    EligibilityRun,
    LocalDiscretionSettings,
)
from .records import (
    FIRST_SNAPSHOT_FROM,
    AsbEvent,
    Attendance,
    BenefitSpell,
    Concern,
    EducationStatus,
    EmploymentSpell,
    Exclusion,
    Household,
    ImportBatch,
    ImportKind,
    Membership,
    Offence,
    PartnerRecord,
    Person,
    WorkProgress,
)

__all__ = [
    "FIRST_SNAPSHOT_FROM",
    "Allocation",
    "AsbEvent",
    "Attendance",
    "BenefitSpell",
    "CaseFile",
    "CohortDecision",
    "Concern",
    "CurrentEligibility",
    "EducationStatus",
    "EligibilityChange",
    "EligibilityResult",
    "EligibilityRun",
    "EmploymentSpell",
    "Exclusion",
    "Household",
    "ImportBatch",
    "ImportKind",
    "LocalDiscretionSettings",
    "Membership",
    "Offence",
    "PartnerRecord",
    "Person",
    "WorkProgress",
]
