"""Case files: a family's attachment to the programme, its frozen baseline and its key
workers over time."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .records import Household


class CaseFile(models.Model):
    """A family's attachment to the programme: from the attachment date on, a key worker works
    with the whole family. What was true at attachment is frozen here as the baseline that the
    results rules compare against."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PAUSED = "paused", "Paused (consent withdrawn)"
        CLOSURE_REQUESTED = "closure_requested", "Closure awaiting approval"
        CLOSED = "closed", "Closed"

    household = models.OneToOneField(Household, on_delete=models.PROTECT, related_name="case_file")
    key_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_files"
    )
    attached_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The baseline, frozen at attachment (programme-rules.md, Attachment).
    rules_version = models.CharField(max_length=40)
    baseline_crime_asb = models.BooleanField()
    baseline_education = models.BooleanField()
    baseline_work = models.BooleanField()
    baseline_local_discretion = models.BooleanField()
    baseline_reasons = models.TextField(blank=True)
    # ASB events of any type in the 6 months before attachment, household and members.
    baseline_asb_events = models.PositiveIntegerField()
    # Offences committed under 18 in the 6 months before attachment and proven by it.
    baseline_youth_offences = models.PositiveIntegerField()

    class Meta:
        ordering = ["household__ref"]
        indexes = [models.Index(fields=["key_worker", "status"])]

    def __str__(self) -> str:
        return f"Case file {self.household.ref}"


class Allocation(models.Model):
    """Who was the family's key worker, from when to when (reallocation keeps history)."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="allocations")
    key_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations"
    )
    allocated_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    allocated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["allocated_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_file"], condition=Q(ended_on__isnull=True), name="allocation_one_open"
            ),
        ]
