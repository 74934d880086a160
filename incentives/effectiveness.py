"""Does each incentive pay off: the effectiveness report of a period, per rule (MDF programmes included).

For each rule (across its versions, by its ``key``) and the payout run of the period:

- **cost**: its lines' amounts, *paid* where finance recorded the partner's payment of the run, else
  *accrued* (an approved run not paid yet, or a draft run's lines);
- **reached**: the partners it has a line for;
- **revenue and growth** of those partners: their sales of the period against the *baseline*, the
  mean of their sales in the ``baseline_periods`` periods just before (converted into the tenant's
  currency at each sale's rate, as tiers, scorecards and runs convert them);
- the **comparable group**: the partners the programme pays (``facts.paid_partners``) that the rule
  did not reach, of the same tier and region as one it reached; their pooled growth over the same
  periods;
- the **difference** (reached growth less comparable growth, in points), the **incremental revenue**
  (the reached partners' revenue less their baseline grown at the comparable rate) and the **return
  per currency unit** (incremental revenue per unit of cost).

MDF rules also count their claimed activities (claims of the period's requests not rejected) and the
deals registered, and the leads received (``followups``: apps above plug their counts in), by the
claiming partners in the ``WEEKS_AFTER`` weeks after each claim.

``report`` reads everything in a fixed number of aggregate queries, whatever the number of partners
or rules.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partners.models import Partner, Sale
from prm.currency.conversion import unconverted
from prm.periods import Period, parse_period, period_containing

from .choices import FINAL_RUN_STATUSES, RuleKind
from .facts import paid_partners
from .followups import WEEKS_AFTER, mdf_figures
from .models import IncentiveRule, Payment, PayoutLine, PayoutRun
from .money import to_cents

ZERO = Decimal("0.00")
#: how many periods before the reported one the baseline may average
MAX_BASELINE_PERIODS = 4
RATIO = Decimal("0.0001")
#: how wide the comparable group had to be: same tier and region, same tier, the paid channel
CELL, TIER, CHANNEL = "tier_and_region", "tier", "channel"


@dataclass
class Group:
    """A group of partners and their revenue: in the period and the baseline (the mean period before)."""

    partners: int = 0
    revenue: Decimal = ZERO
    baseline: Decimal = ZERO

    @property
    def growth(self) -> Decimal | None:
        """(revenue - baseline) / baseline, as a ratio; None without a baseline."""
        if self.baseline <= 0:
            return None
        return ((self.revenue - self.baseline) / self.baseline).quantize(RATIO, ROUND_HALF_UP)


@dataclass
class RuleEffect:
    rule_id: int  # the current version
    rule_key: UUID
    rule_name: str
    kind: str
    kind_display: str
    paid: Decimal = ZERO
    accrued: Decimal = ZERO
    reached: Group = field(default_factory=Group)
    comparable: Group = field(default_factory=Group)
    #: ``CELL``, ``TIER`` or ``CHANNEL``: whom the comparable group holds (see ``_comparable``)
    comparison: str = CELL
    #: MDF rules only (None otherwise)
    activities: int | None = None
    claimed: Decimal | None = None
    deals: int | None = None
    won_deals: int | None = None
    leads: int | None = None

    @property
    def cost(self) -> Decimal:
        return self.paid + self.accrued

    @property
    def difference(self) -> Decimal | None:
        """The reached partners' growth less the comparable group's (a ratio: 0.05 is 5 points)."""
        if self.reached.growth is None or self.comparable.growth is None:
            return None
        return self.reached.growth - self.comparable.growth

    @property
    def incremental(self) -> Decimal | None:
        """What the reached partners sold above their baseline grown at the comparable group's rate."""
        if self.comparable.growth is None or self.reached.baseline <= 0:
            return None
        expected = self.reached.baseline * self.comparable.revenue / self.comparable.baseline
        return to_cents(self.reached.revenue - expected)

    @property
    def return_per_unit(self) -> Decimal | None:
        """Incremental revenue per currency unit of cost."""
        if self.incremental is None or self.cost <= 0:
            return None
        return (self.incremental / self.cost).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def comparison_words(self) -> str:
        return {
            CELL: _("same tier and region"),
            TIER: _("same tier, every region (none of the same tier and region had a baseline)"),
            CHANNEL: _("every partner the programme pays (none of the same tier had a baseline)"),
        }[self.comparison]

    @property
    def is_mdf(self) -> bool:
        return self.kind == RuleKind.MDF


@dataclass
class Report:
    period: Period
    baseline_periods: list[Period]
    currency: str
    rules: list[RuleEffect]
    #: sales of the periods read that no exchange rate converts: [{"currency", "sales", "from"}]
    unconverted: list[dict]

    @property
    def method(self) -> list[str]:
        return method(self)


def tier_of(prefix: str = ""):
    """The tier in force of a partner (``prefix`` "partner__" from a sale): the override, else the computed."""
    return Coalesce(NullIf(f"{prefix}tier_override", Value("")), F(f"{prefix}computed_tier"))


