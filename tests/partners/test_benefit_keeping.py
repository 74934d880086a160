"""A tier benefit is applied by the rule that reads it, or says plainly that it is not automatic; a
rule or a benefit that would contradict the other is refused, and a partner's programme never
promises what the rules do not keep."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.management import call_command

from incentives.models import IncentiveRule
from leads.models import LeadRule
from partners.tiering.benefit_keeping import with_keeping
from partners.tiering.benefits import benefit_list
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Tenant
from tests.factories import IncentiveRuleFactory, LeadRuleFactory, PartnerFactory, TierBenefitFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tenants/alpha"


@pytest.fixture
def mdf_shares(tenant):
    """The demo's promise: tier A an MDF budget of 3%, tier B of 2%."""
    TierBenefitFactory(
        tenant=tenant,
        tier="A",
        kind="mdf_share",
        value=Decimal("3"),
        description="MDF budget of 3% of last quarter's revenue",
    )
    return TierBenefitFactory(
        tenant=tenant,
        tier="B",
        kind="mdf_share",
        value=Decimal("2"),
        description="MDF budget of 2% of last quarter's revenue",
    )


def benefits(client, **filters) -> dict:
    rows = client.get(f"{BASE}/tier-benefits/", filters).json()["results"]
    return {(b["tier"], b["kind"]): b for b in rows}


def test_an_mdf_rule_paying_3_percent_to_a_and_b_is_refused_while_b_is_promised_2(
    api, tenant, member, mdf_shares
):
    client = api(member(tenant, Role.ADMIN))

    fixed = client.post(
        f"{BASE}/incentive-rules/",
        {"name": "Co-marketing MDF", "kind": "mdf", "params": {"budget_share": "3"}, "tiers": ["A", "B"]},
        format="json",
    )
    reading = client.post(
        f"{BASE}/incentive-rules/",
        {
            "name": "Co-marketing MDF",
            "kind": "mdf",
            "params": {"budget_share_benefit": True},
            "tiers": ["A", "B"],
        },
        format="json",
    )

    assert fixed.status_code == 400
    [message] = fixed.json()["params.budget_share"]
    assert "tier B" in message and "MDF budget of 2% of last quarter's revenue" in message
    assert "read each tier's MDF share" in message
    assert reading.status_code == 201, reading.json()
    assert IncentiveRule.objects.for_tenant(tenant).count() == 1
    kept = benefits(client, kind="mdf_share")
    for tier in "AB":
        assert kept[(tier, "mdf_share")]["automatic"] is True
        assert kept[(tier, "mdf_share")]["applied_by"] == {
            "rule": reading.json()["id"],
            "name": "Co-marketing MDF",
            "version": 1,
            "type": "incentive_rule",
        }


def test_the_rule_page_refuses_the_contradiction_and_saves_a_rule_reading_each_tiers_share(
    web, tenant, member, mdf_shares
):
    page = web(member(tenant, Role.ADMIN))
    form = {"name": "Co-marketing MDF", "kind": "mdf", "tiers": ["A", "B"], "active": "on"}

    refused = page.post("/t/alpha/incentives/rules/new/", {**form, "budget_share": "3"})
    saved = page.post("/t/alpha/incentives/rules/new/", {**form, "budget_share_benefit": "on"})

    html = unescape(refused.content.decode())
    assert refused.status_code == 400
    assert "tier B" in html and "“MDF budget of 2% of last quarter's revenue” promises" in html
    assert saved.status_code == 302
    assert [r.params for r in IncentiveRule.objects.for_tenant(tenant)] == [{"budget_share_benefit": True}]
    edit = page.get(f"/t/alpha/incentives/rules/{IncentiveRule.objects.for_tenant(tenant).get().pk}/")
    assert re.search(
        r'<input type="checkbox" name="budget_share_benefit"[^>]* checked>', edit.content.decode()
    )


def test_an_existing_contradicting_rule_is_shown_and_its_next_version_must_keep_the_promise(
    api, web, tenant, member, mdf_shares
):
    rule = IncentiveRuleFactory(
        tenant=tenant, name="Co-marketing MDF", kind="mdf", params={"budget_share": "3"}, tiers=["A", "B"]
    )
    admin = member(tenant, Role.ADMIN)
    client = api(admin)

    kept = benefits(client, kind="mdf_share")
    page = unescape(web(admin).get("/t/alpha/tiers/benefits/").content.decode())
    renamed = client.patch(f"{BASE}/incentive-rules/{rule.pk}/", {"name": "MDF"}, format="json")
    fixed = client.patch(
        f"{BASE}/incentive-rules/{rule.pk}/", {"params": {"budget_share_benefit": True}}, format="json"
    )

    assert kept[("A", "mdf_share")]["kept"] == "applied", "3% is what tier A is promised"
    assert kept[("B", "mdf_share")]["kept"] == "contradicted" and not kept[("B", "mdf_share")]["automatic"]
    assert kept[("B", "mdf_share")]["contradicted_by"]["rule"] == rule.pk
    assert "an MDF budget of 3% of last period's revenue" in kept[("B", "mdf_share")]["kept_note"]
    assert 'data-kept="contradicted"' in page
    assert f"Contradicted: incentive rule #{rule.pk} “Co-marketing MDF” (version 1) gives tier B" in page
    assert renamed.status_code == 400
    assert f"Incentive rule #{rule.pk} “MDF” would give tier B" in renamed.json()["params.budget_share"][0]
    assert fixed.status_code == 200, fixed.json()
    assert benefits(client, kind="mdf_share")[("B", "mdf_share")]["kept"] == "applied"


