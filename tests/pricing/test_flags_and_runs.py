"""Price breaches: sales below the tier's minimum and deals below the tier's band are flagged at the
boundaries, by currency and validity; the payout run warns of them and, where the programme says so,
leaves them out; the partner's health and page show them."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from incentives import run_warnings
from incentives.models import PayoutLine
from partners.health.compute import health_signals
from partners.programme.settings import programme_for, programme_save
from pricing.flags import breaches, deals_below_band, sales_below_minimum
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import DealRegistrationFactory, TierTermsFactory
from tests.incentives.test_runs import commission, compute, sell, signed, warnings_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms(tenant):
    """RX-200 at 1000 EUR from 2026-01-01 to 2026-12-31: tier B may give 20% off, resell from 700."""
    return TierTermsFactory(
        tenant=tenant,
        price__product="RX-200",
        price__currency="EUR",
        price__valid_from=date(2026, 1, 1),
        price__valid_to=date(2026, 12, 31),
        price__list_price=D("1000.00"),
        tier="B",
        max_discount=D("20"),
        minimum_price=D("700.00"),
    )


def flagged_sales(tenant, **filters):
    with tenant_context(tenant):
        return sorted(s.external_id for s in sales_below_minimum(tenant, **filters))


def test_a_sale_below_the_minimum_unit_price_is_flagged_and_one_on_it_is_not(tenant, terms):
    # given: tier B partner; unit prices 699.99 (below), 700 (on), 350 each of 2 (below)
    partner = signed(tenant, "Nordwind")
    sell(partner, "699.99", product="RX-200", external_id="below")
    sell(partner, "700.00", product="RX-200", external_id="on")
    sell(partner, "1400.00", product="RX-200", quantity=D("2"), external_id="two-on")
    sell(partner, "1399.98", product="RX-200", quantity=D("2"), external_id="two-below")
    sell(partner, "-500.00", product="RX-200", external_id="return")  # a return carries no unit price

    # then
    assert flagged_sales(tenant) == ["below", "two-below"]
    with tenant_context(tenant):
        assert sales_below_minimum(tenant).first().minimum_price == D("700.00")


def test_currency_validity_product_and_tier_decide_which_terms_apply(tenant, terms):
    # given
    b, a, untiered = (
        signed(tenant, "B"),
        signed(tenant, "A", computed_tier="A"),
        signed(tenant, "X", computed_tier=""),
    )
    sell(b, "100", product="RX-200", currency="USD", external_id="other-currency")
    sell(b, "100", product="RX-200", day=date(2025, 12, 31), external_id="before-validity")
    sell(b, "100", product="RX-200", day=date(2027, 1, 1), external_id="after-validity")
    sell(b, "100", product="RX-100", external_id="other-product")
    sell(a, "100", product="RX-200", external_id="tier-without-terms")
    sell(untiered, "100", product="RX-200", external_id="no-tier")
    sell(b, "100", product="RX-200", day=date(2026, 12, 31), external_id="last-valid-day")
    overridden = signed(tenant, "Overridden", computed_tier="A", tier_override="B")
    sell(overridden, "100", product="RX-200", external_id="override-in-force")

    # then
    assert flagged_sales(tenant) == ["last-valid-day", "override-in-force"]


def test_a_deal_below_the_band_is_flagged_and_one_on_its_floor_is_not(tenant, terms):
    # given: the band's floor is 1000 less 20% = 800
    partner = signed(tenant, "Nordwind")
    on_day = timezone.make_aware(timezone.datetime(2026, 8, 15, 12))
    deal = {"tenant": tenant, "partner": partner, "product": "RX-200", "registered_at": on_day}
    below = DealRegistrationFactory(**deal, expected_amount=D("799.99"), customer="Below")
    DealRegistrationFactory(**deal, expected_amount=D("800.00"), customer="On the floor")
    DealRegistrationFactory(**deal, expected_amount=D("100"), currency="USD", customer="Dollars")
    DealRegistrationFactory(**deal, expected_amount=D("100"), status="rejected", customer="Rejected")
    DealRegistrationFactory(
        **{**deal, "registered_at": on_day.replace(year=2025)}, expected_amount=D("100"), customer="Before"
    )

    # then
    with tenant_context(tenant):
        found = list(deals_below_band(tenant))
    assert [d.pk for d in found] == [below.pk]
    assert (found[0].list_price, found[0].max_discount) == (D("1000.00"), D("20.00"))


def test_the_run_warns_of_sales_below_the_minimum_and_they_earn_by_default(tenant, terms):
    # given
    commission(tenant, "10")
    partner = signed(tenant, "Nordwind Systems")
    sell(partner, "1000", product="RX-200")
    cheap = sell(partner, "500", product="RX-200")

    # when
    run = compute(tenant)

    # then
    warnings = [w for w in warnings_of(run) if w["code"] == "below_minimum_price"]
    assert warnings == [
        {
            "code": "below_minimum_price",
            "partner": partner.pk,
            "params": {"partner": "Nordwind Systems", "n": 1, "excluded": False, "products": "RX-200"},
            "sales": [cheap.pk],
            "sales_count": 1,
        }
    ]
    assert run_warnings.message({"code": "below_minimum_price", **warnings[0]}) == (
        "Nordwind Systems: 1 sale below its tier's minimum resale price (RX-200); the programme lets it "
        "earn incentives."
    )
    line = PayoutLine.objects.for_tenant(tenant).get(run=run, partner=partner)
    assert line.amount == D("150.00")
    assert "below_minimum_price" in run_warnings.unacknowledged(run)


def test_when_the_programme_says_so_the_run_leaves_such_sales_out_and_says_so(tenant, terms, member):
    # given
    admin = member(tenant, Role.ADMIN)
    with tenant_context(tenant):
        programme_save(tenant=tenant, actor=admin, values={"below_minimum_earns": False})
    tenant.refresh_from_db()
    commission(tenant, "10")
    partner = signed(tenant, "Nordwind Systems")
    sell(partner, "1000", product="RX-200")
    sell(partner, "500", product="RX-200")

    # when
    run = compute(tenant)

    # then: only the sale at the list price earns
    line = PayoutLine.objects.for_tenant(tenant).get(run=run, partner=partner)
    assert line.amount == D("100.00")
    (group,) = [g for g in run_warnings.groups(run) if g["code"] == "below_minimum_price"]
    assert group["label"] == "Sales below the tier's minimum resale price"
    assert group["sample"] == [
        "Nordwind Systems: 1 sale below its tier's minimum resale price (RX-200), left out of this run: "
        "it earns no incentives."
    ]


def test_a_breach_is_a_health_signal_within_the_programme_window(tenant, terms):
    # given: a sale below the minimum 10 days ago and a deal below the band 200 days ago
    partner = signed(tenant, "Nordwind")
    today = timezone.localdate()
    terms.price.valid_from, terms.price.valid_to = today - timedelta(days=400), None
    terms.price.save()
    sell(partner, "100", product="RX-200", day=today - timedelta(days=10))
    DealRegistrationFactory(
        tenant=tenant,
        partner=partner,
        product="RX-200",
        expected_amount=D("100"),
        registered_at=timezone.now() - timedelta(days=200),
    )

    # then
    with tenant_context(tenant):
        assert breaches(tenant, timezone.now()) == {partner.pk: {"sales": 1, "deals": 0, "days": 90}}
        signals = health_signals(tenant=tenant, now=timezone.now(), programme=programme_for(tenant))
    assert {"code": "price_breach", "params": {"sales": 1, "deals": 0, "days": 90}} in signals[partner.pk]
