"""What-if in Chromium: choosing the rule to compare with fills the form with its settings."""

import pytest

from prm.tenancy.choices import Role
from tests.factories import IncentiveRuleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_the_rule_to_compare_fills_in_its_settings(page, login, tenant, member):
    # given a 5 % commission with a cap
    member(tenant, Role.CHANNEL_MANAGER, username="carla")
    rule = IncentiveRuleFactory(
        tenant=tenant, name="Base commission", kind="commission", params={"rate": "5", "cap": "900"}
    )
    login(page, "carla")
    page.goto("/t/alpha/incentives/what-if/")
    assert page.input_value("input[name=rate]") == ""

    # when carla chooses it as the rule to compare with
    page.select_option("#what-if-rule", str(rule.pk))
    page.wait_for_url(f"**/incentives/what-if/?rule={rule.pk}*")

    # then its settings are in the form, ready to be changed, and the run compares with it
    assert page.input_value("input[name=name]") == "Base commission"
    assert page.input_value("input[name=rate]") == "5"
    assert page.input_value("input[name=cap]") == "900"
    assert page.locator("input[name=compare_with]").get_attribute("value") == str(rule.pk)
