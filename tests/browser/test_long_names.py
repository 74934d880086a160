"""Long names (a German compound without a space, an Italian company's full style) wrap inside
their cards and tables, on a wide screen and on a phone: no page scrolls sideways, no card's text
runs past its edge, and a board card that shortens a name shows the whole of it as its title."""

from decimal import Decimal

import pytest

from prm.tenancy.choices import Role
from tests.factories import DealRegistrationFactory, PartnerFactory, SaleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPOUND = "Nordwindsystemautomatisierungsundrobotikvertriebsgesellschaftmitbeschraenkterhaftung"
STYLED = (
    "Società Cooperativa Europea per l'Automazione Industriale e la Robotica Collaborativa "
    "di Precisione S.p.A."
)

#: what sticks out: the page scrolls sideways, or an element ends past the box that holds it
#: (a board card past its column, a heading or a card's cell past its card); a table wider than its
#: card scrolls in the card, which is allowed
STICKS_OUT = """
() => {
  const out = [];
  if (document.documentElement.scrollWidth > window.innerWidth) {
    out.push(`page ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
  }
  const inside = (el, box) => el.getBoundingClientRect().right <= box.getBoundingClientRect().right + 1;
  document.querySelectorAll(".board-card").forEach((card) => {
    card.querySelectorAll("*").forEach((el) => {
      if (!inside(el, card)) out.push(`board card: ${el.tagName} ${el.textContent.slice(0, 30)}`);
    });
  });
  document.querySelectorAll("main h1, .card h2, .card td.name").forEach((el) => {
    if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.tagName}: ${el.textContent.slice(0, 30)}`);
  });
  return out;
}
"""


@pytest.mark.parametrize("width", [1440, 390])
def test_long_names_wrap_inside_their_boxes(page, login, tenant, member, width):
    # given partners with long names, a deal and a sale naming them
    ada = member(tenant, Role.ADMIN, username="ada")
    compound = PartnerFactory(tenant=tenant, name=COMPOUND, stage="first_talks", owner=ada)
    styled = PartnerFactory(tenant=tenant, name=STYLED, stage="signed", owner=ada)
    DealRegistrationFactory(tenant=tenant, partner=compound, customer=COMPOUND)
    SaleFactory(
        tenant=tenant,
        partner=styled,
        date="2026-08-03",
        amount=Decimal("100.00"),
        currency="EUR",
        customer=STYLED,
    )
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "ada")

    # when the pages that name them are read, then nothing sticks out
    for path in (
        "/t/alpha/",
        "/t/alpha/pipeline/",
        "/t/alpha/partners/",
        f"/t/alpha/partners/{compound.pk}/",
        f"/t/alpha/partners/{styled.pk}/",
        "/t/alpha/deals/",
        "/t/alpha/sales/",
    ):
        page.goto(path)
        assert page.evaluate(STICKS_OUT) == [], path

    # and a board card that shortens a name keeps the whole name as its title
    page.goto("/t/alpha/pipeline/")
    link = page.locator(f"[data-testid=card-{compound.pk}] a.clamp")
    assert link.get_attribute("title") == COMPOUND
