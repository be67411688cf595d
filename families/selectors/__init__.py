"""Reads that the identification pages and their CSV export share, by page."""

from families.selectors.family_page import (
    RECORD_GROUPS,
    FamilyIdentification,
    Member,
    TimelineEntry,
    eligibility_history,
    family_identification,
    family_timeline,
)
from families.selectors.identification_list import (
    CRITERIA,
    DECISION_CHOICES,
    DEFAULT_SORT,
    EXPORT_HEADER,
    SORTS,
    UNDECIDED,
    IdentificationFilters,
    identification_export_rows,
    identification_list,
    latest_run,
    members_on,
    members_on_q,
)
from families.selectors.runs import recalculation_running, requested_run, run_changes

__all__ = [
    "CRITERIA",
    "DECISION_CHOICES",
    "DEFAULT_SORT",
    "EXPORT_HEADER",
    "RECORD_GROUPS",
    "SORTS",
    "UNDECIDED",
    "FamilyIdentification",
    "IdentificationFilters",
    "Member",
    "TimelineEntry",
    "eligibility_history",
    "family_identification",
    "family_timeline",
    "identification_export_rows",
    "identification_list",
    "latest_run",
    "members_on",
    "members_on_q",
    "recalculation_running",
    "requested_run",
    "run_changes",
]
