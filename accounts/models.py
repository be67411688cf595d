from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A member of staff. Roles are groups (see ``accounts.roles``), changed only through the
    service's user pages (``accounts.users``), never by the user themselves."""

    # Set by an administrator for this person, whatever the sign-in policy says of their roles.
    second_factor_required = models.BooleanField(default=False)

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class SignInPolicy(models.Model):
    """How staff sign in, set by an administrator: one row (``SignInPolicy.current()``)."""

    # Role values (``accounts.roles.Role``) whose holders must use a second factor.
    second_factor_roles = models.JSONField(default=list, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "sign-in policy"

    @classmethod
    def current(cls) -> SignInPolicy:
        return cls.objects.order_by("pk").first() or cls()