def baseline_of(period: Period, count: int) -> list[Period]:
    """The ``count`` periods just before ``period``, oldest first."""
    found, current = [], period
    for _n in range(count):
        current = current.previous()
        found.insert(0, current)
    return found


def default_period(tenant) -> Period:
    """The period of the newest approved run, else of the newest run, else last quarter."""
    runs = PayoutRun.objects.for_tenant(tenant).order_by("-period")
    code = (
        runs.filter(status__in=FINAL_RUN_STATUSES).values_list("period", flat=True).first()
        or runs.values_list("period", flat=True).first()
    )
    return parse_period(code) if code else period_containing(timezone.localdate()).previous()


def report(*, tenant, period: Period | None = None, baseline_periods: int = 1) -> Report:
    """The effectiveness of every rule in ``period`` (``default_period`` when None; see the module): a
    fixed number of queries."""
    period = period or default_period(tenant)
    baseline = baseline_of(period, baseline_periods)
    rules = {
        row["key"]: RuleEffect(
            rule_id=row["pk"],
            rule_key=row["key"],
            rule_name=row["name"],
            kind=row["kind"],
            kind_display=str(RuleKind(row["kind"]).label) if row["kind"] in RuleKind.values else row["kind"],
        )
        for row in IncentiveRule.objects.for_tenant(tenant)
        .filter(is_current=True)
        .values("pk", "key", "name", "kind")
        .order_by("name", "pk")
    }
    reached = _costs(tenant, period, rules)
    partner_ids = set().union(*reached.values()) if reached else set()
    partners = _partners(tenant, partner_ids)
    revenue = _revenue(tenant, period, baseline, partner_ids)
    cells = _cells(tenant, period, baseline)
    divisor = Decimal(len(baseline))
    for key, ids in reached.items():
        effect = rules[key]
        own_cells, inside = set(), []
        for partner_id in ids:
            current, before = revenue.get(partner_id, (ZERO, ZERO))
            effect.reached.partners += 1
            effect.reached.revenue += current
            effect.reached.baseline += before
            tier, region, in_universe = partners.get(partner_id, ("", "", False))
            own_cells.add((tier, region))
            if in_universe:
                inside.append(partner_id)
        effect.comparison, effect.comparable = _comparable(own_cells, inside, cells, revenue)
    for effect in rules.values():
        for group in (effect.reached, effect.comparable):
            group.revenue = to_cents(group.revenue)
            group.baseline = to_cents(group.baseline / divisor)
    mdf_figures(tenant, period, [effect for effect in rules.values() if effect.is_mdf])
    window = Sale.objects.for_tenant(tenant).filter(date__gte=baseline[0].start, date__lte=period.end)
    return Report(
        period=period,
        baseline_periods=baseline,
        currency=tenant.currency,
        rules=sorted(rules.values(), key=lambda e: (-e.cost, e.rule_name)),
        unconverted=unconverted(window, tenant),
    )


def _comparable(own_cells: set, inside: list[int], cells: dict, revenue: dict) -> tuple[str, Group]:
    """The comparable group of a rule that reached partners in ``own_cells`` (those of them the programme
    pays: ``inside``): the partners of the same tier and region; where those have no baseline, of the same
    tier in every region; where those have none either, every partner the programme pays."""
    tiers = {tier for tier, _region in own_cells}
    scopes = [
        (CELL, lambda cell: cell in own_cells),
        (TIER, lambda cell: cell[0] in tiers),
        (CHANNEL, lambda cell: True),
    ]
    group = Group()
    for name, within in scopes:
        group = Group()
        for cell, (count, current, before) in cells.items():
            if within(cell):
                group.partners += count
                group.revenue += current
                group.baseline += before
        group.partners -= len(inside)
        group.revenue -= sum((revenue.get(m, (ZERO, ZERO))[0] for m in inside), ZERO)
        group.baseline -= sum((revenue.get(m, (ZERO, ZERO))[1] for m in inside), ZERO)
        if group.baseline > 0:
            return name, group
    return name, group


def _costs(tenant, period: Period, rules: dict[UUID, RuleEffect]) -> dict[UUID, set[int]]:
    """Each rule's paid and accrued cost (set on ``rules``) and the partners it reached (one query)."""
    payment = Payment.objects.for_tenant(tenant).filter(run=OuterRef("run"), partner=OuterRef("partner"))
    rows = (
        PayoutLine.objects.for_tenant(tenant)
        .filter(run__period=period.code, rule__isnull=False, rule__key__in=list(rules))
        .annotate(is_paid=Exists(payment))
        .values("rule__key", "partner_id")
        .annotate(paid=Sum("amount", filter=Q(is_paid=True)), total=Sum("amount"))
        .order_by()
    )
    reached: dict[UUID, set[int]] = defaultdict(set)
    for row in rows:
        effect = rules[row["rule__key"]]
        paid = row["paid"] or ZERO
        effect.paid += paid
        effect.accrued += row["total"] - paid
        reached[row["rule__key"]].add(row["partner_id"])
    return reached


