"""Reads for the privacy pages: which people a user may look up, and the lists."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.roles import Role, roles_of
from audit.models import AuditEntry
from audit.services import audit_record
from families.access import Sight, households_visible_to
from families.models import Person

SEARCH_LIMIT = 50


def people_visible_to(user) -> QuerySet[Person]:
    """Coordinators may look up anyone; a key worker the members of their families."""
    roles = roles_of(user)
    if Role.COORDINATOR in roles:
        return Person.objects.all()
    if Role.KEY_WORKER in roles:
        households = households_visible_to(user, Sight.CASEWORK)
        return Person.objects.filter(memberships__household__in=households).distinct()
    return Person.objects.none()


def get_person_for_user(request, ref: str) -> Person:
    """The person ``ref`` if the user may look them up; otherwise 404 and an audit entry."""
    person = people_visible_to(request.user).filter(ref=ref).select_related("import_batch").first()
    if person is None:
        ref = ref[:32]
        audit_record(
            action=AuditEntry.Action.DENIED,
            request=request,
            summary=f"Refused access to person {ref}",
            details={"person_ref": ref},
        )
        raise Http404("No such person.")
    return person


def people_matching(user, text: str) -> list[Person]:
    """People whose reference is ``text`` or whose names contain each of its words."""
    words = text.split()
    if not words:
        return []
    matches = Q(ref__iexact=text.strip())
    by_name = Q()
    for word in words:
        by_name &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
    return list(
        people_visible_to(user)
        .filter(matches | by_name)
        .order_by("family_name", "given_name", "ref")[:SEARCH_LIMIT]
    )
