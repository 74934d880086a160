"""Demo partners of a tenant: every stage and tier, a year of visits, sales and deals.

Deterministic (seeded by the tenant's slug) and idempotent: a partner that
exists already is left as it is, with its records.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from partners.audit_actions import PartnerAudit
from partners.choices import PIPELINE, AssessmentKind, DealStatus, ObjectionType, Source, Stage, VisitKind
from partners.demo_data import APPROVAL_REQUESTS, BENEFITS, CUSTOMERS, PARTNERS, PRODUCTS, SOURCES
from partners.lifecycle.criteria import CRITERIA
from partners.lifecycle.moves import partner_request_approval, relationship_set
from partners.models import (
    Assessment,
    Contact,
    DealRegistration,
    Objection,
    Partner,
    ReferenceItem,
    Sale,
    StageChange,
    TierBenefit,
    Visit,
)
from partners.programme.settings import programme_for
from partners.selling.customers import normalise_customer
from partners.tiering.moves import tier_override
from partners.tiering.recompute import tiers_recompute
from partners.visiting import demo as visiting_demo
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.demo import ensure_member
from prm.tenancy.models import Membership


def _reference_lists(tenant) -> None:
    """The demo's regions, industries, products (prices, warranty and service), competing lines and referrers."""

    if ReferenceItem.objects.for_tenant(tenant).exists():
        return
    regions = sorted({row[1] for row in PARTNERS.get(tenant.slug, [])})
    aliases = {"North": ["Nord", "Northern"], "South": ["Sud", "Southern"], "West": ["Western"]}
    products = [
        (name, Decimal(1200 + 800 * i), 24 if i < 2 else None, 12 if i < 2 else None)
        for i, name in enumerate(PRODUCTS.get(tenant.slug, []))
    ]
    rows = [("region", r, aliases.get(r, []), None, None, None) for r in regions]
    rows += [
        ("industry", i, [], None, None, None) for i in ("Manufacturing", "Software", "Logistics", "Retail")
    ]
    rows += [("product", n, [], p, w, s) for n, p, w, s in products]
    rows += [
        ("competing_line", c, [], None, None, None) for c in ("Fanuc", "KUKA", "ABB Robotics", "Salesforce")
    ]
    rows += [("referrer", "The regional chamber of commerce", ["Chamber of commerce"], None, None, None)]
    ReferenceItem.objects.for_tenant(tenant).bulk_create(
        ReferenceItem(tenant=tenant, kind=k, name=n, aliases=a, price=p, warranty_months=w, service_months=s)
        for k, n, a, p, w, s in rows
    )


def seed(tenant) -> None:
    rng = random.Random(f"partners-{tenant.slug}")
    _reference_lists(tenant)
    staff = {}
    for m in Membership.objects.filter(tenant=tenant).select_related("user").order_by("created_at"):
        staff.setdefault(m.role, m.user)
    manager, lead = staff.get(Role.CHANNEL_MANAGER), staff.get(Role.REGIONAL_LEAD)
    created_any = False
    partners = []
    for index, (name, region, country, stage, strength) in enumerate(PARTNERS.get(tenant.slug, [])):
        partner, created = Partner.objects.get_or_create(
            tenant=tenant,
            name=name,
            defaults={
                "region": region,
                "country": country,
                "source": SOURCES[index % len(SOURCES)],
                "owner": manager,
                "industry": "Manufacturing" if tenant.slug == "acme" else "Software",
                "payee_reference": f"{country}{index + 11:02d} 5001 0517 {5400 + index:04d} {index:04d} 00",
            },
        )
        partners.append(partner)
        if created:
            created_any = True
            born, selling_since = _history(tenant, partner, stage, manager, lead, rng)
            Partner.objects.filter(pk=partner.pk).update(created_at=born)
            _records(tenant, partner, stage, strength, manager, rng, born, selling_since)
            if partner.source == Source.REFERRAL and manager:  # the referral relationship has deepened
                Partner.objects.filter(pk=partner.pk).update(referrer="The regional chamber of commerce")
                relationship_set(
                    partner=partner, actor=manager, level="business", note="Introduced at a chamber meeting"
                )
                relationship_set(
                    partner=partner,
                    actor=manager,
                    level="friendship",
                    note="Regular visits; dinner together after the trade fair",
                )
    if created_any:
        _conflict(tenant, partners, rng)
        _approval_requests(tenant, manager)
    first = Partner.objects.get(name=PARTNERS[tenant.slug][0][0])
    admin = Membership.objects.get(tenant=tenant, user__username=f"{tenant.slug}-admin").user
    visiting_demo.seed(tenant, manager, admin)
    ensure_member(tenant, admin, f"{tenant.slug}-partner", Role.PARTNER, partner_id=first.pk)


