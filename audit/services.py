"""Writing audit entries. Services call ``audit_record`` inside their own transaction."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import models

from audit.models import AuditEntry

Action = AuditEntry.Action


def _client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


# Keys whose values are never kept: a filter form's query string may carry a CSRF token, a
# sign-in a password, and the audit log is kept for years and read by auditors.
_SECRET_KEY = re.compile(r"password|token|csrf|session|secret", re.IGNORECASE)


def _without_secrets(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: _without_secrets(item)
            for key, item in value.items()
            if not (isinstance(key, str) and _SECRET_KEY.search(key))
        }
    if isinstance(value, list | tuple):
        return [_without_secrets(item) for item in value]
    return value


def _storable(value: Any) -> Any:
    """``value`` without NUL characters, which PostgreSQL cannot store in text or JSON: an
    entry must still be written when what it records (a query string, say) came with one."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value


def audit_record(
    *,
    action: str,
    user=None,
    request=None,
    obj: models.Model | None = None,
    family_ref: str = "",
    summary: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. ``request`` supplies the user, address and path when given."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditEntry.objects.create(
        action=action,
        user=user,
        username=user.get_username() if user is not None else "",
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        family_ref=family_ref,
        summary=_storable(summary)[:500],
        ip_address=_client_ip(request),
        path=_storable(request.path)[:500] if request is not None else "",
        details=_storable(_without_secrets(details or {})),
    )


def audit_read(
    *,
    request,
    summary: str,
    families: Iterable[str] = (),
    obj: models.Model | None = None,
    family_ref: str = "",
    **details: Any,
) -> AuditEntry:
    """A page or export that names people was read: who, when, and which families it showed
    (by reference: the audit log never names a person)."""
    return audit_record(
        action=Action.VIEW,
        request=request,
        obj=obj,
        family_ref=family_ref,
        summary=summary,
        details={"families": sorted(set(families)), **details},
    )
