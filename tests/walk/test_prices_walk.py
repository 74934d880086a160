"""The programme's random walk with price discipline in it: managers import the price list (a valid
file, or one that must be refused whole), the admin says whether sales below the tier's minimum
resale price earn incentives (``below_minimum_earns``), sales are booked below, on and above the
minimum, and the runs are computed and approved by the programme walk's own steps; anyone may try.
Each walk starts from a price list imported through the API, such sales earning or not. After every step, besides the
programme's invariants (``invariants.prices`` among them: such a sale is never paid by a run computed
while it earns nothing, and every one is in its run's warning; a partner user reads its own tier's
terms only; a refused import changes nothing). A shorter budget than the programme's own walk."""

from __future__ import annotations

import io
import os

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule

from incentives.models import PayoutRun
from prm.tenancy.capabilities import Capability as C
from prm.tenancy.capabilities import allows

from .price_discipline import below_minimum, below_minimum_earns
from .test_programme_walk import PERIOD, SIGNED, ProgrammeWalk, mostly, walk
from .test_programme_walk import walk_world as walk_world  # (the same world, as a fixture here)
from .world import PERIODS

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("WALK_PRICE_EXAMPLES", "10"))
STEPS = int(os.environ.get("WALK_STEPS", "20"))

HEADER = "product,currency,valid_from,valid_to,list_price,tier,max_discount,minimum_price\n"


def price_file(valid_to: str, list_price: str, minimums: dict[str, str], start: str = "2026-01-01") -> str:
    return "".join(
        f"RX-200,EUR,{start},{valid_to},{list_price},{tier},20,{minimum}\n"
        for tier, minimum in minimums.items()
    )


BASE = HEADER + price_file("", "1000.00", {"A": "650.00", "B": "700.00", "C": "750.00", "D": "800.00"})
VALID = {
    "base": BASE,
    "raised": HEADER
    + price_file("", "1100.00", {"A": "720.00", "B": "800.00", "C": "850.00", "D": "900.00"}),
    # the year cut at the summer: the first half's price closes, the second half's minimum is higher
    "split": HEADER
    + price_file("2026-06-30", "1000.00", {"B": "700.00"})
    + price_file("", "1100.00", {"B": "900.00"}, start="2026-07-01"),
}
#: files refused whole, whatever is stored: one bad row among good ones writes nothing
INVALID = {
    "bad day": HEADER + "RX-200,EUR,2026-13-01,,1000.00,B,20,700.00\n",
    "unknown tier": BASE + "RX-200,EUR,2026-01-01,,1000.00,E,20,700.00\n",
    "two list prices": BASE + "RX-200,EUR,2026-01-01,,900.00,A,20,600.00\n",
    "overlapping": HEADER
    + price_file("", "1000.00", {"B": "500.00"})
    + price_file("", "1000.00", {"B": "500.00"}, start="2026-03-01"),
    "negative minimum": HEADER + "RX-200,EUR,2026-01-01,,1000.00,B,20,-1\n",
}
AMOUNTS = st.sampled_from(["649.99", "699.99", "700.00", "799.99", "800.00", "899.99", "1399.98", "1600.00"])


def upload(text: str) -> dict:
    file = io.BytesIO(text.encode())
    file.name = "prices.csv"
    return {"file": file}


