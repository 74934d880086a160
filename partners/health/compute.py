"""The signals partners measures itself, and recomputing every partner's health set-based."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef

from partners.choices import Health
from partners.health.signals import signals, status_for
from partners.models import DealRegistration, HealthChange, Partner, Sale


def quiet_partners(tenant, now, programme) -> dict[int, dict]:
    """Partners at a selling stage (for longer than the quiet window) with no sale and no deal
    registration in the programme's ``health_quiet_days``: one query, an index lookup per partner."""
    days = programme.health_quiet_days
    since = now - timedelta(days=days)
    recent_sale = Sale.objects.for_tenant(tenant).filter(partner_id=OuterRef("pk"), date__gte=since.date())
    recent_deal = DealRegistration.objects.for_tenant(tenant).filter(
        partner_id=OuterRef("pk"), registered_at__gte=since
    )
    quiet = (
        Partner.objects.for_tenant(tenant)
        .filter(stage__in=programme.selling_stages, stage_entered_at__lt=since)
        .exclude(Exists(recent_sale))
        .exclude(Exists(recent_deal))
        .order_by()
        .values_list("pk", flat=True)
    )
    return {pk: {"days": days} for pk in quiet}


def overdue_partners(tenant, now, programme) -> dict[int, dict]:
    rows = (
        Partner.objects.for_tenant(tenant)
        .filter(stage_due_at__lt=now)
        .values_list("pk", "stage", "stage_due_at")
    )
    return {pk: {"stage": stage, "days": (now - due).days} for pk, stage, due in rows}


def large_returns(tenant, now, programme) -> dict[int, dict]:
    """The largest return (a negative sale) of the last 90 days at or above the programme's amount,
    converted to the tenant's currency."""
    threshold = Decimal(programme.health_return_amount)
    rows = (
        Sale.objects.for_tenant(tenant)
        .filter(date__gte=(now - timedelta(days=90)).date(), amount__lt=0)
        .filter(converted__lte=-threshold)
        .values("partner_id", "converted", "date")
        .order_by("partner_id", "converted")
    )
    found = {}
    for row in rows:
        found.setdefault(
            row["partner_id"],
            {
                "amount": str(-row["converted"].quantize(Decimal("0.01"))),
                "currency": tenant.currency,
                "date": row["date"].isoformat(),
            },
        )
    return found


def health_signals(*, tenant, now, programme) -> dict[int, list]:
    """Every signal's partners: {partner id: [{"code", "params"}]}. One query per signal, whatever
    the number of partners."""
    found: dict[int, list] = {}
    for signal in signals():
        for partner_id, params in signal.measure(tenant, now, programme).items():
            found.setdefault(partner_id, []).append({"code": signal.code, "params": params})
    return found


def health_assess(*, tenant, partners, now, programme, found: dict | None = None) -> list[HealthChange]:
    """Set each partner's health, reasons and time (not saved: the tier recompute writes them with
    the tiers); return the changes to keep. ``found``: ``health_signals``, measured once for a
    recompute that assesses its partners a batch at a time (measured here without it)."""
    if found is None:
        found = health_signals(tenant=tenant, now=now, programme=programme)
    changes = []
    for partner in partners:
        reasons = found.get(partner.pk, [])
        status = status_for(reasons)
        if status != partner.health:
            changes.append(
                HealthChange(
                    tenant=tenant,
                    partner=partner,
                    from_health=partner.health or Health.OK,
                    to_health=status,
                    reasons=reasons,
                    changed_at=now,
                )
            )
        partner.health, partner.health_reasons, partner.health_computed_at = status, reasons, now
    return changes
