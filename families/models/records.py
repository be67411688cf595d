"""Households, people, their membership over time, and the partner records of data-formats.md.

Every partner record keeps the import batch it last came from, so a claim can show which
extracts its evidence rested on.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

FIRST_SNAPSHOT_FROM = date.min


class ImportKind(models.TextChoices):
    PEOPLE = "people", "People and households"
    ATTENDANCE = "attendance", "School attendance"
    EXCLUSIONS = "exclusions", "School exclusions"
    EDUCATION_STATUS = "education_status", "Education status"
    OFFENCES = "offences", "Offences"
    ASB = "asb", "Anti-social behaviour"
    BENEFITS = "benefits", "Out-of-work benefits"
    EMPLOYMENT = "employment", "Employment"
    WORK_PROGRESS = "work_progress", "Progress to work"
    CONCERNS = "concerns", "Concerns"


class ImportBatch(models.Model):
    """One import of one partner extract: who, when, which file, and what it did."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Importing"
        SUCCEEDED = "succeeded", "Imported"
        REJECTED = "rejected", "Rejected"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=32, choices=ImportKind.choices)
    file_name = models.CharField(max_length=255)
    # The partner system an identified file came from (linkage.md); blank for a referenced one.
    source = models.SlugField(max_length=64, blank=True)
    sha256 = models.CharField(max_length=64)
    as_of = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    # Progress for the browser, 0-100, written by the import as it goes.
    progress = models.PositiveSmallIntegerField(default=0)
    # The row-by-row report: [{"line": 5, "column": "end_date", "message": "..."}].
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    # An identified file's source persons once linked: {"linked": {"nino": 3, ...},
    # "possible": 1, "unlinked": 2}.
    linking = models.JSONField(default=dict, blank=True)
    # Where an upload waits for its task (deleted once imported).
    upload_path = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["kind", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import {self.pk} ({self.file_name})"


class Household(models.Model):
    ref = models.CharField("family reference", max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The current members (open memberships), kept by whatever changes members or people
    # (families.member_texts), so an eligibility run copies them instead of gathering every
    # household's members again.
    family_names = models.TextField(blank=True, db_default="")
    member_names = models.TextField(blank=True, db_default="")
    postcodes = models.TextField(blank=True, db_default="")

    class Meta:
        ordering = ["ref"]

    def __str__(self) -> str:
        return self.ref


class Person(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "F", "Female"
        MALE = "M", "Male"
        OTHER = "X", "Another"
        UNKNOWN = "U", "Not known"

    ref = models.CharField("person reference", max_length=32, unique=True)
    given_name = models.CharField(max_length=200)
    family_name = models.CharField(max_length=200)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    postcode = models.CharField(max_length=16, blank=True)
    upn = models.CharField("unique pupil number", max_length=20, blank=True)
    nino = models.CharField("National Insurance number", max_length=16, blank=True)
    import_batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["family_name", "given_name", "ref"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Membership(models.Model):
    """A person's household from ``valid_from`` (inclusive) until ``valid_to`` (exclusive).

    The first snapshot holds from the beginning of time (``valid_from`` 0001-01-01); a later
    snapshot that moves the person closes the open row and opens a new one.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    import_batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "valid_from"], name="membership_one_per_start"
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(valid_to__isnull=True), name="membership_one_open"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="membership_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["household", "valid_from"])]


class PartnerRecord(models.Model):
    # No index of its own: records are read by person and date, never by batch, and each
    # index on these tables slows every import of millions of rows.
    import_batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # Set for a record of an identified file (linkage.md): ``person`` is then the source
    # person's linked person, or NULL while it is not linked, so that only linked records
    # count (families.linkage.records). Indexed by the identified natural key, which starts
    # with it.
    source_person = models.ForeignKey(
        "families.SourcePerson",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        abstract = True


# Each record table has a person index of its own: the natural key of a referenced file
# covers only the rows without a source person, so it cannot serve lookups by person.

IDENTIFIED = Q(source_person__isnull=False)
REFERENCED = Q(source_person__isnull=True)


def natural_keys(name: str, *fields: str, owned: Q | None = None) -> list[models.BaseConstraint]:
    """The natural key of data-formats.md (``person`` first) for referenced rows, the same
    key with ``source_person`` for identified ones (linkage.md), and that a row has one."""
    referenced = REFERENCED if owned is None else REFERENCED & owned
    constraints: list[models.BaseConstraint] = [
        models.UniqueConstraint(fields=["person", *fields], condition=referenced, name=name),
        models.UniqueConstraint(
            fields=["source_person", *fields], condition=IDENTIFIED, name=f"{name}_identified"
        ),
    ]
    if owned is None:
        constraints.append(
            models.CheckConstraint(
                condition=Q(person__isnull=False) | IDENTIFIED, name=f"{name}_has_person"
            )
        )
    return constraints


def _person_or_household(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(household__isnull=False, person__isnull=True, source_person__isnull=True)
        | (Q(household__isnull=True) & (Q(person__isnull=False) | IDENTIFIED)),
        name=name,
    )


class Attendance(PartnerRecord):
    class Term(models.TextChoices):
        AUTUMN = "autumn", "Autumn"
        SPRING = "spring", "Spring"
        SUMMER = "summer", "Summer"

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="attendance"
    )
    academic_year = models.CharField(max_length=7)
    term = models.CharField(max_length=6, choices=Term.choices)
    # The term's first and last day, derived on import, so rules can select by date.
    term_start = models.DateField()
    term_end = models.DateField()
    possible_sessions = models.PositiveIntegerField()
    unauthorised_sessions = models.PositiveIntegerField()

    class Meta:
        constraints = [
            *natural_keys("attendance_key", "academic_year", "term"),
            models.CheckConstraint(
                condition=Q(unauthorised_sessions__lte=models.F("possible_sessions")),
                name="attendance_unauthorised_within_possible",
            ),
        ]
        indexes = [models.Index(fields=["term_start", "person"])]


class Exclusion(PartnerRecord):
    class Type(models.TextChoices):
        FIXED = "fixed", "Fixed-period"
        PERMANENT = "permanent", "Permanent"

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="exclusions"
    )
    start_date = models.DateField()
    exclusion_type = models.CharField(max_length=9, choices=Type.choices)
    sessions = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            *natural_keys("exclusion_key", "start_date", "exclusion_type"),
        ]
        indexes = [models.Index(fields=["start_date", "person"])]


class EducationStatus(PartnerRecord):
    class Status(models.TextChoices):
        NOT_ON_ROLL = "not_on_roll", "Not on a school roll"
        PRU = "pru", "Pupil referral unit"
        ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision"

    class Reason(models.TextChoices):
        EXCLUDED = "excluded", "Excluded"
        OTHER = "other", "Other"

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="education_statuses"
    )
    status = models.CharField(max_length=21, choices=Status.choices)
    reason = models.CharField(max_length=8, choices=Reason.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            *natural_keys("education_status_key", "status", "start_date"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="education_status_dates",
            ),
        ]


class Offence(PartnerRecord):
    class Outcome(models.TextChoices):
        CONVICTION = "conviction", "Conviction"
        CAUTION = "caution", "Caution"
        YOUTH_CAUTION = "youth_caution", "Youth caution"
        YOUTH_CONDITIONAL_CAUTION = "youth_conditional_caution", "Youth conditional caution"
        REPRIMAND = "reprimand", "Reprimand"
        FINAL_WARNING = "final_warning", "Final warning"
        # Dealt with informally, without admission before a court or a formal caution: not a
        # proven offence, so it meets no criterion and counts in no baseline or result.
        COMMUNITY_RESOLUTION = "community_resolution", "Community resolution"

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="offences"
    )
    source_ref = models.CharField(max_length=64)
    offence_date = models.DateField()
    outcome_date = models.DateField(null=True, blank=True)
    offence_type = models.TextField(blank=True)
    # Blank: proven as outcome_date says (extracts from before the column existed).
    outcome_type = models.CharField(max_length=32, blank=True, choices=Outcome.choices)

    class Meta:
        constraints = [
            *natural_keys("offence_key", "source_ref"),
        ]
        indexes = [models.Index(fields=["offence_date", "person"])]


class AsbEvent(PartnerRecord):
    class Type(models.TextChoices):
        ASBO = "asbo", "Anti-social behaviour order"
        ASB_INJUNCTION = "asb_injunction", "ASB injunction"
        ABC = "abc", "Acceptable behaviour contract"
        HOUSING_NOSP = "housing_nosp", "Housing notice seeking possession"
        HOUSING_INJUNCTION = "housing_injunction", "Housing injunction"
        DEMOTION_ORDER = "demotion_order", "Demotion order"
        EVICTION = "eviction", "Eviction"
        INCIDENT = "incident", "ASB incident"

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="asb_events"
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.CASCADE, related_name="asb_events"
    )
    source_ref = models.CharField(max_length=64)
    event_date = models.DateField()
    event_type = models.CharField(max_length=18, choices=Type.choices)

    class Meta:
        constraints = [
            _person_or_household("asb_person_or_household"),
            *natural_keys("asb_person_key", "source_ref", owned=Q(person__isnull=False)),
            models.UniqueConstraint(
                fields=["household", "source_ref"],
                condition=Q(household__isnull=False),
                name="asb_household_key",
            ),
        ]
        indexes = [models.Index(fields=["event_date"])]


class BenefitSpell(PartnerRecord):
    class Benefit(models.TextChoices):
        JSA = "JSA", "Jobseeker's Allowance"
        ESA = "ESA", "Employment and Support Allowance"
        IB = "IB", "Incapacity Benefit"
        IS = "IS", "Income Support"
        CA = "CA", "Carer's Allowance"
        SDA = "SDA", "Severe Disablement Allowance"

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="benefit_spells"
    )
    benefit = models.CharField(max_length=3, choices=Benefit.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            *natural_keys("benefit_key", "benefit", "start_date"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="benefit_dates",
            ),
        ]


class EmploymentSpell(PartnerRecord):
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="employment_spells"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            *natural_keys("employment_key", "start_date"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="employment_dates",
            ),
        ]


class WorkProgress(PartnerRecord):
    class Provision(models.TextChoices):
        WORK_PROGRAMME = "work_programme", "Work Programme"
        ESF = "esf", "European Social Fund provision"

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="work_progress"
    )
    provision = models.CharField(max_length=14, choices=Provision.choices)
    attached_date = models.DateField()

    class Meta:
        constraints = [
            *natural_keys("work_progress_key", "provision", "attached_date"),
        ]


class Concern(PartnerRecord):
    class Type(models.TextChoices):
        CHILD_PROTECTION_PLAN = "child_protection_plan", "Child protection plan"
        CHILD_IN_NEED = "child_in_need", "Child in need"
        DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
        SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
        MENTAL_HEALTH = "mental_health", "Mental health"
        POLICE_CALLOUTS = "police_callouts", "Police call-outs"
        OTHER = "other", "Other"

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="concerns"
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.CASCADE, related_name="concerns"
    )
    concern = models.CharField(max_length=21, choices=Type.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            _person_or_household("concern_person_or_household"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="concern_dates",
            ),
            *natural_keys(
                "concern_person_key", "concern", "start_date", owned=Q(person__isnull=False)
            ),
            models.UniqueConstraint(
                fields=["household", "concern", "start_date"],
                condition=Q(household__isnull=False),
                name="concern_household_key",
            ),
        ]
