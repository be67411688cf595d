"""What every claims service shares: the refusal, the role check and the pack lock."""

from __future__ import annotations

from accounts.roles import Role, has_role
from claims.models import ClaimPack


class ClaimRefused(Exception):
    """An illegal transition or a user without the role for it; nothing was changed."""


def require_role(user, *roles: Role) -> None:
    if user is None or not has_role(user, *roles):
        names = " or ".join(role.label.lower() for role in roles)
        raise ClaimRefused(f"Only a {names} can do this.")


def locked_pack(pack: ClaimPack) -> ClaimPack:
    return ClaimPack.objects.select_for_update().select_related("window").get(pk=pack.pk)
