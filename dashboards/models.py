"""The targets a coordinator sets for the dashboards.

The yearly commitments (Harrow's 150 in 2012/13, 198 in 2013/14) are ``claims.Commitment``:
attachment fees are paid on them, so they are kept once, where the money is.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class Targets(models.Model):
    """The authority's targets beside its commitments: one row, edited by coordinators."""

    cohort_size = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Families the authority will work with over the whole programme "
        "(Harrow: 395). Blank: the sum of the yearly commitments.",
    )
    cohort_started_percent = models.PositiveSmallIntegerField(
        default=85, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    # The financial year by whose end (31 March) that share must have started: 2013 is
    # "by April 2014".
    cohort_started_by = models.PositiveSmallIntegerField(default=2013)
    # A key worker with more active families than this is flagged as overloaded.
    caseload_limit = models.PositiveSmallIntegerField(default=15, validators=[MinValueValidator(1)])
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "targets"
        constraints = [
            models.CheckConstraint(
                condition=Q(cohort_started_percent__gte=1, cohort_started_percent__lte=100),
                name="targets_cohort_percent_1_to_100",
            ),
            models.CheckConstraint(
                condition=Q(caseload_limit__gte=1), name="targets_caseload_limit_positive"
            ),
        ]

    @classmethod
    def current(cls) -> Targets:
        """The targets in force: the saved row, or the defaults until a coordinator saves."""
        return cls.objects.order_by("pk").first() or cls()
