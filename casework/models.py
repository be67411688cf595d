"""Key-worker casework on an attached family: consent, whole-family assessment, the family plan
and its reviews, interventions and the family budget, case notes, tasks and closure.

History is kept by adding rows, not by rewriting them: a reassessment is a new assessment, a
plan change is a goal update, a correction to a case note is an addendum (the database refuses
UPDATE and DELETE on notes and addenda, see families migration 0004).

The tables keep the names they had when these models lived in ``families`` (``db_table``), so
raw SQL, the append-only triggers and existing data did not move when the code did.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from families.models import CaseFile, Person


class Domain(models.TextChoices):
    """The areas of a family's life the whole-family assessment and the plan cover."""

    SCHOOL = "school", "School"
    CRIME_ASB = "crime_asb", "Crime and anti-social behaviour"
    WORK_MONEY = "work_money", "Work and money"
    HEALTH = "health", "Health"
    MENTAL_HEALTH = "mental_health", "Mental health"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    HOUSING = "housing", "Housing"
    PARENTING = "parenting", "Parenting"


class Severity(models.IntegerChoices):
    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"
    CRITICAL = 4, "Critical"


def _user_fk(related_name: str = "+", *, null: bool = False) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=null,
        blank=null,
        on_delete=models.PROTECT,
        related_name=related_name,
    )


class Consent(models.Model):
    """A family member's consent, given by invitation; withdrawing it pauses the case."""

    class Method(models.TextChoices):
        SIGNED = "signed", "Signed consent form"
        IN_PERSON = "in_person", "Said so in person"
        PHONE = "phone", "By phone"
        WRITING = "writing", "In writing (letter or email)"

    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="consents")
    given_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    working_together = models.BooleanField("to working together with the key worker")
    share_information = models.BooleanField("to sharing information with named partners")
    named_partners = models.TextField(blank=True)
    given_on = models.DateField()
    method = models.CharField(max_length=10, choices=Method.choices)
    recorded_by = _user_fk()
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    withdrawal_recorded_by = _user_fk(null=True)
    withdrawal_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "families_consent"
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(working_together=True) | Q(share_information=True),
                name="consent_has_a_purpose",
            ),
            models.CheckConstraint(
                condition=Q(share_information=False) | ~Q(named_partners=""),
                name="consent_sharing_names_partners",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None


class Assessment(models.Model):
    """One dated whole-family assessment; a review records a new one, so history is kept."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField()
    review_by = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    # The assessment this one reviewed, if any.
    reviews = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reviewed_by"
    )
    recorded_by = _user_fk()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "families_assessment"
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_by__isnull=True) | Q(review_by__gte=models.F("assessed_on")),
                name="assessment_review_after_assessment",
            ),
        ]


class Need(models.Model):
    """A need in one domain, of a person or (person empty) of the family as a whole."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="needs")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    domain = models.CharField(max_length=20, choices=Domain.choices)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    detail = models.TextField(blank=True)

    class Meta:
        db_table = "families_need"
        ordering = ["assessment", "person_id", "domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "person", "domain"],
                nulls_distinct=False,
                name="need_once_per_subject_and_domain",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject()}: {self.get_domain_display()} ({self.get_severity_display()})"

    def subject(self) -> str:
        return str(self.person) if self.person_id else "Whole family"


class ReviewMeeting(models.Model):
    """A meeting with the family that reviews the plan and scores progress per domain."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    attendees = models.TextField()
    summary = models.TextField(blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    recorded_by = _user_fk()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "families_reviewmeeting"
        ordering = ["-held_on", "-id"]


class ProgressScore(models.Model):
    """Progress in one domain at a review, 1 (no progress) to 10 (problem resolved)."""

    review = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="scores")
    domain = models.CharField(max_length=20, choices=Domain.choices)
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    class Meta:
        db_table = "families_progressscore"
        ordering = ["review", "domain"]
        constraints = [
            models.UniqueConstraint(fields=["review", "domain"], name="review_progress_score_once"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=10), name="review_progress_score_1_to_10"
            ),
        ]


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"
    DROPPED = "dropped", "No longer needed"


class Goal(models.Model):
    """A goal of the family plan: what, who does it, by when, linked to an assessed need."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="goals")
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="goals")
    what = models.TextField()
    who = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(
        max_length=12, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED
    )
    created_by = _user_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "families_goal"
        ordering = ["due_on", "id"]

    @property
    def is_open(self) -> bool:
        return self.status in (GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS)


