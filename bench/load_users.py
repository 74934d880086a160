"""The load section's people: two tenants (the bench tenant and a small second one), users of every
role in each (half partner users, the rest channel managers and finance), each with a session and a
read-only API token, and the mix of pages and list APIs each of them reads.

Every answer is checked for what its reader must not see: the other tenant's name or any of its
partners' names, and, for a partner user, any partner of its own tenant but its own. Partner names
are unique words to look for: the bench tenant's are ``Partner 000123``; the second tenant's are
renamed ``Zeta 0001234`` (its id), and the tenant itself ``Zeta Load Systems``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SECOND = "bench-load"
SECOND_NAME = "Zeta Load Systems"
#: one partner name of each tenant, as a pattern (both tenants' names are unique words)
NAMES = {"bench": re.compile(r"Partner \d{6}"), SECOND: re.compile(r"Zeta \d{7}")}
PASSWORD = "bench-load-2026!"
#: the roles of the users, in turn: half partner users, the rest channel managers and finance
ROLES = ("partner", "channel_manager", "partner", "finance")


@dataclass
class Reader:
    """One simulated user: where it reads, with what, and what it must not see."""

    username: str
    tenant: str
    role: str
    session: str
    token: str
    own: str = ""  # a partner user's partner name
    partner_ids: list[int] = field(default_factory=list)  # partner pages a staff user opens
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # (group, what, path)
    refused: list[str] = field(default_factory=list)  # of the mix, what its role may not read

    def headers(self, api: bool) -> dict:
        return {"Authorization": f"Token {self.token}"} if api else {}

    def leaks(self, text: str, other_tenant_name: str) -> int:
        """How many things of another tenant or partner the answer holds (0: none)."""
        found = other_tenant_name in text
        other = NAMES[SECOND if self.tenant == "bench" else "bench"]
        found += bool(other.search(text))
        if self.role == "partner":
            found += any(name != self.own for name in NAMES[self.tenant].findall(text))
        return int(found)


def second_tenant(partners: int, sales: int):
    """The second tenant (made once): the bench data at a small size, its names made its own, and
    its quarter's scorecards and payout run computed."""
    from django.db import connection

    from prm.tenancy.context import tenant_context
    from prm.tenancy.models import Tenant

    from .generate import generate

    tenant = Tenant.objects.filter(slug=SECOND).first()
    if tenant is None:
        tenant = generate(partners=partners, sales=sales, slug=SECOND)
        Tenant.objects.filter(pk=tenant.pk).update(name=SECOND_NAME)
        tenant.refresh_from_db()
        with tenant_context(tenant), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE partners_partner SET name = 'Zeta ' || lpad(id::text, 7, '0') WHERE tenant_id = %s;"
                "UPDATE partners_contact SET name = 'Contact' WHERE tenant_id = %s",
                [tenant.pk, tenant.pk],
            )
    computed(tenant)
    return tenant


def computed(tenant) -> None:
    """The quarter's scorecards and payout run, where an earlier section has not computed them."""
    from incentives.models import PayoutRun
    from incentives.services.runs import payout_run_compute
    from prm.tenancy.context import tenant_context
    from scorecards.models import Scorecard
    from scorecards.services.compute import scorecards_compute

    from .generate import QUARTER

    with tenant_context(tenant):
        if not Scorecard.objects.filter(period=QUARTER).exists():
            scorecards_compute(tenant=tenant, period=QUARTER)
        if not PayoutRun.objects.filter(period=QUARTER).exists():
            payout_run_compute(tenant=tenant, period=QUARTER)


def readers(tenants: list, count: int) -> list[Reader]:
    """``count`` users over the tenants in turn, the roles of ``ROLES`` in turn (made once, reused)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from partners.models import Partner
    from prm.apitokens import services as api_tokens
    from prm.tenancy.context import tenant_context
    from prm.tenancy.models import Membership
    from prm.tenancy.services import member_add

    User = get_user_model()
    signed = {}
    for tenant in tenants:
        with tenant_context(tenant):
            signed[tenant.slug] = list(
                Partner.objects.filter(stage="signed").order_by("pk").values_list("pk", "name")[: count + 20]
            )
    found = []
    for n in range(count):
        tenant = tenants[n % len(tenants)]
        role = ROLES[(n // len(tenants)) % len(ROLES)]
        username = f"load-{tenant.slug}-{n:03d}"
        partner_id, own = signed[tenant.slug][n] if role == "partner" else (None, "")
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com"}
        )
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        with tenant_context(tenant):
            membership = Membership.objects.filter(tenant=tenant, user=user).first()
            if membership is None:
                actor = Membership.objects.filter(role="admin").order_by("pk").first().user
                member_add(tenant=tenant, actor=actor, user=user, role=role, partner_id=partner_id)
            else:
                role = membership.role
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        _token, secret = api_tokens.issue(user=user, name="bench load", scope="read")
        reader = Reader(
            username=username,
            tenant=tenant.slug,
            role=role,
            session=client.cookies[settings.SESSION_COOKIE_NAME].value,
            token=secret,
            own=own,
            partner_ids=[pk for pk, _name in signed[tenant.slug][:20]],
        )
        reader.requests = mix(reader)
        found.append(reader)
    return found


def mix(reader: Reader) -> list[tuple[str, str, str]]:
    """The ten things its role reads most: five pages and five list APIs (``{partner}``: a partner
    page, one of the first signed partners, picked at each request)."""
    base, api = f"/t/{reader.tenant}", f"/api/v1/tenants/{reader.tenant}"
    if reader.role == "partner":
        pages = [
            ("dashboard", f"{base}/"),
            ("my programme", f"{base}/my-programme/"),
            ("scorecards", f"{base}/scorecards/"),
            ("deals", f"{base}/deals/"),
            ("my payouts", f"{base}/my-payouts/"),
        ]
        apis = ["partners/", "sales/", "deals/", "scorecards/", "me/programme/"]
    else:
        pages = [
            ("dashboard", f"{base}/"),
            ("partners", f"{base}/partners/"),
            ("partner page", f"{base}/partners/{{partner}}/"),
            ("scorecards", f"{base}/scorecards/"),
            ("payout runs", f"{base}/payouts/"),
        ]
        apis = ["partners/", "sales/", "deals/", "scorecards/", "payout-runs/"]
    return [("pages", what, path) for what, path in pages] + [
        ("APIs", what, f"{api}/{what}") for what in apis
    ]
