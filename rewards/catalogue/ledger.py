"""The points balance of a partner, and points credited or debited by hand or by another app.

The ledger is ``incentives.models.PointsEntry``. What counts towards the balance:

- every entry without a run (credits, redemptions and their returns, expiry, contests' prizes);
- the entries of approved (and later) payout runs.

A draft run's entries never count: they are finance's work in progress, deleted and written again
each time the run is recomputed (``incentives.selectors.approved_only`` is the one place that rule
lives), so the balance never moves with a draft.

Whoever writes an entry that may lower the balance first locks the partner's row
(``lock_partner``), then checks, then writes: two debits at the same moment wait for each other,
and the balance never goes below zero.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from incentives.models import PointsEntry
from incentives.selectors import approved_only
from partners.models import Partner
from prm.audit.events import audit_record

from .audit_actions import CatalogueAudit


def counted(tenant) -> object:
    """The tenant's ledger rows that count towards balances (see the module's docstring)."""
    return approved_only(PointsEntry.objects.for_tenant(tenant))


def balance(partner) -> int:
    """The partner's points: the sum of its entries that count (never those of a draft run)."""
    total = counted(partner.tenant_id).filter(partner_id=partner.pk).aggregate(total=Sum("points"))
    return total["total"] or 0


def balances(tenant, partner_ids) -> dict[int, int]:
    """``{partner_id: balance}`` of several partners, in one query (0 for those without entries)."""
    rows = (
        counted(tenant)
        .filter(partner_id__in=list(partner_ids))
        .values("partner_id")
        .annotate(total=Sum("points"))
        .order_by()
    )
    found = {row["partner_id"]: row["total"] or 0 for row in rows}
    return {pk: found.get(pk, 0) for pk in partner_ids}


def lock_partner(partner) -> Partner:
    """Lock the partner's row for the rest of the transaction (always before any item's row)."""
    return Partner.objects.for_tenant(partner.tenant_id).select_for_update().get(pk=partner.pk)


def refuse_overdraft(partner, points: int) -> None:
    """Refuse taking ``points`` (> 0) from a partner that holds fewer; call with its row locked."""
    held = balance(partner)
    if points > held:
        raise ValidationError(
            {
                "points": [
                    _("%(partner)s holds %(held)d points; this needs %(points)d.")
                    % {"partner": partner.name, "held": held, "points": points}
                ]
            }
        )


@transaction.atomic
def credit(partner, points: int, reason: str, *, actor=None) -> PointsEntry:
    """Write ``points`` (positive: credited, negative: debited) to the partner's ledger with a
    readable ``reason`` (in the tenant's language), audited. A debit is refused when the balance
    would go below zero. Called by contests and awards for their prizes."""
    if not points:
        raise ValidationError({"points": [_("Credit or debit at least one point.")]})
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why.")]})
    partner = lock_partner(partner)
    if points < 0:
        refuse_overdraft(partner, -points)
    entry = write(partner, points, reason)
    audit_record(
        tenant=partner.tenant,
        actor=actor,
        action=CatalogueAudit.POINTS_CREDITED,
        target=partner,
        changes={"points": [None, points]},
        reason=entry.reason,
    )
    return entry


def write(partner, points: int, reason: str) -> PointsEntry:
    """One run-less ledger row (no check, no audit: the caller does both)."""
    return PointsEntry.objects.for_tenant(partner.tenant_id).create(
        tenant_id=partner.tenant_id, partner=partner, run=None, rule=None, points=points, reason=reason[:255]
    )
