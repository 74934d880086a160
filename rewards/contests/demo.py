"""Demo contests: a growth race running now, so the leaderboard has figures and the demo partner a rank;
its trip is the catalogue's summit reward (an item prize), granted at close like a redemption.

Idempotent: a tenant that has the contest already is left as it is.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from prm.tenancy.choices import Role
from prm.tenancy.models import Membership
from rewards.catalogue.models import RewardItem

from .models import Contest
from .services import contest_save

NAME = "Growth race to Lisbon"
TRIP = "Partner summit in Lisbon"


def seed(tenant) -> None:
    """A running contest on revenue growth against the same weeks a year before, open to every
    partner, with the catalogue's trip for the three best (a money prize when the catalogue has no
    such reward), a marketing budget for the next two, and points for everyone growing 10 % or more."""
    if Contest.objects.for_tenant(tenant).filter(name=NAME).exists():
        return
    manager = (
        Membership.objects.filter(tenant=tenant, role=Role.CHANNEL_MANAGER).select_related("user").first()
    )
    today = timezone.localdate()
    contest_save(
        tenant=tenant,
        actor=manager.user if manager else None,
        name=NAME,
        description="Grow your revenue against the same weeks last year: the three best fly to Lisbon "
        "for the partner summit; everyone growing 10 % or more earns 500 points.",
        starts_on=today - timedelta(days=75),
        ends_on=today + timedelta(days=45),
        measure="growth",
        show_names=False,
        for_preferences=["money"],
        auto_close_days=14,
        prizes=[
            _trip(tenant),
            {
                "label": "Marketing budget",
                "basis": "rank",
                "rank_from": 4,
                "rank_to": 5,
                "kind": "money",
                "amount": Decimal(500),
            },
            {
                "label": "500 growth points",
                "basis": "threshold",
                "threshold": Decimal(10),
                "kind": "points",
                "points": 500,
            },
        ],
    )


def _trip(tenant) -> dict:
    """The three best win the catalogue's summit trip (an item prize), else its price in money."""
    prize = {"label": "Trip to Lisbon (partner summit)", "basis": "rank", "rank_from": 1, "rank_to": 3}
    item = RewardItem.objects.for_tenant(tenant).filter(name=TRIP, active=True).first()
    if item is None:
        return prize | {"kind": "money", "amount": Decimal(2500)}
    return prize | {"kind": "item", "item": item}
