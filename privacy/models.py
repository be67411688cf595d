"""Data-protection duties (UK GDPR): erasure requests, the retention of closed cases, and a
record of what was anonymised, when and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ErasureRequest(models.Model):
    """A person's request to have their data erased, recorded by staff and decided by a
    coordinator (who may not decide a request they recorded themselves)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting a coordinator's decision"
        APPROVED = "approved", "Approved: data anonymised"
        REFUSED = "refused", "Refused"

    person = models.ForeignKey("families.Person", on_delete=models.PROTECT, related_name="+")
    # The statutory month to answer runs from the day the request was received.
    received_on = models.DateField()
    grounds = models.TextField("what the person asked for, and why")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    # Chosen on approval: also remove the text of case notes recording the person as seen.
    redact_notes = models.BooleanField(default=False)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="pending"),
                name="erasure_request_one_pending_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_note=""),
                name="erasure_request_refusal_explained",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="erasure_request_decision_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"Erasure request {self.pk}"


class RetentionRun(models.Model):
    """One pass of the retention rule: closed cases older than the retention period are
    anonymised. Kept as the count report the information-governance officer reads."""

    as_of = models.DateField()
    # Cases whose closure was approved before this day were due.
    closed_before = models.DateField()
    retention_years = models.PositiveSmallIntegerField()
    trigger = models.CharField(max_length=20, default="nightly")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finished_at = models.DateTimeField(auto_now_add=True)
    case_files = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)
    notes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-finished_at", "-id"]


class Anonymisation(models.Model):
    """A case file or a person whose personal data was anonymised, and why. The retention
    rule and erasure both skip what is recorded here, so running them again changes nothing.
    """

    class Reason(models.TextChoices):
        RETENTION = "retention", "Retention period ended"
        ERASURE = "erasure", "Erasure request approved"

    case_file = models.OneToOneField(
        "families.CaseFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.OneToOneField(
        "families.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=9, choices=Reason.choices)
    retention_run = models.ForeignKey(
        RetentionRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    erasure_request = models.ForeignKey(
        ErasureRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    anonymised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(case_file__isnull=True) ^ Q(person__isnull=True),
                name="anonymisation_of_a_case_file_or_a_person",
            ),
        ]
