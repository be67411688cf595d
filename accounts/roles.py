"""The six roles of roles-and-access.md. Each is a Django group created by a migration."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    KEY_WORKER = "key_worker", "Key worker"
    COORDINATOR = "coordinator", "Coordinator"
    FINANCE_OFFICER = "finance_officer", "Finance officer"
    DATA_OFFICER = "data_officer", "Data officer"
    AUDITOR = "auditor", "Auditor"
    ADMINISTRATOR = "administrator", "Administrator"

    @classmethod
    def parse(cls, text: str) -> Role:
        """Accept a role by slug or label, any case, with spaces, hyphens or underscores."""
        wanted = text.strip().lower().replace("-", "_").replace(" ", "_")
        for role in cls:
            if wanted in (role.value, role.label.lower().replace(" ", "_")):
                return role
        names = ", ".join(role.value for role in cls)
        raise ValueError(f"Unknown role {text!r}: choose one of {names}.")


def roles_of(user) -> set[Role]:
    """The roles a user holds, read from group names (cached on the user object)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_tfp_roles", None)
    if cached is None:
        labels = {role.label: role for role in Role}
        cached = {
            labels[name] for name in user.groups.values_list("name", flat=True) if name in labels
        }
        user._tfp_roles = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))
