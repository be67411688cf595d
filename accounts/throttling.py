"""Sign-in throttling beside django-axes' own: the lock rule, the locks in force, unlocking.

django-axes locks a username at one client address after AXES_FAILURE_LIMIT wrong passwords
(AXES_LOCKOUT_PARAMETERS), so nobody elsewhere can lock a named coordinator out. Guessing
many usernames from one address is limited here, across usernames, by a higher
SIGN_IN_ADDRESS_FAILURE_LIMIT, because a council office's staff share one address.
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record


def _recent():
    return AccessAttempt.objects.filter(
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    )


def address_failures(ip_address: str | None) -> int:
    """Wrong passwords from one address within the cool-off, whatever the usernames."""
    if not ip_address:
        return 0
    total = _recent().filter(ip_address=ip_address).aggregate(n=Sum("failures_since_start"))
    return total["n"] or 0


def address_locked(request) -> bool:
    """Whether this request's address has reached the per-address limit; audited once, when
    it is reached."""
    ip_address = get_client_ip_address(request)
    failures = address_failures(ip_address)
    if failures == settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
        audit_record(
            action=AuditEntry.Action.DENIED,
            request=request,
            summary=f"Sign-in locked for every username from {ip_address} after {failures} "
            "wrong passwords",
            details={"ip_address": ip_address},
        )
    return failures >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT


def current_locks() -> list[dict]:
    """Usernames locked at an address, and addresses locked for every username, newest first."""
    pairs = [
        {"username": row.username, "ip_address": row.ip_address, "since": row.attempt_time}
        for row in _recent()
        .filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-attempt_time")
    ]
    addresses = [
        {"username": "", "ip_address": row["ip_address"], "since": row["since"]}
        for row in _recent()
        .values("ip_address")
        .annotate(n=Sum("failures_since_start"), since=Max("attempt_time"))
        .filter(n__gte=settings.SIGN_IN_ADDRESS_FAILURE_LIMIT)
        .order_by("-since")
    ]
    return pairs + addresses


@transaction.atomic
def sign_in_unlock(*, username: str, ip_address: str, unlocked_by, request=None) -> int:
    """Lift a lock before its cool-off ends: a username at an address, or (no username) an
    address for every username."""
    removed = reset(ip=ip_address, username=username or None)
    audit_record(
        action=AuditEntry.Action.CHANGE,
        user=unlocked_by,
        request=request,
        summary=f"Unlocked sign-in for {username or 'every username'} from {ip_address}",
        details={"username": username, "ip_address": ip_address},
    )
    return removed