#: candidates whose owner asked the regional lead to approve them for signing (the lead's queue)
def _approval_requests(tenant, manager) -> None:
    """The owner asks the regional lead to approve some candidates for signing, each halfway
    between the day it entered its stage and today (the queue shows the oldest first)."""
    now = timezone.now()
    for name, note in APPROVAL_REQUESTS.get(tenant.slug, []):
        partner = Partner.objects.filter(
            name=name, stage__in=[Stage.FIRST_TALKS, Stage.SELECTION], lead_approved_at__isnull=True
        ).first()
        if partner is None or manager is None:
            continue
        partner_request_approval(partner=partner, actor=manager, note=note)
        AuditEntry.objects.for_tenant(tenant).filter(
            action=PartnerAudit.APPROVAL_REQUESTED, target_id=str(partner.pk)
        ).update(created_at=partner.stage_entered_at + (now - partner.stage_entered_at) / 2)


def _history(tenant, partner, stage, manager, lead, rng):
    """Walk the partner along the pipeline to its stage, with the records each gate needs, in time
    order: the days are chosen from the last move back to the first, which is the day the partner
    was created. A signed or certified partner signed more than five quarters ago (the demo shows
    a year of its sales and four closed quarters of scorecards, all after it signed).

    Returns the moment the partner was created and the day it began selling (signed, or created
    for the partners that sell without a contract)."""
    now = timezone.now()
    target = stage if stage in PIPELINE else rng.choice(PIPELINE[1:4])
    steps = PIPELINE[: PIPELINE.index(target) + 1]
    if stage in PIPELINE:
        last = now - timedelta(days=rng.randint(5, 40) if stage != Stage.CERTIFIED else rng.randint(20, 120))
    else:  # went inactive after some months at its last stage
        last = now - timedelta(days=rng.randint(150, 300))
    days = [last]
    for step in reversed(steps[:-1]):
        day = days[0] - timedelta(days=rng.randint(6, 30), hours=rng.randint(0, 8))
        if step == Stage.SIGNED:
            day = min(day, now - timedelta(days=rng.randint(470, 520)))
        days.insert(0, day)
    if target == Stage.SIGNED:
        shift = days[-1] - (now - timedelta(days=rng.randint(470, 520)))  # signed five quarters ago
        days = [d - shift for d in days]
    Contact.objects.create(
        tenant=tenant,
        partner=partner,
        name=f"{partner.name.split()[0]} Owner",
        role="Managing director",
        email=f"md@{partner.name.split()[0].lower()}.example",
        is_primary=True,
    )
    previous, signed = "", None
    for step, day in zip(steps, days, strict=True):
        if step == Stage.SELECTION:
            _visit(tenant, partner, day.date() - timedelta(days=3), manager, rng)
        if step == Stage.STRATEGIC:
            _assessment(
                tenant, partner, AssessmentKind.SELECTION, day.date() - timedelta(days=5), manager, rng
            )
            partner.lead_approved_at, partner.lead_approved_by = day - timedelta(days=2), lead
        if step == Stage.SIGNED:
            signed = day
            _assessment(
                tenant, partner, AssessmentKind.STRATEGIC, day.date() - timedelta(days=4), manager, rng
            )
        StageChange.objects.create(
            tenant=tenant,
            partner=partner,
            from_stage=previous,
            to_stage=step,
            changed_by=manager,
            changed_at=day,
            note="",
        )
        previous = step
    entered = days[-1]
    partner.stage, partner.stage_entered_at = target, entered
    if stage not in PIPELINE:
        entered = min(entered + timedelta(days=rng.randint(20, 90)), now - timedelta(days=1))
        partner.stage, partner.stage_entered_at, partner.inactive_reason = (
            stage,
            entered,
            rng.choice(
                [
                    "Chose a competitor's line.",
                    "Owner retiring; no successor yet.",
                    "Paused projects for a year.",
                ]
            ),
        )
        StageChange.objects.create(
            tenant=tenant,
            partner=partner,
            from_stage=target,
            to_stage=stage,
            changed_by=manager,
            changed_at=entered,
            note=partner.inactive_reason,
        )

    box = programme_for(tenant).time_box_days(partner.stage)
    partner.stage_due_at = entered + timedelta(days=box) if box else None
    partner.save()
    born = days[0]  # created as a prospect: its first move
    return born, (signed or born)


def _visit(tenant, partner, date, manager, rng):
    visit = Visit.objects.create(
        tenant=tenant,
        partner=partner,
        date=date,
        kind=rng.choice([k for k in VisitKind.values if k != VisitKind.LEADERSHIP]),
        summary=rng.choice(
            [
                "Met the owner and the sales lead; keen on the new line.",
                "Technical exchange with their engineers.",
                "Visited a reference site together.",
            ]
        ),
        goal_met=rng.random() < 0.7,
        next_step="Send the partner programme and margin sheet.",
        make_target=rng.random() < 0.6,
        logged_by=manager,
    )
    for kind in rng.sample(ObjectionType.values, rng.randint(0, 2)):
        Objection.objects.create(tenant=tenant, visit=visit, type=kind, note="Raised by the owner.")


def _assessment(tenant, partner, kind, date, manager, rng):
    ratings = {key: {"score": rng.randint(2, 5), "note": ""} for key in CRITERIA[kind]}
    Assessment.objects.create(
        tenant=tenant, partner=partner, kind=kind, date=date, ratings=ratings, assessed_by=manager
    )


