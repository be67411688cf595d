"""Results runs: each assessment of the results rules over the attached families, kept per run
so that the day a family first achieved a result is known, and a failed run leaves the
previous one current."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ResultType(models.TextChoices):
    """The three results of the 2012 Financial Framework, spelled as data-formats.md writes
    them."""

    CRIME_ASB_EDUCATION = "crime_asb_education", "Crime, ASB and education"
    PROGRESS_TO_WORK = "progress_to_work", "Progress to work"
    CONTINUOUS_EMPLOYMENT = "continuous_employment", "Continuous employment"


class ResultState(models.TextChoices):
    ACHIEVED = "achieved", "Achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"
    NOT_RELEVANT = "not_relevant", "Not relevant"


class ResultsRun(models.Model):
    """One assessment of every attached family's results on a claim day ``as_of``."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    as_of = models.DateField()
    rules_version = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    # What started it: "nightly", "command", "claim_pack", "button".
    trigger = models.CharField(max_length=40, default="command")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    families_assessed = models.PositiveIntegerField(default=0)
    crime_asb_education_achieved = models.PositiveIntegerField(default=0)
    progress_to_work_achieved = models.PositiveIntegerField(default=0)
    continuous_employment_achieved = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["status", "-as_of", "-finished_at"])]

    def __str__(self) -> str:
        return f"Results run {self.pk} as of {self.as_of}"


class FamilyResult(models.Model):
    """One result of one attached family in one run, with the reason in words and the
    figures it rested on (``details``)."""

    run = models.ForeignKey(ResultsRun, on_delete=models.CASCADE, related_name="results")
    household = models.ForeignKey(
        "families.Household", on_delete=models.CASCADE, related_name="family_results"
    )
    case_file = models.ForeignKey(
        "families.CaseFile", on_delete=models.CASCADE, related_name="family_results"
    )
    result = models.CharField(max_length=24, choices=ResultType.choices)
    state = models.CharField(max_length=12, choices=ResultState.choices)
    reason = models.TextField()
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "household", "result"], name="family_result_once_per_run"
            ),
        ]
        indexes = [
            models.Index(fields=["household", "result", "run"]),
            models.Index(fields=["run", "result", "state"]),
        ]


class FirstAchieved(models.Model):
    """The earliest claim day on which a successful run found a family's result achieved."""

    household = models.ForeignKey(
        "families.Household", on_delete=models.CASCADE, related_name="results_first_achieved"
    )
    result = models.CharField(max_length=24, choices=ResultType.choices)
    first_achieved_on = models.DateField()
    run = models.ForeignKey(ResultsRun, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "result"], name="first_achieved_once"),
        ]
