"""Identification: the eligibility runs, each household's current assessment, and the
coordinator's cohort decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .records import Concern, Household


class LocalDiscretionSettings(models.Model):
    """The concern types that count towards local discretion (criterion 4): one row."""

    concern_types = models.JSONField(default=list)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    @classmethod
    def current(cls) -> LocalDiscretionSettings:
        found = cls.objects.select_related("updated_by").order_by("pk").first()
        return found or cls(concern_types=list(Concern.Type.values))


class EligibilityRun(models.Model):
    """One recalculation of the identification rules over all (or some) households."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    class Scope(models.TextChoices):
        FULL = "full", "All households"
        PARTIAL = "partial", "Households touched by an import"

    as_of = models.DateField()
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.FULL)
    rules_version = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    trigger = models.CharField(max_length=40, default="command")
    households_assessed = models.PositiveIntegerField(default=0)
    households_meeting_any = models.PositiveIntegerField(default=0)
    households_eligible = models.PositiveIntegerField(default=0)
    newly_eligible = models.PositiveIntegerField(default=0)
    no_longer_eligible = models.PositiveIntegerField(default=0)
    criteria_changed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Eligibility run {self.pk} as of {self.as_of}"


# What a run writes (results, changes, the current picture) is derived data, written only by
# the run's own statements from the households and the run they name. Their keys are not
# declared to PostgreSQL as foreign keys: it would check each of a run's ~100,000 rows one by
# one at commit, locking every household it names, which took longer than the assessment.
# Django still cascades or protects on delete (households and runs are never deleted).
_RUN_OUTPUT = {"db_constraint": False, "db_index": False}


class EligibilityResult(models.Model):
    """A household's assessment in one run (stored only for households meeting anything)."""

    # Both keys are served by the two-column indexes below.
    run = models.ForeignKey(
        EligibilityRun, on_delete=models.CASCADE, related_name="results", **_RUN_OUTPUT
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="eligibility_results", **_RUN_OUTPUT
    )
    crime_asb = models.BooleanField()
    education = models.BooleanField()
    work = models.BooleanField()
    local_discretion = models.BooleanField()
    criteria_met = models.PositiveSmallIntegerField()
    eligible = models.BooleanField()
    reasons = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "household"], name="eligibility_result_once_per_run"
            ),
        ]
        indexes = [models.Index(fields=["household", "run"])]


class EligibilityChange(models.Model):
    """What a run changed for a household since the state before it."""

    class Change(models.TextChoices):
        NEWLY_ELIGIBLE = "newly_eligible", "Newly eligible"
        NO_LONGER_ELIGIBLE = "no_longer_eligible", "No longer eligible"
        CRITERIA_CHANGED = "criteria_changed", "Criteria changed"

    run = models.ForeignKey(
        EligibilityRun, on_delete=models.CASCADE, related_name="changes", **_RUN_OUTPUT
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="eligibility_changes",
        db_constraint=False,
    )
    change = models.CharField(max_length=20, choices=Change.choices)
    before = models.CharField(max_length=80, blank=True)
    after = models.CharField(max_length=80, blank=True)

    class Meta:
        indexes = [models.Index(fields=["run", "change"])]


class CurrentEligibility(models.Model):
    """Each household's assessment in the latest successful run that covered it.

    Kept as its own table so the identification list reads one row per household, however
    many runs have been stored.
    """

    household = models.OneToOneField(
        Household,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="current_eligibility",
        db_constraint=False,
    )
    # Nothing looks rows up by run: runs are never deleted.
    run = models.ForeignKey(
        EligibilityRun, on_delete=models.PROTECT, related_name="+", **_RUN_OUTPUT
    )
    as_of = models.DateField()
    crime_asb = models.BooleanField()
    education = models.BooleanField()
    work = models.BooleanField()
    local_discretion = models.BooleanField()
    criteria_met = models.PositiveSmallIntegerField()
    eligible = models.BooleanField()
    reasons = models.TextField()
    # The first day of the current unbroken spell of eligibility, by run date.
    eligible_since = models.DateField(null=True, blank=True)
    changed_in_run = models.ForeignKey(
        EligibilityRun,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        **_RUN_OUTPUT,
    )
    # The members on ``as_of``, written by the run so the list sorts and searches by them
    # without looking at every household's members on every request.
    family_names = models.TextField(blank=True, db_default="")
    member_names = models.TextField(blank=True, db_default="")
    postcodes = models.TextField(blank=True, db_default="")

    class Meta:
        indexes = [
            models.Index(fields=["eligible", "criteria_met"]),
            models.Index(fields=["family_names", "household"], name="current_elig_family_names"),
            models.Index(fields=["postcodes", "household"], name="current_elig_postcodes"),
        ]


class CohortDecision(models.Model):
    """A coordinator's decision on an identified family: confirm into the cohort or not."""

    class Decision(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed into cohort"
        NOT_PROCEEDING = "not_proceeding", "Not proceeding"

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="cohort_decisions"
    )
    decision = models.CharField(max_length=16, choices=Decision.choices)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    # The decision in force for the household is the latest one.
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(is_current=True),
                name="cohort_decision_one_current",
            ),
        ]
