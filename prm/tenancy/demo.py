"""The demo's tenants and people: two vendors, one login for every role, one consultant in both.

Every demo login uses the password ``DEMO_PASSWORD``. Seeding is idempotent:
what exists already is left as it is.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from .choices import Role
from .context import tenant_context
from .invitations import VALID_FOR, pending_invitations, token_hash
from .models import Invitation, Membership, Tenant
from .services import member_add

DEMO_PASSWORD = "prm-demo-2026"


@dataclass(frozen=True)
class DemoTenant:
    slug: str
    name: str
    currency: str
    language: str
    brand_color: str


TENANTS = [
    DemoTenant("acme", "Acme Robotics", "EUR", "en", "#1f5f8b"),
    DemoTenant("globex", "Globex Software", "USD", "en", "#6b3fa0"),
]

STAFF = [
    ("admin", Role.ADMIN),
    ("manager", Role.CHANNEL_MANAGER),
    ("lead", Role.REGIONAL_LEAD),
    ("finance", Role.FINANCE),
]


def seed_tenants() -> list[Tenant]:
    """The demo tenants with a staff user per role, and the consultant in both."""
    User = get_user_model()
    tenants = []
    for spec in TENANTS:
        tenant, _ = Tenant.objects.get_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "currency": spec.currency,
                "default_language": spec.language,
                "brand_color": spec.brand_color,
            },
        )
        tenants.append(tenant)
        admin = _ensure_user(User, f"{spec.slug}-admin")
        with tenant_context(tenant):
            Membership.objects.get_or_create(user=admin, tenant=tenant, defaults={"role": Role.ADMIN})
            for suffix, role in STAFF[1:]:
                ensure_member(tenant, admin, f"{spec.slug}-{suffix}", role)
            ensure_member(tenant, admin, "consultant", Role.CHANNEL_MANAGER)
            ensure_pending_invitation(tenant, admin)
    return tenants


def ensure_member(tenant, actor, username: str, role: str, partner_id: int | None = None):
    """Add the demo user (made with ``DEMO_PASSWORD`` if new) to the tenant unless it is a member
    already. Provisioning only: in the product, people join by accepting an invitation."""
    existing = Membership.objects.filter(tenant=tenant, user__username=username).first()
    if existing:
        return existing
    user = _ensure_user(get_user_model(), username)
    return member_add(tenant=tenant, actor=actor, user=user, role=role, partner_id=partner_id)


def ensure_pending_invitation(tenant, actor) -> None:
    """One invitation waiting for an answer, so the members page shows the list (no mail is sent,
    and nobody holds its link: resend it from the page to try the journey)."""
    if pending_invitations(tenant=tenant).exists():
        return
    now = timezone.now()
    Invitation.objects.for_tenant(tenant).create(
        tenant=tenant,
        email=f"new.colleague@{tenant.slug}.example.com",
        first_name="Robin",
        last_name="Meyer",
        role=Role.CHANNEL_MANAGER,
        invited_by=actor,
        token_hash=token_hash(secrets.token_urlsafe(32)),
        sent_at=now,
        expires_at=now + VALID_FOR,
    )


def _ensure_user(User, username: str):
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.com"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user