def _partners(tenant, partner_ids: set[int]) -> dict[int, tuple[str, str, bool]]:
    """Per partner: its tier in force, its region, whether the programme pays it (one query)."""
    universe = paid_partners(tenant).filter(pk=OuterRef("pk"))
    rows = (
        Partner.objects.for_tenant(tenant)
        .filter(pk__in=partner_ids)
        .annotate(tier_now=tier_of(), in_universe=Exists(universe))
        .values_list("pk", "tier_now", "region", "in_universe")
    )
    return {pk: (tier or "", region, in_universe) for pk, tier, region, in_universe in rows}


def _split(period: Period):
    return {
        "current": Sum("converted", filter=Q(date__gte=period.start)),
        "before": Sum("converted", filter=Q(date__lt=period.start)),
    }


def _window(tenant, period: Period, baseline: list[Period]):
    return Sale.objects.for_tenant(tenant).filter(date__gte=baseline[0].start, date__lte=period.end)


def _revenue(tenant, period, baseline, partner_ids) -> dict[int, tuple[Decimal, Decimal]]:
    """Per reached partner: its revenue in the period and in all the baseline periods (one query)."""
    if not partner_ids:
        return {}
    rows = (
        _window(tenant, period, baseline)
        .filter(partner_id__in=partner_ids)
        .values("partner_id")
        .annotate(**_split(period))
        .order_by()
    )
    return {r["partner_id"]: (r["current"] or ZERO, r["before"] or ZERO) for r in rows}


def _cells(tenant, period, baseline) -> dict[tuple, tuple[int, Decimal, Decimal]]:
    """Per tier and region, over the partners the programme pays: how many, their revenue in the period
    and in all the baseline periods (two queries)."""
    universe = paid_partners(tenant)
    counts = (
        universe.annotate(tier_now=tier_of()).values("tier_now", "region").annotate(n=Count("id")).order_by()
    )
    found = {(r["tier_now"] or "", r["region"]): [r["n"], ZERO, ZERO] for r in counts}
    sums = (
        _window(tenant, period, baseline)
        .filter(partner__in=universe.values("pk"))
        .annotate(tier_now=tier_of("partner__"))
        .values("tier_now", "partner__region")
        .annotate(**_split(period))
        .order_by()
    )
    for row in sums:
        cell = found.setdefault((row["tier_now"] or "", row["partner__region"]), [0, ZERO, ZERO])
        cell[1] += row["current"] or ZERO
        cell[2] += row["before"] or ZERO
    return {cell: tuple(values) for cell, values in found.items()}


def method(result: Report) -> list[str]:
    """The method in words, as the page and the API state it."""
    first, last = result.baseline_periods[0], result.baseline_periods[-1]
    baseline = (
        first.code
        if first == last
        else _("the mean of %(first)s to %(last)s") % {"first": first.code, "last": last.code}
    )
    return [
        _(
            "Cost is what the payout run of %(period)s has for the rule: paid where finance recorded the "
            "partner's payment, accrued otherwise (an approved run not paid yet, or a draft run)."
        )
        % {"period": result.period.code},
        _("Partners reached are the partners the rule has a line for in that run."),
        _(
            "Revenue is what those partners sold in %(period)s, converted into %(currency)s at each sale's "
            "rate. Their baseline is the same partners' revenue in %(baseline)s."
        )
        % {"period": result.period.code, "currency": result.currency, "baseline": baseline},
        _(
            "The comparable group is every partner the programme pays that the rule did not reach, of the "
            "same tier and region as a partner it reached (tier and region as they are today); where those "
            "sold nothing in the baseline, of the same tier in every region, and where those did not "
            "either, the whole paid channel; each rule says which. Its growth is its pooled revenue "
            "against its own baseline over the same periods."
        ),
        _(
            "The difference is the reached partners' growth less the comparable group's. Incremental "
            "revenue is the reached partners' revenue less their baseline grown at the comparable group's "
            "rate; the return per currency unit is that incremental revenue divided by the cost."
        ),
        ngettext(
            "For MDF programmes: claimed activities are the claims of the period's requests not rejected; "
            "deals and leads are those registered by the claiming partner in the %(weeks)d week after each "
            "claim.",
            "For MDF programmes: claimed activities are the claims of the period's requests not rejected; "
            "deals and leads are those registered by the claiming partner in the %(weeks)d weeks after each "
            "claim.",
            WEEKS_AFTER,
        )
        % {"weeks": WEEKS_AFTER},
        _(
            "Partners are often paid because they sold more, so a positive difference is a sign the "
            "incentive works, not a proof; read it beside the number of partners in each group."
        ),
    ]
