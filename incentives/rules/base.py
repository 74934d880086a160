"""What every rule kind works with."""

from __future__ import annotations

import json
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.utils.translation import get_language, gettext, ngettext


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


class Selection:
    """The sales of one partner that a rule looks at: how many, their net volume in the tenant's
    currency, their units (returns negative), and the source a line keeps of them (sale ids, external
    ids and the rates that converted them).

    A run counts and sums each selection in SQL and receives its source as JSON text, parsed only
    when something reads it (``incentives.facts``); ``Selection.of`` does the same from a list of
    ``SaleFact`` (the rule kinds' own tests, and ``tests/incentives/test_selections.py``, which
    holds the two to the same answers).
    """

    __slots__ = ("count", "volume", "units", "_sales", "_json")

    def __init__(
        self, count: int, volume: Decimal, units: Decimal, source_json: str | None = None, sales=None
    ):
        self.count, self.volume, self.units = count, volume, units
        self._json, self._sales = source_json, sales

    @classmethod
    def of(cls, sales: list[SaleFact]) -> Selection:
        units = sum((abs(s.quantity) if s.amount >= 0 else -abs(s.quantity) for s in sales), Decimal(0))
        return cls(len(sales), volume(sales), units, sales=sales)

    @property
    def source(self) -> dict:
        """``{"sales": [ids], "external_ids": [...], "rates": {"USD@2026-08-03": "0.9"}}`` in date order."""
        return json.loads(self._json) if self._json is not None else sale_source(self._sales)

    @property
    def source_json(self) -> str:
        return self._json if self._json is not None else json.dumps(sale_source(self._sales))

    @property
    def ids(self) -> list[int]:
        return self.source["sales"]


#: What a rule selects of a partner's sales: (products, from, to, one product); ``ALL``: every sale.
ALL: tuple = ((), None, None, None)


def criteria(rule) -> tuple:
    """The selection ``rule`` looks at (rules that select alike share one)."""
    product = rule.params.get("product") if rule.kind == "spif" else None
    return (tuple(sorted(rule.products or ())), _day(rule.valid_from), _day(rule.valid_to), product)


def _day(value) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


@dataclass
class PartnerFacts:
    """One partner's facts for a period, loaded set-based for every partner at once.

    Its sales come as ``selections`` (what each rule's criteria select, counted and summed in SQL)
    or, in tests of the rule kinds, as the list of ``sales``.
    """

    partner_id: int
    name: str
    stage: str
    tier: str
    region: str
    sales: list[SaleFact] = field(default_factory=list)
    scorecard: dict | None = None  # {"id", "revision", "score", "lines": {code: attainment}}
    first_sale_in_period: bool = False
    certified_in_period: bool = False
    won_deals: list[dict] = field(default_factory=list)  # [{"id", "customer", "customer_key", "amount"}]
    last_period_revenue: Decimal = Decimal(0)
    approved_claims: list[dict] = field(default_factory=list)  # [{"id", "amount", "request", "rule": key}]
    benefits: dict = field(default_factory=dict)  # the tier's benefit values {kind: Decimal}
    selections: dict | None = None  # {criteria: Selection}, when loaded in SQL
    tier_history: list = field(default_factory=list)  # [(period code, tier or "")], newest first
    partner_since: object = None  # the date the partnership began (first signed/certified, else created)
    earlier_revenue: list = field(default_factory=list)  # previous periods' revenue, newest first


@dataclass(frozen=True)
class RunContext:
    period: object  # prm.periods.Period
    currency: str


@dataclass
class Draft:
    amount: Decimal  # full precision; rounded once when it becomes a line
    explanation: str
    details: dict  # what the line's source says besides the sales it pays on
    points: int = 0
    sales: Selection | None = None

    @property
    def source(self) -> dict:
        """What the line keeps of why it pays: its sales (ids, external ids, rates) and ``details``."""
        return {**self.sales.source, **self.details} if self.sales is not None else self.details


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


def selection(rule, facts: PartnerFacts) -> Selection:
    """The partner's sales ``rule`` looks at: its products, date window and (a SPIF) product."""
    return select(criteria(rule), facts, lambda: sales_for(rule, facts))


def all_sales(facts: PartnerFacts) -> Selection:
    """Every sale of the partner in the period."""
    return select(ALL, facts, lambda: facts.sales)


def select(key: tuple, facts: PartnerFacts, sales) -> Selection:
    if facts.selections is not None:
        return facts.selections.get(key) or NOTHING
    product = key[3]
    return Selection.of([s for s in sales() if s.product == product] if product is not None else sales())


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
    """The source a line keeps of ``sales``: their ids, external ids and the rates that converted them."""
    rates = {f"{s.currency}@{s.date}": str(s.rate) for s in sales if s.rate != 1}
    return {"sales": [s.id for s in sales], "external_ids": [s.external_id for s in sales], "rates": rates}


NOTHING = Selection(0, Decimal(0), Decimal(0), sales=[])


@lru_cache(maxsize=1024)
def _translated(message: str, language: str | None) -> str:
    return gettext(message)


_language: ContextVar[str | None] = ContextVar("line_language", default=None)


@contextmanager
def lines_in_active_language():
    """Evaluate many rules in the language active now, asked once (``get_language`` itself cost a
    run over 100 000 partners 5 s)."""
    token = _language.set(get_language())
    try:
        yield
    finally:
        _language.reset(token)


def line_gettext(message: str) -> str:
    """``gettext`` for the words of a line, said once per partner and rule of a run: each message
    looked up once per language (a run over 100 000 partners spent 6 s in the catalogue otherwise)."""
    return _translated(message, _language.get() or get_language())


@lru_cache(maxsize=1024)
def _translated_plural(singular: str, plural: str, n: int, language: str | None) -> str:
    return ngettext(singular, plural, n)


def line_ngettext(singular: str, plural: str, n: int) -> str:
    """``ngettext`` for the words of a line, looked up once per language and number (as ``line_gettext``)."""
    return _translated_plural(singular, plural, n, _language.get() or get_language())
