"""The programme the random walk plays in: one vendor with a person in every role, two partners with a
user each, the rules that pay them, a webhook endpoint that records every event, and a second vendor
whose user must never see or touch any of it.

Every person calls the API as a client does (``Actor.call``); an answer of 5xx fails the walk at once,
whatever the step, with the request that caused it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rest_framework.test import APIClient

from prm.tenancy.choices import Role
from tests.factories import (
    EndpointFactory,
    IncentiveRuleFactory,
    MembershipFactory,
    PartnerFactory,
    PartnerUserFactory,
    TenantFactory,
)

#: The periods the walk books sales in and pays: one quarter closed and paid, the next in play.
PERIODS = {"2026-Q2": ("2026-04-01", "2026-06-30"), "2026-Q3": ("2026-07-01", "2026-09-30")}
CUSTOMERS = ["Acme Robotics", "Globex", "Initech", "Umbrella Labs"]  # shared by both partners
MDF_BUDGET = Decimal("1000.00")  # per partner and period (the MDF rule's fixed budget)


@dataclass
class Actor:
    """One person of the walk and the API client it calls with."""

    name: str
    role: str
    user: object
    tenant_slug: str
    partner_id: int | None = None
    client: APIClient = field(default_factory=APIClient)

    def __post_init__(self):
        self.client.force_authenticate(self.user)

    @property
    def base(self) -> str:
        return f"/api/v1/tenants/{self.tenant_slug}"

    def call(self, method: str, path: str, data=None, fmt: str = "json"):
        """``method`` on ``path`` (relative to the actor's tenant, or absolute from ``/``); never 5xx."""
        url = path if path.startswith("/") else f"{self.base}/{path}"
        response = (
            getattr(self.client, method)(url, data, format=fmt)
            if data is not None
            else getattr(self.client, method)(url)
        )
        assert response.status_code < 500, (
            f"{self.name} ({self.role}) {method.upper()} {url} {data!r} answered {response.status_code}: "
            f"{getattr(response, 'content', b'')[:500]!r}"
        )
        return response


@dataclass
class World:
    tenant: object
    other_tenant: object
    actors: dict[str, Actor]
    partners: dict[str, object]  # "north", "south": signed partners with users; "prospect": in the pipeline
    commission_key: object
    commission_id: int
    mdf_rule_id: int

    def actor(self, name: str) -> Actor:
        return self.actors[name]

    @property
    def staff(self) -> list[str]:
        return [
            n for n, a in self.actors.items() if a.role != Role.PARTNER and a.tenant_slug == self.tenant.slug
        ]


def build_world() -> World:
    tenant = TenantFactory(slug="walk", name="Walk Robotics", currency="EUR")
    other = TenantFactory(slug="walk-other", name="Other Vendor", currency="EUR")
    north = PartnerFactory(
        tenant=tenant, name="Nordwind Systems", stage="signed", computed_tier="B", region="North"
    )
    south = PartnerFactory(
        tenant=tenant, name="Southbay Automation", stage="signed", computed_tier="B", region="North"
    )
    prospect = PartnerFactory(tenant=tenant, name="Prospect Tools", stage="prospecting", region="North")
    PartnerFactory(tenant=other, name="Elsewhere Ltd", stage="signed")

    def person(name, role, on=tenant):
        return MembershipFactory(tenant=on, role=role, user__username=f"walk-{name}").user

    actors = {
        name: Actor(name, role, person(name, role), tenant.slug)
        for name, role in [
            ("admin", Role.ADMIN),
            ("manager", Role.CHANNEL_MANAGER),
            ("lead", Role.REGIONAL_LEAD),
            ("finance", Role.FINANCE),
            ("finance2", Role.FINANCE),
        ]
    }
    for name, partner in (("north_user", north), ("south_user", south)):
        link = PartnerUserFactory(tenant=tenant, partner=partner, membership__user__username=f"walk-{name}")
        actors[name] = Actor(name, Role.PARTNER, link.membership.user, tenant.slug, partner_id=partner.pk)
    actors["outsider"] = Actor("outsider", Role.ADMIN, person("outsider", Role.ADMIN, on=other), other.slug)

    commission = IncentiveRuleFactory(
        tenant=tenant, kind="commission", name="Base commission", params={"rate": "5"}, edited_by=None
    )
    mdf = IncentiveRuleFactory(
        tenant=tenant, kind="mdf", name="Marketing funds", params={"budget": str(MDF_BUDGET)}, edited_by=None
    )
    EndpointFactory(tenant=tenant, url="http://127.0.0.1:9/walk", events=["*"])
    return World(
        tenant=tenant,
        other_tenant=other,
        actors=actors,
        partners={"north": north, "south": south, "prospect": prospect},
        commission_key=commission.key,
        commission_id=commission.pk,
        mdf_rule_id=mdf.pk,
    )