def test_a_benefit_a_current_rule_contradicts_is_refused_naming_the_rule(api, web, tenant, member):
    rule = IncentiveRuleFactory(
        tenant=tenant, name="Co-marketing MDF", kind="mdf", params={"budget_share": "3"}, tiers=["A", "B"]
    )
    IncentiveRuleFactory(
        tenant=tenant, name="Old MDF", kind="mdf", params={"budget_share": "9"}, active=False
    )
    admin = member(tenant, Role.ADMIN)
    promise = {"tier": "B", "kind": "mdf_share", "description": "MDF budget of 2%"}

    by_api = api(admin).post(f"{BASE}/tier-benefits/", {**promise, "value": "2"}, format="json")
    by_page = web(admin).post("/t/alpha/tiers/benefits/", {**promise, "value": "2", "position": "0"})
    kept_promise = api(admin).post(f"{BASE}/tier-benefits/", {**promise, "value": "3"}, format="json")

    assert by_api.status_code == 400
    [message] = by_api.json()["value"]
    assert f"Incentive rule #{rule.pk} “Co-marketing MDF” (version 1) gives tier B" in message
    assert "an MDF budget of 3% of last period's revenue" in message
    assert by_page.status_code == 400 and f"Incentive rule #{rule.pk}" in unescape(by_page.content.decode())
    assert kept_promise.status_code == 201, kept_promise.json()
    assert kept_promise.json()["applied_by"]["rule"] == rule.pk, "the inactive rule applies nothing"


def test_a_fixed_mdf_budget_contradicts_a_promised_share(api, tenant, member, mdf_shares):
    response = api(member(tenant, Role.ADMIN)).post(
        f"{BASE}/incentive-rules/",
        {"name": "MDF", "kind": "mdf", "params": {"budget": "5000"}},
        format="json",
    )

    assert response.status_code == 400
    assert any("a fixed MDF budget of 5 000.00" in m for m in response.json()["params.budget"])


def test_margin_points_are_not_automatic_until_a_commission_reads_them(api, web, tenant, member):
    TierBenefitFactory(
        tenant=tenant, tier="A", kind="margin_points", value=Decimal("6"), description="6 extra margin points"
    )
    TierBenefitFactory(
        tenant=tenant, tier="A", kind="support", value=Decimal("4"), description="Answers in 4 hours"
    )
    # a commission of its own rate pays, but keeps no benefit
    IncentiveRuleFactory(tenant=tenant, name="Flat commission", params={"rate": "5"})
    admin = member(tenant, Role.ADMIN)
    client = api(admin)

    before = benefits(client)
    page = unescape(web(admin).get("/t/alpha/tiers/benefits/").content.decode())
    multiplied = client.post(
        f"{BASE}/incentive-rules/",
        {
            "name": "Margin",
            "kind": "commission",
            "params": {"rate_benefit": "margin_points", "tier_multipliers": {"A": "1.5"}},
        },
        format="json",
    )
    reading = client.post(
        f"{BASE}/incentive-rules/",
        {"name": "Margin", "kind": "commission", "params": {"rate_benefit": "margin_points"}},
        format="json",
    )
    after = benefits(client)

    margin = before[("A", "margin_points")]
    assert (margin["kept"], margin["automatic"], margin["applied_by"]) == ("not_automatic", False, None)
    assert margin["kept_note"] == "Not automatic: arranged by the channel manager."
    assert page.count('data-kept="not_automatic"') == 2
    assert multiplied.status_code == 400
    assert "its margin points × 1.5 as commission" in multiplied.json()["params.tier_multipliers.A"][0]
    assert reading.status_code == 201
    assert after[("A", "margin_points")]["automatic"] is True
    assert after[("A", "margin_points")]["applied_by"]["rule"] == reading.json()["id"]
    assert after[("A", "support")]["kept"] == "not_automatic", "no rule can apply support"


