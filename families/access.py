"""Record-level access to families (roles-and-access.md).

Every view that shows a family loads it through ``get_household_for_user`` (or
``get_case_file_for_user``): what a user may not see is a 404 (existence is not disclosed) and
the attempt is written to the audit log.

What a user may see depends on why they look (a ``Sight``). Coordinators see every family for
every purpose and a key worker the families allocated to them. Other roles see a family only
through a provider another app registers, because the reason lives there: the auditors'
spot-check sample is in ``claims`` (``claims.selectors.households_sampled_for``), which may
import ``families`` but not the other way round.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from enum import StrEnum
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.roles import Role, roles_of
from audit.models import AuditEntry
from audit.services import audit_record
from families.models import CaseFile, Household

# Roles that see every family in the authority, for every purpose.
SEES_ALL_FAMILIES = {Role.COORDINATOR}


class Sight(StrEnum):
    # Reading a family's case file, members and source records.
    CASE_FILE = "case_file"
    # Recording on the case file: consent, assessment, plan, notes, tasks...
    CASEWORK = "casework"


SightProvider = Callable[[object], QuerySet[Household]]
_PROVIDERS: dict[tuple[Role, Sight], list[SightProvider]] = defaultdict(list)


def register_sight(role: Role, sight: Sight, provider: SightProvider) -> None:
    """Let ``role`` see, for ``sight``, the households ``provider(user)`` returns.

    Call it from an ``AppConfig.ready``, as claims registers the auditor's spot-check sample
    for ``Sight.CASE_FILE``. Nobody may be given ``Sight.CASEWORK`` this way.
    """
    if sight == Sight.CASEWORK:
        raise ValueError("Only coordinators and the family's key worker record casework.")
    _PROVIDERS[(role, sight)].append(provider)


def households_visible_to(user, sight: Sight = Sight.CASE_FILE) -> QuerySet[Household]:
    """The households ``user`` may open for ``sight``, as one query."""
    roles = roles_of(user)
    if roles & SEES_ALL_FAMILIES:
        return Household.objects.all()
    allowed: list[Q] = []
    if Role.KEY_WORKER in roles:
        allowed.append(Q(case_file__key_worker=user))
    for role in roles:
        allowed.extend(
            Q(pk__in=provider(user).values("pk")) for provider in _PROVIDERS[(role, sight)]
        )
    if not allowed:
        return Household.objects.none()
    return Household.objects.filter(reduce(or_, allowed))


def deny(request, ref: str, why: str = "") -> Http404:
    """Audit a refused look at family ``ref`` and return the 404 to raise."""
    ref = ref[:32]
    audit_record(
        action=AuditEntry.Action.DENIED,
        request=request,
        family_ref=ref,
        summary=f"Refused access to family {ref}" + (f": {why}" if why else ""),
    )
    return Http404("No such family.")


def get_household_for_user(
    request,
    ref: str,
    *,
    queryset: QuerySet[Household] | None = None,
    sight: Sight = Sight.CASE_FILE,
) -> Household:
    """Load the household ``ref`` if the signed-in user may see it; otherwise 404 and audit."""
    visible = households_visible_to(request.user, sight)
    if queryset is not None:
        visible = visible & queryset
    household = visible.filter(ref=ref).first()
    if household is None:
        raise deny(request, ref)
    return household


def get_case_file_for_user(request, ref: str, *, sight: Sight = Sight.CASE_FILE) -> CaseFile:
    """Load family ``ref``'s case file (with household and key worker) or 404 and audit."""
    visible = households_visible_to(request.user, sight)
    case_file = (
        CaseFile.objects.select_related("household", "key_worker")
        .filter(household__in=visible, household__ref=ref)
        .first()
    )
    if case_file is None:
        raise deny(request, ref)
    return case_file


def sees_sensitive_notes(user, case_file: CaseFile) -> bool:
    """Sensitive notes are for the family's key worker and coordinators only."""
    return bool(roles_of(user) & SEES_ALL_FAMILIES) or case_file.key_worker_id == user.pk


def is_coordinator(user) -> bool:
    return Role.COORDINATOR in roles_of(user)
