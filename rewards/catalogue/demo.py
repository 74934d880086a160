"""Demo catalogue: a reward of every kind (one for partners who prefer training), and a redemption
in fulfilment (approved, ordered, shipped) by the partner with the most points other than the
demo partner, whose points stay to be spent on the *Rewards* page.

Idempotent: nothing is added when the tenant has a catalogue already. Runs after the payout runs
(``incentives.demo.seed``), whose approved points it spends.
"""

from __future__ import annotations

from django.db.models import Sum

from partners.models import Partner, PartnerUser
from prm.tenancy.choices import Role
from prm.tenancy.models import Membership

from .ledger import counted, credit
from .models import RewardItem
from .services.items import reward_save
from .services.redemptions import redemption_decide, redemption_fulfil, redemption_request

ITEMS = [
    {
        "name": "Branded travel mug",
        "kind": "gift",
        "points": 25,
        "stock": 40,
        "description": {
            "en": "Insulated steel mug with the programme's logo.",
            "fr": "Mug isotherme au logo du programme.",
        },
    },
    {
        "name": "Certification exam voucher",
        "kind": "training_seat",
        "points": 60,
        "description": {
            "en": "One seat at the next certification exam.",
            "es": "Una plaza en el próximo examen de certificación.",
        },
        "for_preferences": ["training"],
    },
    {
        "name": "Co-branded campaign kit",
        "kind": "marketing_service",
        "points": 150,
        "stock": 10,
        "description": {
            "en": "Our agency adapts a campaign to your brand: e-mail, landing page, two banners."
        },
        "for_preferences": ["marketing"],
    },
    {
        "name": "Partner summit in Lisbon",
        "kind": "travel",
        "points": 400,
        "stock": 6,
        "tiers": ["A", "B"],
        "description": {"en": "Two nights and the summit pass for one person."},
    },
    {
        "name": "Plant 10 trees",
        "kind": "donation",
        "points": 20,
        "description": {"en": "A donation to a reforestation cause in your name."},
    },
]


def _staff(tenant) -> dict:
    return {
        m.role: m.user
        for m in Membership.objects.filter(tenant=tenant).select_related("user").order_by("created_at")
    }


def seed(tenant) -> None:
    if RewardItem.objects.for_tenant(tenant).exists():
        return
    staff = _staff(tenant)
    manager, admin = staff.get(Role.CHANNEL_MANAGER), staff.get(Role.ADMIN)
    items = [reward_save(tenant=tenant, actor=manager, **values) for values in ITEMS]
    _redemption_in_fulfilment(tenant, items[0], manager, admin)


def _redemption_in_fulfilment(tenant, item, manager, admin) -> None:
    """The partner with the most points (the demo partner aside) redeemed a mug, which is on its way."""
    demo_partner = (
        PartnerUser.objects.for_tenant(tenant)
        .filter(membership__user__username=f"{tenant.slug}-partner")
        .values_list("partner_id", flat=True)
        .first()
    )
    richest = (
        counted(tenant)
        .exclude(partner_id=demo_partner)
        .values("partner_id")
        .annotate(total=Sum("points"))
        .order_by("-total", "partner_id")
        .first()
    )
    partner_id = richest["partner_id"] if richest else None
    partners = Partner.objects.for_tenant(tenant).exclude(pk=demo_partner).order_by("pk")
    partner = partners.filter(pk=partner_id).first() if partner_id else partners.first()
    if partner is None or manager is None or admin is None:
        return
    if not richest or richest["total"] < item.points:
        credit(partner, item.points, "Welcome points", actor=manager)
    user = (
        PartnerUser.objects.for_tenant(tenant)
        .filter(partner=partner)
        .select_related("membership__user")
        .first()
    )
    redemption = redemption_request(
        tenant=tenant,
        partner=partner,
        item=item,
        actor=user.membership.user if user else admin,
        note="Reception, 2nd floor",
    )
    redemption_decide(redemption=redemption, actor=manager, approve=True)
    redemption_fulfil(redemption=redemption, actor=manager, status="ordered", note="PO 2026-114")
    redemption_fulfil(redemption=redemption, actor=manager, status="shipped", note="Parcel 00340 4321 7788")
