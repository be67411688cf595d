"""Linking partner records to the council's people (linkage.md).

A source person is a partner system's record of someone (the police's nominal, a school's
pupil), known by its own id; it is linked to at most one person of the master index. Its
records count only while it is linked (``families.linkage.records``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .records import ImportBatch, Person


class LinkStatus(models.TextChoices):
    LINKED = "linked", "Linked"
    POSSIBLE = "possible", "Possible match"
    UNLINKED = "unlinked", "Unlinked"


class LinkMethod(models.TextChoices):
    NINO = "nino", "National Insurance number"
    UPN = "upn", "Unique pupil number"
    PROBABILISTIC = "probabilistic", "Matched on name, date of birth and postcode"
    DECISION = "decision", "Linked by a person"


class Decision(models.TextChoices):
    LINK = "link", "Linked by a person"
    NO_MATCH = "no_match", "Marked no match"
    UNLINK = "unlink", "Unlinked by a person"


class LinkageModel(models.Model):
    """One training of the matcher for one source, kept as evidence: the parameters that
    scored a candidate are the ones its ``model`` names."""

    source = models.SlugField(max_length=64)
    trained_at = models.DateTimeField(auto_now_add=True)
    # Splink's own JSON of the trained model (m and u probabilities, blocking, comparisons).
    splink_settings = models.JSONField()
    source_persons = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)
    candidates = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-trained_at", "-id"]
        indexes = [models.Index(fields=["source", "-trained_at"])]

    def __str__(self) -> str:
        return f"Linkage model {self.pk} for {self.source}"


class SourcePerson(models.Model):
    source = models.SlugField(max_length=64)
    source_person_id = models.CharField(max_length=64)
    # The identity as the source last gave it.
    given_name = models.CharField(max_length=200)
    family_name = models.CharField(max_length=200)
    date_of_birth = models.DateField()
    postcode = models.CharField(max_length=16, blank=True)
    upn = models.CharField("unique pupil number", max_length=13, blank=True)
    nino = models.CharField("National Insurance number", max_length=9, blank=True)
    status = models.CharField(max_length=8, choices=LinkStatus.choices, default=LinkStatus.UNLINKED)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="source_persons"
    )
    method = models.CharField(max_length=13, choices=LinkMethod.choices, blank=True)
    # The best candidate's probability when the matcher last scored it.
    match_probability = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    # The last decision on it. After a link or an unlink automatic linking leaves it alone;
    # after "no match" it is compared again as people join the index, never with the
    # persons it is not (NoMatch).
    decision = models.CharField(max_length=9, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    first_batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")
    # The batch whose identity it holds (the last that changed it).
    last_batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["source", "source_person_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_person_id"], name="source_person_key"
            ),
            models.CheckConstraint(
                condition=Q(status=LinkStatus.LINKED, person__isnull=False)
                | (~Q(status=LinkStatus.LINKED) & Q(person__isnull=True)),
                name="source_person_linked_has_person",
            ),
        ]
        indexes = [
            models.Index(fields=["source", "status", "method"]),
            models.Index(fields=["status", "source"], name="source_person_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.source_person_id}"


class LinkCandidate(models.Model):
    """A person the matcher found for a source person, best first (up to five)."""

    source_person = models.ForeignKey(
        SourcePerson, on_delete=models.CASCADE, related_name="candidates", db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    model = models.ForeignKey(
        LinkageModel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveSmallIntegerField()
    probability = models.FloatField()
    match_weight = models.FloatField()
    # One entry per compared field (and the prior first): what it contributed to the weight.
    contributions = models.JSONField(default=list)

    class Meta:
        ordering = ["source_person", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["source_person", "rank"], name="link_candidate_rank"),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=5), name="link_candidate_rank_range"
            ),
        ]


class LinkEvent(models.Model):
    """One change of a source person's link: append-only (a trigger refuses UPDATE and
    DELETE), so every earlier state stays readable."""

    class Reason(models.TextChoices):
        AUTOMATIC = "automatic", "Automatic linking"
        LINK = Decision.LINK.value, Decision.LINK.label
        NO_MATCH = Decision.NO_MATCH.value, Decision.NO_MATCH.label
        UNLINK = Decision.UNLINK.value, Decision.UNLINK.label

    source_person = models.ForeignKey(SourcePerson, on_delete=models.PROTECT, related_name="events")
    # Blank: the source person was new.
    from_status = models.CharField(max_length=8, choices=LinkStatus.choices, blank=True)
    to_status = models.CharField(max_length=8, choices=LinkStatus.choices)
    from_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(max_length=13, choices=LinkMethod.choices, blank=True)
    probability = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    # Nobody: automatic linking.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    reason = models.CharField(max_length=9, choices=Reason.choices)
    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["source_person", "at", "id"]


class NoMatch(models.Model):
    """A person a source person is not: automatic linking never proposes the pair again."""

    source_person = models.ForeignKey(
        SourcePerson, on_delete=models.CASCADE, related_name="no_matches", db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source_person", "person"], name="no_match_pair")
        ]


class LinkageSettings(models.Model):
    """The thresholds of linkage.md: one row, changed by an administrator."""

    DEFAULT_LINK = 0.99
    DEFAULT_REVIEW = 0.50

    link_threshold = models.FloatField(default=DEFAULT_LINK)
    review_threshold = models.FloatField(default=DEFAULT_REVIEW)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "linkage settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(review_threshold__gt=0)
                & Q(review_threshold__lte=models.F("link_threshold"))
                & Q(link_threshold__lte=1),
                name="linkage_thresholds_ordered",
            )
        ]

    @classmethod
    def current(cls) -> LinkageSettings:
        found = cls.objects.order_by("pk").first()
        return found or cls()
