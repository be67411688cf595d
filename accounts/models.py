from __future__ import annotations

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A member of staff. Roles are groups (see ``accounts.roles``)."""

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
