"""The rate card (administrators edit it, with history) and the yearly commitments."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from accounts.roles import Role
from audit.models import AuditEntry
from audit.services import audit_record
from claims.models import Commitment, RateCard, RateCardChange
from claims.services.common import ClaimRefused, require_role


@transaction.atomic
def rate_card_update(
    *, rate_card: RateCard, changed_by, reason: str, amounts: dict[str, Decimal]
) -> RateCard:
    """An administrator edits a year's rates; the change is kept with the amounts before."""
    require_role(changed_by, Role.ADMINISTRATOR)
    if not reason.strip():
        raise ClaimRefused("Give the reason for changing the rate card.")
    rate_card = RateCard.objects.select_for_update().get(pk=rate_card.pk)
    before = rate_card.amounts()
    for name in RateCard.AMOUNT_FIELDS:
        setattr(rate_card, name, amounts[name])
    rate_card.updated_by = changed_by
    rate_card.save()
    RateCardChange.objects.create(
        rate_card=rate_card,
        changed_by=changed_by,
        before=before,
        after=rate_card.amounts(),
        reason=reason.strip(),
    )
    audit_record(
        action=AuditEntry.Action.CHANGE,
        user=changed_by,
        obj=rate_card,
        summary=f"Rate card {rate_card.label} changed: {reason.strip()}",
        details={"before": before, "after": rate_card.amounts()},
    )
    return rate_card


@transaction.atomic
def commitment_set(
    *, financial_year: int, families: int, funded: int | None = None, set_by
) -> Commitment:
    """The families the authority commits to in a year and, if DCLG's letter gives it, the
    number DCLG funds (``None``: five in six of those committed)."""
    require_role(set_by, Role.FINANCE_OFFICER, Role.COORDINATOR)
    if funded is not None and funded > families:
        raise ClaimRefused("DCLG cannot fund more families than the authority commits to.")
    commitment, _ = Commitment.objects.update_or_create(
        financial_year=financial_year,
        defaults={"families": families, "funded": funded, "set_by": set_by},
    )
    funding = f", {funded} funded" if funded is not None else ", five in six funded"
    audit_record(
        action=AuditEntry.Action.CHANGE,
        user=set_by,
        obj=commitment,
        summary=f"Commitment for {commitment.label} set to {families} families{funding}",
    )
    return commitment