class PriceWalk(ProgrammeWalk):
    def __init__(self):
        super().__init__()
        self.priced_sales = 0

    @initialize(earns=st.booleans())
    def start_from_a_price_list(self, earns):
        """Each walk starts from the price list imported, sales below the minimum earning or not."""
        imported = self.act(
            "manager", C.MANAGE_PRICES, "post", "prices/import/", upload(BASE), fmt="multipart"
        )
        assert imported.status_code == 200, imported.content
        self.say_whether_below_minimum_earns("admin", earns)

    def act(self, who, capability, method, path, data=None, fmt="json"):
        """The step, and each run it (re)computed noted with what it met: whether sales below the
        minimum earned, and which of the period's sales were below it."""
        response = super().act(who, capability, method, path, data, fmt)
        for run in PayoutRun.objects.for_tenant(self.w.tenant).only("period", "computed_at"):
            noted = self.record.priced.get(run.pk)
            if run.computed_at and run.period in PERIODS and (noted is None or noted[0] != run.computed_at):
                self.record.priced[run.pk] = (
                    run.computed_at,
                    below_minimum_earns(self.w),
                    below_minimum(self.w, *PERIODS[run.period]),
                )
        return response

    @rule(who=mostly("manager", "admin"), name=st.sampled_from(sorted(VALID)))
    def import_prices(self, who, name):
        """A valid file: written (or refused whole where its validities overlap those stored)."""
        path = self._path(who, "prices/import/")
        response = self.act(who, C.MANAGE_PRICES, "post", path, upload(VALID[name]), fmt="multipart")
        if response.status_code == 200:
            assert set(response.json()) == {"created", "unchanged"}

    @rule(who=mostly("manager", "admin"), name=st.sampled_from(sorted(INVALID)))
    def import_broken_prices(self, who, name):
        """A file with a bad row: refused, by row and field, and the price list stays as it was."""
        path = self._path(who, "prices/import/")
        response = self.act(who, C.MANAGE_PRICES, "post", path, upload(INVALID[name]), fmt="multipart")
        actor = self.w.actor(who)
        if actor.tenant_slug == self.w.tenant.slug and allows(actor.role, C.MANAGE_PRICES):
            assert response.status_code == 400, f"the {name} file answered {response.status_code}"
        assert response.status_code >= 400, f"the {name} file was taken"

    @rule(who=mostly("admin"), earns=st.booleans())
    def say_whether_below_minimum_earns(self, who, earns):
        before = below_minimum_earns(self.w)
        path = self._path(who, "programme/")
        response = self.act(who, C.EDIT_PROGRAMME, "patch", path, {"below_minimum_earns": earns})
        expected = earns if response.status_code == 200 else before
        assert below_minimum_earns(self.w) is expected, (
            f"{who}: below_minimum_earns after {response.status_code}"
        )

    @rule(
        who=mostly("manager", "admin"),
        partner=SIGNED,
        period=PERIOD,
        amount=AMOUNTS,
        quantity=st.sampled_from(["1", "2"]),
    )
    def book_priced_sale(self, who, partner, period, amount, quantity):
        """A sale of the priced product, below, on or above its tier's minimum."""
        self.priced_sales += 1
        body = {
            "external_id": f"P-{self.record.step}-{self.priced_sales}",
            "partner": self.partner_id(partner),
            "date": PERIODS[period][0][:8] + "20",
            "product": "RX-200",
            "quantity": quantity,
            "amount": amount,
            "currency": "EUR",
            "customer": "Acme Robotics",
        }
        self.act(who, C.RECORD_SALES, "post", self._path(who, "sales/"), body)

    @rule(
        who=mostly("admin"),
        seller=st.sampled_from(["manager", "admin"]),
        payer=st.sampled_from(["finance", "finance2", "admin"]),
        earns=st.booleans(),
        partner=SIGNED,
        period=PERIOD,
        amount=st.sampled_from(["649.99", "699.99", "799.99", "1600.00"]),
    )
    def price_a_quarter(self, who, seller, payer, earns, partner, period, amount):
        """The usual path, in one step: the programme says whether such sales earn, a sale is
        booked near the minimum, and the period's run is computed."""
        self.say_whether_below_minimum_earns(who, earns)
        self.book_priced_sale(seller, partner, period, amount, "1")
        self.compute_run(payer, period)


def test_prices_walk_with_the_programme_and_hold(walk_world, django_capture_on_commit_callbacks):
    PriceWalk.world = walk_world
    PriceWalk.capture = staticmethod(django_capture_on_commit_callbacks)
    walk(PriceWalk, examples=EXAMPLES, steps=STEPS)
