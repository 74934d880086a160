"""The tiers page at the widths people use (1366–1440 px, and a phone): the A–D rule table is read
whole, its "Tier" column included, without scrolling its card sideways."""

import pytest

from prm.tenancy.choices import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: what sticks out of the rule table's card: the card scrolls sideways, or a cell (the Tier
#: column's first) ends past the card's inner edge
CLIPPED = """
() => {
  const table = document.querySelector("[data-testid=tier-rule]");
  const card = table.closest(".card");
  const inner = card.getBoundingClientRect().right - parseFloat(getComputedStyle(card).paddingRight);
  const problems = [];
  if (card.scrollWidth > card.clientWidth) problems.push(`card scrolls: ${card.scrollWidth} > ${card.clientWidth}`);
  table.querySelectorAll("tr > *").forEach((cell) => {
    const right = cell.getBoundingClientRect().right;
    if (right > inner + 0.5) problems.push(`${cell.innerText.trim()} ends at ${right} past ${inner}`);
  });
  if (document.documentElement.scrollWidth > window.innerWidth) problems.push("the page scrolls sideways");
  return problems;
}
"""


@pytest.mark.parametrize("width", [1366, 1400, 1440, 390])
def test_the_rule_table_shows_its_tier_column_whole(page, login, tenant, member, width):
    # given a tenant that changed a row of the table (the row carries a badge, the widest case)
    tenant.programme_settings = {"partners": {"tier_table": {"WLS": "A"}}}
    tenant.save()
    member(tenant, Role.ADMIN, username="ada")
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "ada")

    # when the tiers page is read
    page.goto("/t/alpha/tiers/")

    # then every row's tier is inside the card, and nothing scrolls sideways
    header = page.locator("[data-testid=tier-rule] thead th").first
    assert header.inner_text().strip().lower() == "tier"
    assert page.evaluate(CLIPPED) == []
    # and on a screen wide enough for the menu, no Menu button stands for it
    assert page.locator(".nav-toggle").is_visible() == (width <= 900)
