"""What each tier gives: written by admins, read by every role, used by MDF and lead rules."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from incentives.services.mdf import mdf_request_create
from leads.services.distribution import lead_create
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import IncentiveRuleFactory, LeadRuleFactory, PartnerFactory, TierBenefitFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tenants/alpha"


def test_admins_write_benefits_every_role_reads_them_and_a_kind_is_given_once_per_tier(
    api, tenant, member, partner_user
):
    admin = api(member(tenant, Role.ADMIN))

    created = admin.post(
        f"{BASE}/tier-benefits/",
        {"tier": "A", "kind": "margin_points", "value": "4", "description": "4 extra margin points"},
        format="json",
    )
    twice = admin.post(
        f"{BASE}/tier-benefits/",
        {"tier": "A", "kind": "margin_points", "value": "5", "description": "again"},
        format="json",
    )
    no_number = admin.post(
        f"{BASE}/tier-benefits/", {"tier": "B", "kind": "mdf_share", "description": "MDF"}, format="json"
    )
    by_manager = api(member(tenant, Role.CHANNEL_MANAGER)).post(
        f"{BASE}/tier-benefits/", {"tier": "B", "kind": "other", "description": "x"}, format="json"
    )
    seen_by_partner = api(partner_user(tenant)).get(f"{BASE}/tier-benefits/").json()

    assert created.status_code == 201 and created.json()["value"] == "4.00"
    assert twice.status_code == 400 and "kind" in twice.json()
    assert no_number.status_code == 400 and "value" in no_number.json()
    assert by_manager.status_code == 403
    assert [b["description"] for b in seen_by_partner["results"]] == ["4 extra margin points"]


def test_the_page_shows_each_tiers_benefits_to_partners_too(web, tenant, partner_user):
    TierBenefitFactory(
        tenant=tenant, tier="B", kind="support", value=Decimal("8"), description="Answers within 8 hours"
    )

    page = web(partner_user(tenant)).get("/t/alpha/tiers/benefits/")

    assert page.status_code == 200 and "Answers within 8 hours" in page.content.decode()


def test_only_tiers_with_an_mdf_share_may_request_mdf_once_any_tier_has_one(tenant, member):

    programme = IncentiveRuleFactory(tenant=tenant, kind="mdf", params={"budget_share_benefit": True})
    gold = PartnerFactory(tenant=tenant, stage="signed", computed_tier="A")
    plain = PartnerFactory(tenant=tenant, stage="signed", computed_tier="D")
    TierBenefitFactory(tenant=tenant, tier="A", kind="mdf_share", value=Decimal("2"), description="2% MDF")
    actor = member(tenant, Role.CHANNEL_MANAGER)

    with tenant_context(tenant):
        asked = mdf_request_create(
            tenant=tenant,
            actor=actor,
            partner=gold,
            rule=programme,
            period="2026-Q4",
            plan="Fair",
            amount=Decimal("500"),
        )
        with pytest.raises(ValidationError) as refused:
            mdf_request_create(
                tenant=tenant,
                actor=actor,
                partner=plain,
                rule=programme,
                period="2026-Q4",
                plan="Fair",
                amount=Decimal("500"),
            )

    assert asked.pk and "Tier D gives no MDF budget" in refused.value.message_dict["partner"][0]


def test_lead_priority_weighs_tiers_where_a_rule_sets_no_weights(tenant):

    LeadRuleFactory(tenant=tenant, name="Everyone")
    PartnerFactory(tenant=tenant, name="Gold", stage="signed", region="North", computed_tier="A")
    bronze = PartnerFactory(tenant=tenant, name="Bronze", stage="signed", region="North", computed_tier="D")
    TierBenefitFactory(
        tenant=tenant, tier="D", kind="lead_priority", value=Decimal("9"), description="Leads first"
    )

    with tenant_context(tenant):
        lead = lead_create(tenant=tenant, customer="Initech", region="North")

    assert lead.partner == bronze
