"""The demo's price list and its two breaches: a sale below the minimum in last month's period,
flagged in that period's payout run, and a deal registered below the band."""

import datetime

import pytest
from django.utils import timezone

from incentives import run_warnings
from incentives.services.runs import payout_run_compute
from pricing import demo
from pricing.flags import deals_below_band, sales_below_minimum
from pricing.models import ListPrice
from prm.periods import period_containing
from prm.tenancy.context import tenant_context
from tests.factories import IncentiveRuleFactory, PartnerFactory, PartnerUserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_flags_one_sale_in_the_run_and_one_deal(tenant):
    # given: the demo partner user's company, signed with a tier, and a commission
    partner = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed", computed_tier="B")
    partner.created_at = timezone.now() - datetime.timedelta(days=400)
    partner.save(update_fields=["created_at"])
    PartnerUserFactory(tenant=tenant, partner=partner, membership__user__username="alpha-partner")
    IncentiveRuleFactory(tenant=tenant, kind="commission", params={"rate": "5"})

    # when
    with tenant_context(tenant):
        demo.seed(tenant)
        demo.seed(tenant)  # idempotent
        run = payout_run_compute(
            tenant=tenant, period=period_containing(timezone.localdate()).previous().code
        )

        # then
        assert (
            ListPrice.objects.for_tenant(tenant).count() == 2
        )  # (alpha has no demo products: one, in two currencies)
        assert [s.partner_id for s in sales_below_minimum(tenant)] == [partner.pk]
        assert [d.partner_id for d in deals_below_band(tenant)] == [partner.pk]
    (group,) = [g for g in run_warnings.groups(run) if g["code"] == "below_minimum_price"]
    assert group["count"] == 1 and group["sample"][0].startswith("Nordwind Systems: 1 sale below")
