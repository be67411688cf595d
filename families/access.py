"""Record-level access to families (roles-and-access.md).

Every view that shows a family loads it through ``get_household_for_user``: what a user may not
see is a 404 (existence is not disclosed) and the attempt is written to the audit log.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.roles import Role, roles_of
from audit.models import AuditEntry
from audit.services import audit_record
from families.models import Household

# Roles that see every family in the authority.
SEES_ALL_FAMILIES = {Role.COORDINATOR}


def households_visible_to(user) -> QuerySet[Household]:
    """The households whose case file and records ``user`` may open."""
    roles = roles_of(user)
    if roles & SEES_ALL_FAMILIES:
        return Household.objects.all()
    if Role.KEY_WORKER in roles:
        return Household.objects.filter(case_file__key_worker=user)
    return Household.objects.none()


def get_household_for_user(
    request, ref: str, *, queryset: QuerySet[Household] | None = None
) -> Household:
    """Load the household ``ref`` if the signed-in user may see it; otherwise 404 and audit."""
    visible = households_visible_to(request.user)
    if queryset is not None:
        visible = visible & queryset
    household = visible.filter(ref=ref).first()
    if household is None:
        audit_record(
            action=AuditEntry.Action.DENIED,
            request=request,
            family_ref=ref[:32],
            summary=f"Refused access to family {ref[:32]}",
        )
        raise Http404("No such family.")
    return household
