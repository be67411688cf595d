"""Payment by results: the rate card, commitments, claim windows, claim packs and their claims,
the internal-audit sample, adjustments and the files sent.

The invariants that money rests on live in the database as well as the app: one live claim per
family and result (a partial unique index), never more than R per family and nothing changed
in a submitted pack (triggers, see migration 0002).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from outcomes.models import ResultType


def financial_year_of(day: date) -> int:
    """The financial year (1 April-31 March) a day falls in, named by its first calendar year."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(first_year: int) -> str:
    return f"{first_year}/{(first_year + 1) % 100:02d}"


class RateCard(models.Model):
    """What a family attached in a financial year can earn (programme-rules.md, Payments)."""

    financial_year = models.PositiveSmallIntegerField(
        unique=True, help_text="The year the financial year starts in: 2013 for 2013/14."
    )
    attachment_fee = models.DecimalField(max_digits=10, decimal_places=2)
    results_element = models.DecimalField("results element R", max_digits=10, decimal_places=2)
    crime_asb_education = models.DecimalField(max_digits=10, decimal_places=2)
    progress_to_work = models.DecimalField(max_digits=10, decimal_places=2)
    continuous_employment = models.DecimalField(max_digits=10, decimal_places=2)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    AMOUNT_FIELDS = (
        "attachment_fee",
        "results_element",
        "crime_asb_education",
        "progress_to_work",
        "continuous_employment",
    )

    class Meta:
        ordering = ["financial_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attachment_fee__gte=0)
                & Q(results_element__gte=0)
                & Q(crime_asb_education__gte=0)
                & Q(progress_to_work__gte=0)
                & Q(continuous_employment__gte=0),
                name="rate_card_amounts_not_negative",
            ),
            # No single result may pay more than the whole results element.
            models.CheckConstraint(
                condition=Q(crime_asb_education__lte=F("results_element"))
                & Q(progress_to_work__lte=F("results_element"))
                & Q(continuous_employment__lte=F("results_element")),
                name="rate_card_results_within_r",
            ),
        ]

    def __str__(self) -> str:
        return f"Rate card {self.label}"

    @property
    def label(self) -> str:
        return financial_year_label(self.financial_year)

    def rate_for(self, result: str) -> Decimal:
        return getattr(self, result)

    def amounts(self) -> dict[str, str]:
        return {name: str(getattr(self, name)) for name in self.AMOUNT_FIELDS}


