"""Demo requests of the demo partner user's company (Nordwind Systems in acme): a complaint the
vendor answered late, an idea answered within hours and a request still open and overdue.

The story is told in time order, never before the partner existed (tests/test_seed_story.py).
Idempotent: a partner with requests keeps them.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from partners.models import PartnerUser
from prm.tenancy.access import tenant_access_for
from prm.tenancy.choices import Role
from prm.tenancy.models import Membership

from .businesstime import business_deadline
from .models import PartnerRequest
from .services import may_answer, request_raise, request_reply


def _answerer(tenant, partner_request):
    """The partner's owner where it may answer, else the tenant's first admin: (user, access)."""
    owner = partner_request.partner.owner
    if owner is not None:
        access = tenant_access_for(owner, tenant.slug)
        if may_answer(partner_request, access):
            return owner, access
    admin = (
        Membership.objects.for_tenant(tenant)
        .filter(role=Role.ADMIN)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return (admin.user, tenant_access_for(admin.user, tenant.slug)) if admin else (None, None)


def seed(tenant) -> None:
    link = (
        PartnerUser.objects.for_tenant(tenant)
        .filter(membership__user__username=f"{tenant.slug}-partner")
        .select_related("partner", "membership__user")
        .first()
    )
    if link is None or PartnerRequest.objects.for_tenant(tenant).filter(partner=link.partner).exists():
        return
    user = link.membership.user
    access = tenant_access_for(user, tenant.slug)
    now = timezone.now()
    born = link.partner.created_at + timedelta(hours=1)
    start = max(born, now - timedelta(days=30))

    def raised(at, category, subject, text):
        return request_raise(
            tenant=tenant, access=access, actor=user, category=category, subject=subject, text=text, now=at
        )

    late = raised(
        start,
        "complaint",
        "Demo units arrived without power supplies",
        "The two demo units we received last week came without their power supplies; we had to postpone "
        "a customer demonstration.",
    )
    answerer, staff = _answerer(tenant, late)
    if answerer is None:
        return
    # answered a day and a half past its deadline: late
    answered_late = min(
        business_deadline(late.first_due_at, timedelta(days=1, hours=12)), now - timedelta(hours=3)
    )
    request_reply(
        partner_request=late,
        access=staff,
        actor=answerer,
        text="Sorry for the trouble: two power supplies are on their way by courier, and we checked the "
        "packing list with the warehouse.",
        now=answered_late,
    )
    idea_at = min(start + timedelta(days=8), now - timedelta(hours=6))
    idea = raised(
        idea_at,
        "idea",
        "A co-branded case book for integrators",
        "Our customers ask for case studies of integrators like us; a co-branded case book would help in "
        "first visits.",
    )
    request_reply(
        partner_request=idea,
        access=staff,
        actor=answerer,
        text="Good idea: marketing will draft one with two of your projects; we'll send a first version.",
        now=idea_at + timedelta(hours=3),
    )
    raised(
        max(born, now - timedelta(days=6)),
        "request",
        "Price list for the new sensor range",
        "Could we get the reseller price list for the new sensor range before our customer day?",
    )
