"""Demo scorecards: targets, product registrations and survey results (``seed``), then four closed
quarters computed once every input of every app is in and the tiers are known (``compute``, a later
seeder: a card compares partners of the same tier).

Idempotent: what exists already is left as it is.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from partners.demo_data import PRODUCTS
from partners.models import PartnerUser, Sale
from prm.periods import last_periods, period_containing
from prm.tenancy.models import Membership

from .defaults import ensure_default_kpis, ensure_vendor_side_kpis
from .models import (
    BusinessPlan,
    Kpi,
    PlanActivity,
    ProductRegistration,
    SatisfactionResult,
    Scorecard,
    Target,
)
from .services.compute import scorecards_compute, scored_partners
from .services.installed_base import catalogue, installed_base_daily, lifecycle_dates
from .services.plans import plan_agree, plan_create, plan_propose


def seed(tenant) -> None:
    rng = random.Random(f"scorecards-{tenant.slug}")
    ensure_default_kpis(tenant)
    ensure_vendor_side_kpis(tenant)  # the demo measures activation from both sides
    kpis = {k.code: k for k in Kpi.objects.for_tenant(tenant)}
    quarters = demo_quarters()
    partners = list(scored_partners(tenant))
    today = timezone.localdate()
    terms = catalogue(tenant)
    for partner in partners:
        age = max((today - timezone.localdate(partner.created_at)).days - 1, 1)  # nothing before it existed
        yearly = Sale.objects.for_tenant(tenant).filter(partner=partner).aggregate(v=Sum("amount"))[
            "v"
        ] or Decimal(0)
        for quarter in quarters:
            revenue_target = (yearly / 4 * Decimal(rng.choice(["0.9", "1.0", "1.1", "1.25"]))).quantize(
                Decimal("100")
            )
            for code, value in (
                ("revenue", max(revenue_target, Decimal(1000))),
                ("deal_registrations", Decimal(rng.randint(1, 4))),
            ):
                Target.objects.get_or_create(
                    tenant=tenant,
                    partner=partner,
                    period=quarter.code,
                    kpi=kpis[code],
                    defaults={
                        "value": value,
                        "acknowledged_at": timezone.now() - timedelta(days=rng.randint(1, 60)),
                    },
                )
        if not ProductRegistration.objects.for_tenant(tenant).filter(partner=partner).exists():
            registrations = []
            for n in range(rng.randint(4, 30)):
                product = rng.choice(PRODUCTS.get(tenant.slug) or ["RX-200 arm"])
                day = today - timedelta(days=rng.randint(0, min(720, age)))
                registrations.append(
                    ProductRegistration(
                        tenant=tenant,
                        partner=partner,
                        customer=rng.choice(["Contoso", "Fabrikam", "Northwind", "Litware"]),
                        product=product,
                        serial=f"{tenant.slug.upper()}-{partner.pk}-{n:05d}",
                        date=day,
                        customer_email="purchasing@example.com" if n % 3 == 0 else "",
                        customer_consent=n % 3 == 0,
                        **lifecycle_dates(product, day, terms, today),
                    )
                )
            ProductRegistration.objects.for_tenant(tenant).bulk_create(registrations)
        if not SatisfactionResult.objects.for_tenant(tenant).filter(partner=partner).exists():
            SatisfactionResult.objects.for_tenant(tenant).bulk_create(
                SatisfactionResult(
                    tenant=tenant,
                    partner=partner,
                    score=min(10, max(0, round(rng.gauss(8, 2)))),
                    date=today - timedelta(days=rng.randint(0, min(360, age))),
                )
                for _ in range(rng.randint(5, 25))
            )
    _business_plans(tenant, partners, kpis, today)


def demo_quarters():
    """The four closed quarters the demo shows scorecards for."""
    return last_periods(period_containing(timezone.localdate()).previous(), 4)


def compute(tenant) -> None:
    """The four closed quarters' scorecards, oldest first (each compares itself with the one
    before), and the service reminders due in the next weeks: after every input is in."""
    for quarter in demo_quarters():
        if not Scorecard.objects.for_tenant(tenant).filter(period=quarter.code).exists():
            scorecards_compute(tenant=tenant, period=quarter)
    installed_base_daily(tenant=tenant)


def _business_plans(tenant, partners, kpis, today) -> None:
    """This year's plan agreed with a signed partner (activities partly done), and next year's proposed
    to the demo partner user's partner, waiting for it to agree."""

    if BusinessPlan.objects.for_tenant(tenant).exists() or not partners:
        return
    manager = Membership.objects.filter(tenant=tenant, role="channel_manager").select_related("user").first()
    actor = manager.user if manager else None
    link = (
        PartnerUser.objects.for_tenant(tenant)
        .filter(membership__user__username=f"{tenant.slug}-partner")
        .first()
    )
    own = next((p for p in partners if link and p.pk == link.partner_id), partners[0])
    other = next((p for p in partners if p.pk != own.pk), None)
    goals = [
        {"kpi": kpis["revenue"], "target": Decimal(120000), "note": "Two new accounts in the region"},
        {"kpi": kpis["deal_registrations"], "target": Decimal(12)},
        {"kpi": kpis["win_rate"], "target": Decimal(45)},
    ]
    activities = [
        {"title": "Quarterly business review", "side": "vendor"},
        {"title": "Joint campaign with co-marketing funds", "side": "vendor"},
        {"title": "Two sales people complete the Solutions course", "side": "partner"},
        {"title": "Register every project above 20 000", "side": "partner"},
    ]
    if other is not None:
        agreed = plan_create(
            tenant=tenant,
            actor=actor,
            partner=other,
            year=today.year,
            goals=goals,
            activities=activities,
            mdf_planned=Decimal(8000),
            summary="Grow project business in the region; the vendor funds one joint campaign.",
        )
        plan_propose(plan=agreed, actor=actor)
        plan_agree(plan=agreed, actor=actor)
        PlanActivity.objects.for_tenant(tenant).filter(plan=agreed, title__startswith="Quarterly").update(
            done_at=timezone.now(), done_by=actor
        )
    proposed = plan_create(
        tenant=tenant,
        actor=actor,
        partner=own,
        year=today.year + 1,
        goals=goals,
        activities=activities,
        mdf_planned=Decimal(6000),
        summary="Next year together: more registered projects, a higher win rate.",
    )
    plan_propose(plan=proposed, actor=actor)