class RateCardChange(models.Model):
    """History of the rate card: every edit with the amounts before and after."""

    rate_card = models.ForeignKey(RateCard, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField()
    after = models.JSONField()
    reason = models.TextField()

    class Meta:
        ordering = ["-changed_at", "-id"]


class Commitment(models.Model):
    """The number of families the authority commits to work with in a financial year."""

    financial_year = models.PositiveSmallIntegerField(unique=True)
    families = models.PositiveIntegerField()
    # The number DCLG funds, as its letter to the authority gives it (Kensington and Chelsea:
    # 111 for 133 in 2012/13); blank means five in six of ``families``, rounded down.
    funded = models.PositiveIntegerField(null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["financial_year"]

    @property
    def label(self) -> str:
        return financial_year_label(self.financial_year)


class ClaimWindow(models.Model):
    """A claim window set by the programme, named ``YYYY-MM``; it assesses results as of its
    last day."""

    name = models.CharField(max_length=7, unique=True)
    assess_on = models.DateField(unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assess_on"]

    def __str__(self) -> str:
        return f"Claim window {self.name}"


class ClaimPack(models.Model):
    """The claims of one window. One pack per window (the unique key is what makes two
    concurrent builds end with one pack)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED_OFF = "signed_off", "Signed off by internal audit"
        APPROVED = "approved", "Approved by coordinator"
        SUBMITTED = "submitted", "Submitted"
        PAID = "paid", "Paid"

    FROZEN = (Status.SUBMITTED, Status.PAID)

    window = models.OneToOneField(ClaimWindow, on_delete=models.PROTECT, related_name="pack")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    results_run = models.ForeignKey(
        "outcomes.ResultsRun", on_delete=models.PROTECT, related_name="claim_packs"
    )
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    built_at = models.DateTimeField(auto_now_add=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-window__assess_on"]

    def __str__(self) -> str:
        return f"Claim pack {self.window.name}"

    @property
    def is_frozen(self) -> bool:
        return self.status in self.FROZEN


class Claim(models.Model):
    """One claimed result of one family in a pack, with its evidence frozen at the time."""

    class Status(models.TextChoices):
        INCLUDED = "included", "In the pack"
        EXCLUDED = "excluded", "Excluded before sign-off"
        WITHDRAWN = "withdrawn", "Withdrawn by adjustment"

    pack = models.ForeignKey(ClaimPack, on_delete=models.PROTECT, related_name="claims")
    claim_ref = models.CharField(max_length=60, unique=True)
    household = models.ForeignKey(
        "families.Household", on_delete=models.PROTECT, related_name="claims"
    )
    case_file = models.ForeignKey(
        "families.CaseFile", on_delete=models.PROTECT, related_name="claims"
    )
    result = models.CharField(max_length=24, choices=ResultType.choices)
    financial_year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    # The R that capped this family's claims, kept so the database can check the cap.
    results_element = models.DecimalField(max_digits=10, decimal_places=2)
    assessed_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INCLUDED)
    excluded_reason = models.TextField(blank=True)
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    excluded_at = models.DateTimeField(null=True, blank=True)
    # What the claim rested on, as assessed: rules version, reasons, run, import batches.
    evidence = models.JSONField(default=dict)
    family_result = models.ForeignKey(
        "outcomes.FamilyResult", on_delete=models.PROTECT, related_name="claims"
    )

    LIVE = Status.INCLUDED

    class Meta:
        ordering = ["household__ref", "result"]
        constraints = [
            # Never a double claim: one live claim per family and result.
            models.UniqueConstraint(
                fields=["household", "result"],
                condition=Q(status="included"),
                name="claim_one_live_per_family_result",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_amount_positive"),
            models.CheckConstraint(
                condition=Q(amount__lte=F("results_element")), name="claim_amount_within_r"
            ),
            models.CheckConstraint(
                condition=~Q(status="excluded") | ~Q(excluded_reason=""),
                name="claim_excluded_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["pack", "status"])]

    def __str__(self) -> str:
        return self.claim_ref

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)


class ClaimAdjustment(models.Model):
    """A claim found invalid after submission is withdrawn by an adjustment that returns its
    amount (a negative amount); the claim itself never changes beyond being marked withdrawn."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="adjustment")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    reason = models.TextField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__lt=0), name="adjustment_returns_money"),
        ]


class AuditSample(models.Model):
    """Internal audit's spot-check sample of a pack: reproducible from its stored seed."""

    pack = models.OneToOneField(ClaimPack, on_delete=models.PROTECT, related_name="audit_sample")
    seed = models.BigIntegerField()
    percent = models.PositiveSmallIntegerField(default=10)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=1) & Q(percent__lte=100), name="audit_sample_percent"
            ),
        ]


class AuditCheck(models.Model):
    """One sampled claim and internal audit's verdict on the three spot-check questions."""

    sample = models.ForeignKey(AuditSample, on_delete=models.CASCADE, related_name="checks")
    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="audit_check")
    family_eligible = models.BooleanField(null=True)
    whole_family_working = models.BooleanField(null=True)
    result_evidenced = models.BooleanField(null=True)
    note = models.TextField(blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["claim__claim_ref"]

    @property
    def is_done(self) -> bool:
        return self.checked_at is not None

    @property
    def passed(self) -> bool:
        return bool(self.family_eligible and self.whole_family_working and self.result_evidenced)


class PackFile(models.Model):
    """A file made from a pack (CSV, XLSX or PDF) with its SHA-256. The files made at
    submission are the final ones, and never change."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel workbook"
        PDF = "pdf", "PDF"

    pack = models.ForeignKey(ClaimPack, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=4, choices=Format.choices)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    # Kept for the final files only: a draft's file is made again on each download.
    content = models.BinaryField(null=True, blank=True)
    final = models.BooleanField(default=False)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pack", "format", "sha256"], name="pack_file_once_per_content"
            ),
            models.UniqueConstraint(
                fields=["pack", "format"], condition=Q(final=True), name="pack_file_one_final"
            ),
            models.CheckConstraint(
                condition=Q(final=False) | Q(content__isnull=False), name="pack_file_final_kept"
            ),
        ]

    @property
    def filename(self) -> str:
        return f"claim-pack-{self.pack.window.name}.{self.format}"


class PackBuild(models.Model):
    """A request to build a window's pack, followed by the page while a worker builds it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting"
        RUNNING = "running", "Building"
        SUCCEEDED = "succeeded", "Built"
        FAILED = "failed", "Failed"

    window = models.ForeignKey(ClaimWindow, on_delete=models.CASCADE, related_name="builds")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