class GoalUpdate(models.Model):
    """A change to a goal, usually made at a review meeting: the plan's history."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="updates")
    review = models.ForeignKey(
        ReviewMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="goal_updates"
    )
    status = models.CharField(max_length=12, choices=GoalStatus.choices)
    due_on = models.DateField()
    note = models.TextField(blank=True)
    changed_by = _user_fk()
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "families_goalupdate"
        ordering = ["changed_at", "id"]


class InterventionType(models.Model):
    """The catalogue of interventions coordinators maintain."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_by = _user_fk(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "families_interventiontype"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FamilyBudget(models.Model):
    """The money a budget-holding key worker may spend on the family without asking."""

    case_file = models.OneToOneField(CaseFile, on_delete=models.CASCADE, related_name="budget")
    allocation = models.DecimalField(max_digits=10, decimal_places=2)
    set_by = _user_fk()
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "families_familybudget"
        constraints = [
            models.CheckConstraint(
                condition=Q(allocation__gte=0), name="family_budget_not_negative"
            ),
        ]


class Intervention(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "Under way"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    class Approval(models.TextChoices):
        NOT_NEEDED = "not_needed", "Within budget"
        AWAITING = "awaiting", "Awaiting a coordinator's approval"
        APPROVED = "approved", "Approved beyond budget"
        REFUSED = "refused", "Refused"

    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="interventions")
    intervention_type = models.ForeignKey(
        InterventionType, on_delete=models.PROTECT, related_name="interventions"
    )
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.PROTECT, related_name="interventions"
    )
    provider = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    cost = models.DecimalField(max_digits=10, decimal_places=2)
    paid_from_budget = models.BooleanField(default=False)
    approval = models.CharField(
        max_length=10, choices=Approval.choices, default=Approval.NOT_NEEDED
    )
    approval_decided_by = _user_fk(null=True)
    approval_decided_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(blank=True)
    created_by = _user_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "families_intervention"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="intervention_cost_not_negative"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="intervention_dates",
            ),
            models.CheckConstraint(
                condition=Q(paid_from_budget=True) | Q(approval="not_needed"),
                name="intervention_approval_only_for_budget_spending",
            ),
        ]
        indexes = [
            models.Index(
                fields=["approval"], condition=Q(approval="awaiting"), name="intervention_awaiting"
            )
        ]

    @property
    def counts_against_budget(self) -> bool:
        return (
            self.paid_from_budget
            and self.status != self.Status.CANCELLED
            and self.approval in (self.Approval.NOT_NEEDED, self.Approval.APPROVED)
        )


class CaseNote(models.Model):
    """A contact with the family. Never edited once saved: corrections are addenda."""

    class ContactType(models.TextChoices):
        HOME_VISIT = "home_visit", "Home visit"
        OFFICE = "office", "Office or centre visit"
        SCHOOL = "school", "Meeting at school"
        PHONE = "phone", "Phone call"
        MESSAGE = "message", "Text, email or letter"
        PARTNERS = "partners", "Meeting with partners"
        OTHER = "other", "Other"

    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="notes")
    contact_type = models.CharField(max_length=10, choices=ContactType.choices)
    occurred_at = models.DateTimeField()
    people_seen = models.ManyToManyField(Person, blank=True, related_name="+")
    others_seen = models.CharField("others seen", max_length=300, blank=True)
    text = models.TextField()
    # Seen only by the family's key worker and coordinators (e.g. a domestic abuse disclosure).
    is_sensitive = models.BooleanField(default=False)
    author = _user_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "families_casenote"
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["case_file", "-occurred_at"])]