def _records(tenant, partner, stage, strength, manager, rng, born, selling_since):
    """Up to a year of visits, sales (with a return) and deal registrations, scaled by strength,
    none before the partner was created and no sale before it began selling."""
    today = timezone.localdate()
    age = max((today - timezone.localdate(born)).days - 1, 2)
    for _ in range(1 + int(strength * 6)):
        _visit(tenant, partner, today - timedelta(days=rng.randint(1, min(330, age))), manager, rng)
    _assessment(
        tenant,
        partner,
        AssessmentKind.TIER,
        today - timedelta(days=rng.randint(1, min(120, age))),
        manager,
        rng,
    )
    if stage not in (Stage.SIGNED, Stage.CERTIFIED, Stage.STRATEGIC, Stage.DORMANT):
        return
    products = PRODUCTS[tenant.slug]
    selling_age = max((today - timezone.localdate(selling_since)).days - 1, 1)
    sales = []
    for n in range(int(10 + strength * 60)):
        amount = Decimal(rng.randint(800, 4000) * (1 + strength * 3)).quantize(Decimal("0.01"))
        sales.append(
            Sale(
                tenant=tenant,
                partner=partner,
                external_id=f"{tenant.slug.upper()}-{partner.pk}-{n:04d}",
                date=today - timedelta(days=rng.randint(0, min(364, selling_age))),
                product=rng.choice(products),
                quantity=Decimal(rng.randint(1, 5)),
                amount=amount,
                currency=tenant.currency,
                customer=rng.choice(CUSTOMERS),
                self_sourced=rng.random() < 0.4 + strength / 2,
            )
        )
    sales[-1].amount = -sales[0].amount  # a return claws back
    sales[-1].external_id += "-R"
    Sale.objects.bulk_create(sales)
    now = timezone.now()
    for _ in range(int(2 + strength * 10)):
        registered = now - timedelta(days=rng.randint(0, min(300, age)))
        status = rng.choices(
            [DealStatus.WON, DealStatus.LOST, DealStatus.APPROVED, DealStatus.PENDING],
            weights=[2 + strength * 4, 2, 2, 1],
        )[0]
        if status in (DealStatus.APPROVED, DealStatus.PENDING) and registered < now - timedelta(days=90):
            status = DealStatus.EXPIRED
        customer = rng.choice(CUSTOMERS)
        DealRegistration.objects.create(
            tenant=tenant,
            partner=partner,
            customer=customer,
            customer_key=normalise_customer(customer),
            product=rng.choice(products),
            expected_amount=Decimal(rng.randint(5, 80) * 1000),
            currency=tenant.currency,
            status=status,
            self_sourced=rng.random() < 0.3 + strength / 2,
            registered_at=registered,
            expires_at=registered + timedelta(days=90),
            registered_by=manager,
            # the vendor answered: mostly within a day or two, sometimes a week later
            decided_at=None
            if status == DealStatus.PENDING
            else registered + timedelta(hours=rng.choice([4, 20, 40, 170])),
        )


def _conflict(tenant, partners, rng):
    """Two partners chasing the same customer, written differently: a channel conflict to show."""
    now = timezone.now()
    signed = [p for p in partners if p.stage in (Stage.SIGNED, Stage.CERTIFIED)][:2]
    for partner, spelling in zip(signed, ["Initech Holdings Ltd.", "INITECH HOLDINGS"], strict=False):
        DealRegistration.objects.create(
            tenant=tenant,
            partner=partner,
            customer=spelling,
            customer_key=normalise_customer(spelling),
            customer_domain="initech.example",
            product="Pilot",
            expected_amount=Decimal("42000"),
            currency=tenant.currency,
            status=DealStatus.PENDING,
            registered_at=now - timedelta(days=3),
            expires_at=now + timedelta(days=87),
        )


def benefits(tenant) -> None:
    """What each tier gives, so partners read their rights beside their duties."""

    if TierBenefit.objects.for_tenant(tenant).exists():
        return
    TierBenefit.objects.for_tenant(tenant).bulk_create(
        TierBenefit(tenant=tenant, tier=tier, kind=kind, value=Decimal(value), description=text, position=n)
        for n, (tier, kind, value, text) in enumerate(BENEFITS)
    )


def recompute(tenant) -> None:
    """Tiers and health once every app's inputs are there (training and leads feed willingness),
    and the manager's one override, reviewed at the QBR, after the tiers it overrides. Runs again
    after the scorecards (a dropping score is a health signal)."""
    tiers_recompute(tenant=tenant)
    overridden = Partner.objects.for_tenant(tenant).filter(name=PARTNERS[tenant.slug][3][0]).first()
    manager = (
        Membership.objects.filter(tenant=tenant, role=Role.CHANNEL_MANAGER)
        .select_related("user")
        .order_by("created_at")
        .first()
    )
    if overridden and manager and not overridden.tier_override:
        tier_override(
            partner=overridden,
            actor=manager.user,
            tier="B",
            reason="Strategic account in a new region; reviewed at the QBR.",
        )
