"""``{% load casework %}{% consent_banner household %}``: the withdrawn-consent banner, for any
page that shows a family (consent withdrawn is to be visible everywhere the family appears)."""

from __future__ import annotations

from django import template

from casework.models import Consent
from families.models import CaseFile, Household

register = template.Library()


@register.inclusion_tag("casework/_consent_banner.html")
def consent_banner(household: Household) -> dict:
    """One query; nothing is shown unless the family's case is paused."""
    withdrawn = (
        Consent.objects.filter(
            case_file__household=household,
            case_file__status=CaseFile.Status.PAUSED,
            withdrawn_on__isnull=False,
        )
        .select_related("given_by", "case_file__household")
        .order_by("-withdrawn_on", "-id")
        .first()
    )
    return {
        "case_file": withdrawn.case_file if withdrawn else None,
        "withdrawn_consent": withdrawn,
    }
