"""The append-only audit log (roles-and-access.md): who, when, what object, what action, from where.

The database itself refuses UPDATE and DELETE on this table (a trigger, see migration 0002),
so not even the application can rewrite history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        DELETE = "delete", "Deleted"
        EXPORT = "export", "Exported"
        DOWNLOAD = "download", "Downloaded"
        IMPORT = "import", "Imported"
        DENIED = "denied", "Access refused"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_OUT = "sign_out", "Signed out"
        RUN = "run", "Ran"
        # Read by the unusual-access report: who was given, or lost, a role.
        ROLE_GRANTED = "role_granted", "Role granted"
        ROLE_REMOVED = "role_removed", "Role removed"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Kept as text too, so the entry reads the same if the account is renamed.
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    # What was acted on: a model label ("families.casefile"), its key, and the family concerned.
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    family_ref = models.CharField(max_length=32, blank=True, db_index=True)
    summary = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["user", "-at"]), models.Index(fields=["action", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.summary}"
