"""Journey: a channel manager creates a loyalty rule through the rule form, which shows the fields
of the chosen kind only, and reads it in words in the rule list."""

import pytest

from incentives.models import IncentiveRule
from prm.tenancy.choices import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_creates_a_rule_for_four_quarters_at_tier_b_or_above(page, login, tenant, member):
    # given
    member(tenant, Role.CHANNEL_MANAGER, username="maria")
    login(page, "maria")

    # when she chooses the loyalty kind, only its fields show
    page.goto("/t/alpha/incentives/rules/new/")
    page.select_option("#id_kind", "loyalty_tier")
    assert page.locator("#id_loyalty_tier").is_visible()
    assert page.locator("#id_periods").is_visible()
    assert not page.locator("#id_years").is_visible()
    assert not page.locator("#id_per_amount").is_visible()
    page.fill("#id_name", "Four good quarters")
    page.select_option("#id_loyalty_tier", "B")
    page.fill("#id_periods", "4")
    page.fill("#id_amount", "500")
    page.click("[data-testid=rule-form] button[type=submit]")
    page.wait_for_load_state("networkidle")

    # then the rule is kept and the list says what it pays
    rule = IncentiveRule.objects.for_tenant(tenant).get(name="Four good quarters")
    assert (rule.kind, rule.params) == ("loyalty_tier", {"tier": "B", "periods": 4, "amount": "500"})
    page.goto("/t/alpha/incentives/rules/")
    assert "for each 4 consecutive periods at tier B or above" in page.content()
