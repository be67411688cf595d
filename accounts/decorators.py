from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied

from accounts.roles import Role, has_role


def roles_required(*roles: Role) -> Callable:
    """A whole page for some roles only: anyone else gets 403 (the page names no family)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