class CaseNoteAddendum(models.Model):
    """A correction or addition to a saved case note; the note itself stays as it was."""

    note = models.ForeignKey(CaseNote, on_delete=models.CASCADE, related_name="addenda")
    text = models.TextField()
    author = _user_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "families_casenoteaddendum"
        ordering = ["created_at", "id"]
        verbose_name_plural = "case note addenda"


class Task(models.Model):
    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    assignee = _user_fk("casework_tasks")
    done_on = models.DateField(null=True, blank=True)
    done_by = _user_fk(null=True)
    created_by = _user_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "families_task"
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["case_file", "due_on"],
                condition=Q(done_on__isnull=True),
                name="task_open_by_due",
            ),
        ]


class ClosureRequest(models.Model):
    """A request to close a case, with its reason, and the coordinator's decision on it."""

    class Reason(models.TextChoices):
        RESULTS_ACHIEVED = "results_achieved", "Results achieved"
        DISENGAGED = "disengaged", "Family disengaged"
        MOVED_AWAY = "moved_away", "Family moved away"
        OTHER = "other", "Other"

    class Decision(models.TextChoices):
        PENDING = "pending", "Awaiting approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Not approved"

    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="closures")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    details = models.TextField(blank=True)
    # The case's status before the request, restored if the request is not approved.
    status_before = models.CharField(max_length=20, choices=CaseFile.Status.choices)
    requested_by = _user_fk()
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=8, choices=Decision.choices, default=Decision.PENDING)
    decided_by = _user_fk(null=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        db_table = "families_closurerequest"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_file"],
                condition=Q(decision="pending"),
                name="closure_one_pending_per_case",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=["results_achieved", "disengaged", "moved_away"])
                | ~Q(details=""),
                name="closure_other_reason_explained",
            ),
        ]


class CaseReopening(models.Model):
    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="reopenings")
    reason = models.TextField()
    reopened_by = _user_fk()
    reopened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "families_casereopening"
        ordering = ["-reopened_at", "-id"]


class BreakGlass(models.Model):
    """A key worker's emergency sight of a case file not on their caseload ("break glass"):
    read only, for ``settings.BREAK_GLASS_HOURS`` from the moment it is asked for, with the
    reason given; and a coordinator's review of it afterwards."""

    class Reason(models.TextChoices):
        DUTY_COVER = "duty_cover", "Covering for the family's key worker"
        OUT_OF_HOURS = "out_of_hours", "A call about the family out of hours"
        SAFEGUARDING = "safeguarding", "An urgent safeguarding concern"
        OTHER = "other", "Another urgent reason"

    class Verdict(models.TextChoices):
        JUSTIFIED = "justified", "Justified"
        NOT_JUSTIFIED = "not_justified", "Not justified"

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="break_glass")
    user = _user_fk()
    reason = models.CharField(max_length=16, choices=Reason.choices)
    details = models.TextField()
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    verdict = models.CharField(max_length=16, choices=Verdict.choices, blank=True)
    review_note = models.TextField(blank=True)
    reviewed_by = _user_fk(null=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("started_at")), name="break_glass_expires"
            ),
            models.CheckConstraint(
                condition=Q(verdict="", reviewed_by__isnull=True, reviewed_at__isnull=True)
                | (~Q(verdict="") & Q(reviewed_by__isnull=False, reviewed_at__isnull=False)),
                name="break_glass_review_whole",
            ),
            models.CheckConstraint(
                condition=~Q(verdict="not_justified") | ~Q(review_note=""),
                name="break_glass_not_justified_explained",
            ),
        ]
        indexes = [
            # The sight each request checks: this user's uses still running.
            models.Index(fields=["user", "expires_at"], name="break_glass_user_expiry"),
            # The review queue: uses awaiting review, oldest first.
            models.Index(
                fields=["started_at"], condition=Q(verdict=""), name="break_glass_to_review"
            ),
        ]