def test_a_lead_rule_weighing_a_tier_otherwise_than_its_lead_priority_is_refused(api, tenant, member):
    TierBenefitFactory(
        tenant=tenant,
        tier="B",
        kind="lead_priority",
        value=Decimal("3"),
        description="Leads in your region after tier A",
    )
    client = api(member(tenant, Role.ADMIN))

    other = client.post(f"{BASE}/lead-rules/", {"name": "South", "tier_weights": {"B": 1}}, format="json")
    same = client.post(
        f"{BASE}/lead-rules/", {"name": "South", "tier_weights": {"A": 5, "B": 3}}, format="json"
    )

    assert other.status_code == 400
    [message] = other.json()["tier_weights"]
    assert "tier B" in message and "“Leads in your region after tier A”" in message
    assert same.status_code == 201, same.json()
    assert benefits(client)[("B", "lead_priority")]["applied_by"] == {
        "rule": same.json()["id"],
        "name": "South",
        "version": None,
        "type": "lead_rule",
    }
    assert LeadRule.objects.for_tenant(tenant).count() == 1


@pytest.fixture
def silver(tenant):
    """A tier B partner promised margin points (no rule reads them), an MDF share (a rule reads it)
    and a lead priority an older lead rule weighs otherwise."""
    partner = PartnerFactory(tenant=tenant, name="Silver", stage="signed", computed_tier="B")
    TierBenefitFactory(
        tenant=tenant, tier="B", kind="margin_points", value=Decimal("4"), description="4 extra margin points"
    )
    TierBenefitFactory(
        tenant=tenant,
        tier="B",
        kind="mdf_share",
        value=Decimal("2"),
        description="MDF budget of 2%",
        position=1,
    )
    TierBenefitFactory(
        tenant=tenant,
        tier="B",
        kind="lead_priority",
        value=Decimal("3"),
        description="Leads right after tier A",
        position=2,
    )
    IncentiveRuleFactory(tenant=tenant, name="MDF", kind="mdf", params={"budget_share_benefit": True})
    LeadRuleFactory(tenant=tenant, name="Everyone", tier_weights={"B": 1})
    return partner


def test_my_programme_says_what_is_applied_what_is_not_and_never_a_broken_promise(
    api, web, tenant, partner_user, silver
):
    user = partner_user(tenant, partner=silver)

    html = unescape(web(user).get("/t/alpha/my-programme/").content.decode())
    body = api(user).get(f"{BASE}/me/programme/").json()
    listed = benefits(api(user))

    rights = html.split('data-testid="programme-rights"')[1].split("</section>")[0]
    assert "4 extra margin points" in rights and "Not automatic: ask your channel manager." in rights
    assert "MDF budget of 2%" in rights and "Applied automatically." in rights
    assert "<del>Leads right after tier A</del>" in rights
    assert "the programme's rules give a lead weight of 1; ask your channel manager" in rights
    kept = {b["description"]: (b["kept"], b["automatic"], b["kept_note"]) for b in body["rights"]}
    assert kept["4 extra margin points"] == (
        "not_automatic",
        False,
        "Not automatic: ask your channel manager.",
    )
    assert kept["MDF budget of 2%"] == ("applied", True, "Applied automatically.")
    assert kept["Leads right after tier A"][0] == "contradicted"
    assert listed[("B", "lead_priority")]["contradicted_by"] is None, (
        "partner users are not told the vendor's rules"
    )
    assert listed[("B", "mdf_share")]["kept_note"] == "Applied automatically."


def test_the_way_up_counts_on_what_the_rules_give_not_on_a_contradicted_promise(api, tenant, partner_user):
    strong_unwilling = PartnerFactory(
        tenant=tenant, stage="signed", computed_tier="C", tier_axes={"rule": "SLS"}
    )
    TierBenefitFactory(
        tenant=tenant,
        tier="A",
        kind="lead_priority",
        value=Decimal("5"),
        description="First choice of the leads",
    )
    TierBenefitFactory(
        tenant=tenant,
        tier="A",
        kind="event_seats",
        value=Decimal("4"),
        description="Four seats at the partner summit",
        position=1,
    )
    LeadRuleFactory(tenant=tenant, name="Key accounts", tier_weights={"A": 2})

    body = api(partner_user(tenant, partner=strong_unwilling)).get(f"{BASE}/me/programme/").json()

    assert body["next_tier"] == "A"
    assert [(b["description"], b["kept"]) for b in body["adds"]] == [
        ("First choice of the leads", "contradicted"),
        ("Four seats at the partner summit", "not_automatic"),
    ]
    assert "Tier A adds: a lead weight of 2; Four seats at the partner summit." in body["sentence"]


def test_the_demo_keeps_every_promise_it_makes():

    call_command("seed_demo", verbosity=0)

    for tenant in Tenant.objects.filter(slug__in=["acme", "globex"]):
        with tenant_context(tenant):
            kept = {(b.tier, b.kind): b.kept for b in with_keeping(tenant, benefit_list(tenant=tenant))}
        assert not [key for key, k in kept.items() if k.contradicted], tenant.slug
        assert kept[("B", "mdf_share")].automatic and kept[("A", "mdf_share")].automatic
        assert kept[("B", "mdf_share")].use.name == "Co-marketing MDF"
        assert not any(k.automatic for (_tier, kind), k in kept.items() if kind == "margin_points")
