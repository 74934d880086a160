"""Demo recognition: the starting categories, last year's partner of the year (the demo partner user's
company) and a service excellence award to the demo partner user itself.

Idempotent: a tenant with awards keeps them.
"""

from __future__ import annotations

from django.utils import timezone

from partners.models import PartnerUser
from prm.tenancy.choices import Role
from prm.tenancy.models import Membership

from .defaults import ensure_award_categories
from .models import Award, AwardCategory
from .services import award_grant


def seed(tenant) -> None:
    ensure_award_categories(tenant)
    if Award.objects.for_tenant(tenant).exists():
        return
    link = (
        PartnerUser.objects.for_tenant(tenant)
        .filter(membership__user__username=f"{tenant.slug}-partner")
        .select_related("partner", "membership__user")
        .first()
    )
    if link is None:
        return
    admin = (
        Membership.objects.for_tenant(tenant)
        .filter(role=Role.ADMIN)
        .select_related("user")
        .order_by("id")
        .first()
    )
    actor = admin.user if admin else None
    categories = list(AwardCategory.objects.for_tenant(tenant).filter(active=True))
    if len(categories) < 3:
        return
    year = timezone.localdate().year
    award_grant(
        tenant=tenant,
        actor=actor,
        category=categories[0],
        period=str(year - 1),
        partner=link.partner,
        citation=f"{link.partner.name} grew every quarter of {year - 1} and certified its whole sales team.",
    )
    award_grant(
        tenant=tenant,
        actor=actor,
        category=categories[2],
        period=f"{year}-Q{(timezone.localdate().month - 1) // 3 + 1}",
        partner=link.partner,
        person=link,
        citation="Answered every customer escalation within the day, all quarter long.",
    )
