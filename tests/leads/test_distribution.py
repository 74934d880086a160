"""Leads offered to partners by the tenant's rules, answered within the SLA, converted into deals."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from leads.models import Lead, LeadOffer
from leads.selectors import leads_accepted_kpi, leads_willingness
from leads.services.distribution import (
    lead_accept,
    lead_convert,
    lead_create,
    lead_decline,
    lead_route,
    leads_expire,
)
from partners.models import DealRegistration
from partners.selectors import deal_conflicts
from prm.periods import parse_period
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import DealRegistrationFactory, LeadRuleFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


@pytest.fixture
def rule(tenant):
    return LeadRuleFactory(tenant=tenant, name="Everyone", respond_within_hours=24, max_open=2)


def seller(tenant, name, tier="B", region="North", stage="signed", **kwargs):
    return PartnerFactory(tenant=tenant, name=name, computed_tier=tier, region=region, stage=stage, **kwargs)


def enter(tenant, manager, customer="Initech", region="North", **kwargs):
    with tenant_context(tenant):
        return lead_create(tenant=tenant, actor=manager, customer=customer, region=region, **kwargs)


def test_a_lead_goes_to_the_highest_tier_weight_among_partners_that_sell_in_its_region(tenant, manager, rule):
    seller(tenant, "B North", tier="B")
    best = seller(tenant, "A North", tier="A")
    seller(tenant, "A South", tier="A", region="South")
    seller(tenant, "A prospect", tier="A", stage="first_talks")

    lead = enter(tenant, manager)

    assert (lead.status, lead.partner, lead.rule) == ("offered", best, rule)
    assert lead.respond_by - lead.offered_at == timedelta(hours=24)
    assert LeadOffer.objects.for_tenant(tenant).get(lead=lead).partner == best


def test_equals_take_turns_and_a_partner_at_its_cap_is_skipped(tenant, manager, rule):
    one, two = seller(tenant, "One"), seller(tenant, "Two")

    holders = [enter(tenant, manager, customer=f"C{i}").partner for i in range(5)]

    # round robin between equals; with both at the cap of 2 open leads the fifth waits
    assert holders[:4] == [one, two, one, two]
    assert holders[4] is None
    assert Lead.objects.for_tenant(tenant).get(customer="C4").status == "new"


def test_a_declined_lead_goes_to_the_next_partner_and_when_all_declined_waits_in_the_queue(
    tenant, manager, rule, partner_user
):
    first, second = seller(tenant, "First", tier="A"), seller(tenant, "Second", tier="B")
    lead = enter(tenant, manager)

    with tenant_context(tenant):
        with pytest.raises(ValidationError) as no_reason:
            lead_decline(lead=lead, actor=None, reason=" ")
        lead_decline(lead=lead, actor=None, reason="No capacity this quarter")
        lead.refresh_from_db()
        passed_on = lead.partner
        lead_decline(lead=lead, actor=None, reason="Not our industry")
        lead.refresh_from_db()

    assert "reason" in no_reason.value.message_dict
    assert passed_on == second
    assert (lead.status, lead.partner) == ("declined", None)
    offers = list(LeadOffer.objects.for_tenant(tenant).filter(lead=lead).order_by("id"))
    assert [(o.partner, o.outcome, o.reason) for o in offers] == [
        (first, "declined", "No capacity this quarter"),
        (second, "declined", "Not our industry"),
    ]


def test_an_offer_not_answered_in_time_expires_and_the_lead_moves_on(tenant, manager, rule):
    first, second = seller(tenant, "First", tier="A"), seller(tenant, "Second", tier="B")
    lead = enter(tenant, manager)

    with tenant_context(tenant):
        assert leads_expire(tenant=tenant) == 0  # not yet
        expired = leads_expire(tenant=tenant, now=timezone.now() + timedelta(hours=25))
        lead.refresh_from_db()

    assert expired == 1 and (lead.status, lead.partner) == ("offered", second)
    assert LeadOffer.objects.for_tenant(tenant).get(lead=lead, partner=first).outcome == "expired"


def test_an_offer_past_its_time_cannot_be_accepted_even_before_the_job_expires_it(tenant, manager, rule):
    seller(tenant, "Late", tier="A")
    lead = enter(tenant, manager)
    LeadOffer.objects.for_tenant(tenant).filter(lead=lead).update(
        respond_by=timezone.now() - timedelta(minutes=1)
    )

    with tenant_context(tenant), pytest.raises(ValidationError) as late:
        lead_accept(lead=lead, actor=None)

    assert "passed" in late.value.messages[0]


def test_an_accepted_lead_converts_into_the_partners_deal_registration_with_conflicts_flagged(
    tenant, manager, rule
):
    holder = seller(tenant, "Holder", tier="A")
    rival = seller(tenant, "Rival", tier="D", region="South")
    DealRegistrationFactory(tenant=tenant, partner=rival, customer="Initech AG", customer_key="initech")
    lead = enter(
        tenant,
        manager,
        customer="Initech",
        expected_amount=Decimal("12000"),
        contact_email="it@initech.example",
    )

    with tenant_context(tenant):
        with pytest.raises(ValidationError):  # not accepted yet
            lead_convert(lead=lead, actor=None)
        lead_accept(lead=lead, actor=None)
        deal = lead_convert(lead=lead, actor=None)
        lead.refresh_from_db()

    assert (lead.status, lead.deal) == ("converted", deal)
    assert (deal.partner, deal.customer, deal.expected_amount, deal.self_sourced) == (
        holder,
        "Initech",
        Decimal("12000.00"),
        False,
    )
    assert deal_conflicts(tenant=tenant, deals=[deal])[deal.pk], "another partner's open registration"


def test_a_waiting_lead_is_offered_again_once_a_partner_fits(tenant, manager, rule):
    lead = enter(tenant, manager)  # nobody sells in the North yet
    with tenant_context(tenant):
        with pytest.raises(ValidationError):
            lead_route(lead=lead, actor=manager)
        newcomer = seller(tenant, "Newcomer")
        lead_route(lead=lead, actor=manager)
    lead.refresh_from_db()
    assert (lead.status, lead.partner) == ("offered", newcomer)


def test_a_rule_takes_only_its_regions_and_a_tier_weighted_zero_gets_nothing(tenant, manager):
    LeadRuleFactory(tenant=tenant, name="South only", position=0, regions=["South"])
    LeadRuleFactory(tenant=tenant, name="No D", position=1, tier_weights={"D": 0})
    seller(tenant, "D North", tier="D")

    lead = enter(tenant, manager)

    assert lead.status == "new" and lead.partner is None


def test_leads_feed_willingness_and_the_leads_accepted_kpi(tenant, manager, rule):

    taker = seller(tenant, "Taker", tier="A")
    seller(tenant, "Other", tier="B")
    with tenant_context(tenant):
        lead_accept(lead=enter(tenant, manager, customer="One"), actor=None)
        lead_decline(lead=enter(tenant, manager, customer="Two"), actor=None, reason="Busy")

    since = timezone.now() - timedelta(days=1)
    period = parse_period(f"{timezone.localdate().year}-Q{(timezone.localdate().month - 1) // 3 + 1}")
    assert leads_willingness(tenant, since)[taker.pk] == 50.0
    assert leads_accepted_kpi(tenant, period)[taker.pk] == Decimal("50.0")
    assert DealRegistration.objects.for_tenant(tenant).count() == 0


def test_the_expiry_job_leaves_an_offer_answered_meanwhile(tenant, manager, rule):
    first = seller(tenant, "First", tier="A")
    seller(tenant, "Second", tier="B")
    lead = enter(tenant, manager)
    with tenant_context(tenant):
        lead_accept(lead=lead, actor=None)
        # the job had listed the offer as overdue before the answer; it must not take the lead away
        assert leads_expire(tenant=tenant, now=timezone.now() + timedelta(hours=25)) == 0
    lead.refresh_from_db()
    assert (lead.status, lead.partner) == ("accepted", first)
    assert LeadOffer.objects.for_tenant(tenant).get(lead=lead).outcome == "accepted"
