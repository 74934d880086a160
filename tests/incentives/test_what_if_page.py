"""The what-if page starts from the rule it compares with: choosing that rule fills the form with its
settings, and the run compares the changed rule with what that rule paid."""

import re
from decimal import Decimal

import pytest

from prm.tenancy.choices import Role
from tests.factories import IncentiveRuleFactory, PartnerFactory, SaleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commission(tenant):
    return IncentiveRuleFactory(
        tenant=tenant,
        name="Base commission",
        kind="commission",
        params={"rate": "5", "tier_multipliers": {"A": "1.5"}, "cap": "900"},
    )


def value_of(html: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    found = match and re.search(r'value="([^"]*)"', match[0])
    return found[1] if found else None


def test_the_rule_to_compare_with_is_chosen_where_its_settings_are_filled_in(web, tenant, member, commission):
    client = web(member(tenant, Role.CHANNEL_MANAGER))

    # the choice is a form of its own, read without saving anything
    html = client.get("/t/alpha/incentives/what-if/").content.decode()
    start = re.search(r'<form method="get"[^>]*data-testid="what-if-start".*?</form>', html, re.S)[0]
    assert f'<option value="{commission.pk}">Base commission</option>' in start
    assert 'name="compare_with"' not in html

    # choosing it fills the rule's settings in and keeps it as what the run compares with
    html = client.get(f"/t/alpha/incentives/what-if/?rule={commission.pk}&period=2026-Q3").content.decode()
    assert (value_of(html, "name"), value_of(html, "rate"), value_of(html, "multiplier_A")) == (
        "Base commission",
        "5",
        "1.5",
    )
    assert value_of(html, "cap") == "900"
    assert f'<input type="hidden" name="compare_with" value="{commission.pk}">' in html
    assert value_of(html, "period") == "2026-Q3"


def test_the_run_compares_the_changed_rule_with_the_chosen_one(web, tenant, member, commission):
    partner = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed")
    SaleFactory(tenant=tenant, partner=partner, date="2026-08-03", amount=Decimal("10000.00"), currency="EUR")
    client = web(member(tenant, Role.CHANNEL_MANAGER))

    response = client.post(
        f"/t/alpha/incentives/what-if/?rule={commission.pk}",
        {
            "period": "2026-Q3",
            "compare_with": commission.pk,
            "name": "Base commission",
            "kind": "commission",
            "rate": "8",
            "active": "on",
        },
    )

    result = response.content.decode().split('data-testid="what-if-result"')[1]
    assert response.status_code == 200
    assert "800.00" in result  # 8 % of 10 000 would cost 800.00 (nothing was paid: no run)
