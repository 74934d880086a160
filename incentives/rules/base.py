"""What every rule kind works with."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.utils.translation import get_language, gettext


@dataclass(frozen=True, slots=True)
class SaleFact:
    id: int
    external_id: str
    date: object
    product: str
    quantity: Decimal
    amount: Decimal  # in the sale's currency
    currency: str
    rate: Decimal  # to the tenant's currency, of the sale date
    customer: str

    @property
    def home_amount(self) -> Decimal:
        return self.amount * self.rate


@dataclass
class PartnerFacts:
    """One partner's facts for a period, loaded set-based for every partner at once."""

    partner_id: int
    name: str
    stage: str
    tier: str
    region: str
    sales: list[SaleFact] = field(default_factory=list)
    scorecard: dict | None = None  # {"id", "score", "lines": {code: attainment}}
    first_sale_in_period: bool = False
    certified_in_period: bool = False
    won_deals: list[dict] = field(default_factory=list)  # [{"id", "customer", "customer_key", "amount"}]
    last_period_revenue: Decimal = Decimal(0)
    approved_claims: list[dict] = field(default_factory=list)  # [{"id", "amount", "request"}]
    benefits: dict = field(default_factory=dict)  # the tier's benefit values {kind: Decimal}


@dataclass(frozen=True)
class RunContext:
    period: object  # prm.periods.Period
    currency: str


@dataclass
class Draft:
    amount: Decimal  # full precision; rounded once when it becomes a line
    explanation: str
    source: dict
    points: int = 0


def sales_for(rule, facts: PartnerFacts) -> list[SaleFact]:
    """The partner's sales this rule looks at: its products and date window."""
    sales = facts.sales
    if rule.products:
        sales = [s for s in sales if s.product in rule.products]
    if rule.valid_from:
        sales = [s for s in sales if s.date >= rule.valid_from]
    if rule.valid_to:
        sales = [s for s in sales if s.date <= rule.valid_to]
    return sales


def eligible(rule, facts: PartnerFacts, context: RunContext) -> bool:
    """Tier, stage and region eligibility, and a validity window that meets the period."""
    if rule.tiers and facts.tier not in rule.tiers:
        return False
    if rule.stages and facts.stage not in rule.stages:
        return False
    if rule.regions and facts.region not in rule.regions:
        return False
    if rule.valid_from and rule.valid_from > context.period.end:
        return False
    if rule.valid_to and rule.valid_to < context.period.start:
        return False
    return True


def volume(sales: list[SaleFact]) -> Decimal:
    """Net volume in the tenant's currency: returns (negative amounts) claw back."""
    return sum((s.home_amount for s in sales), Decimal(0))


def sale_source(sales: list[SaleFact]) -> dict:
    rates = {f"{s.currency}@{s.date}": str(s.rate) for s in sales if s.rate != 1}
    return {"sales": [s.id for s in sales], "external_ids": [s.external_id for s in sales], "rates": rates}


@lru_cache(maxsize=1024)
def _translated(message: str, language: str | None) -> str:
    return gettext(message)


def line_gettext(message: str) -> str:
    """``gettext`` for the words of a line, said once per partner and rule of a run: each message
    looked up once per language (a run over 100 000 partners spent 6 s in the catalogue otherwise)."""
    return _translated(message, get_language())
