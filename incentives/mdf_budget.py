"""MDF budgets: what a partner may spend under an MDF rule in a period, and how much of it is spoken for.

A budget belongs to a partner, an MDF rule (its stable ``key``: requests of every version of the rule
count) and a period. Its amount is the run's own computation (``rules.kinds.mdf_budget``, on the
rule's current version, for a partner the run pays and the rule applies to); beside it:

- ``committed``: the approved requests;
- ``claimed``: the claims not rejected (submitted, approved or paid);
- ``approved_claims``: the claims approved or paid (what the run pays, or paid, out of the budget);
- ``paid``: what approved runs paid on the claims;
- ``remaining``: the budget less what is committed.

``budgets`` computes them for many partners and rules at once in a fixed number of queries (grouped
sums; last period's revenue in one query for all of them), whatever the number of rows. Deciding a
request or a claim takes ``lock`` first, so that two decisions on one budget wait for each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.db.models import Min, Q, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from partners.choices import BenefitKind
from partners.models import Partner, Sale
from partners.tiering.benefits import benefit_values
from prm.currency.conversion import revenue_and_unconverted
from prm.formats.display import short_date
from prm.periods import Period
from prm.sql import hold

from .choices import ClaimStatus, MdfStatus, RuleKind
from .facts import paid_partners
from .models import IncentiveRule, MdfClaim, MdfRequest
from .money import to_cents
from .rules import PartnerFacts, RunContext, eligible
from .rules.kinds import mdf_budget, mdf_reads_revenue
from .selectors import rules_for_partner

ZERO = Decimal("0.00")


@dataclass
class MdfBudget:
    """One partner's budget under one MDF rule for one period, and what is spoken for of it."""

    partner_id: int
    partner_name: str
    rule_id: int  # the rule's current version
    rule_key: UUID
    rule_name: str
    period: str
    currency: str
    #: In cents; None when it cannot be computed (last period's sales lack an exchange rate).
    budget: Decimal | None
    basis: str
    committed: Decimal = ZERO
    claimed: Decimal = ZERO
    approved_claims: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.committed

    @property
    def claims_room(self) -> Decimal | None:
        """What approved claims may still take of the budget as it is now."""
        return None if self.budget is None else self.budget - self.approved_claims


def budgets(*, tenant, period: Period, pairs) -> list[MdfBudget]:
    """The budgets of ``pairs`` ((partner id, rule key), in that order) for ``period``: a fixed number of
    queries whatever their number. A pair whose rule or partner is gone is left out."""
    pairs = list(dict.fromkeys((partner_id, UUID(str(key))) for partner_id, key in pairs))
    if not pairs:
        return []
    partner_ids = {partner_id for partner_id, _key in pairs}
    keys = {key for _partner, key in pairs}
    rules = {
        rule.key: rule
        for rule in IncentiveRule.objects.for_tenant(tenant).filter(
            key__in=keys, is_current=True, kind=RuleKind.MDF
        )
    }
    partners = {
        p.pk: p
        for p in Partner.objects.for_tenant(tenant)
        .filter(pk__in=partner_ids)
        .only("id", "name", "stage", "region", "computed_tier", "tier_override")
    }
    paid = set(paid_partners(tenant).filter(pk__in=partner_ids).values_list("pk", flat=True))
    context = RunContext(period=period, currency=tenant.currency)
    shares = (
        benefit_values(tenant, BenefitKind.MDF_SHARE)
        if any(rule.params.get("budget_share_benefit") for rule in rules.values())
        else {}
    )

    found, revenue_wanted = [], set()
    for partner_id, key in pairs:
        partner, rule = partners.get(partner_id), rules.get(key)
        if partner is None or rule is None:
            continue
        facts = PartnerFacts(
            partner_id=partner.pk,
            name=partner.name,
            stage=partner.stage,
            tier=partner.tier,
            region=partner.region,
            benefits={"mdf_share": shares[partner.tier]} if partner.tier in shares else {},
        )
        applies = partner.pk in paid and rule.active and eligible(rule, facts, context)
        if applies and mdf_reads_revenue(rule.params):
            revenue_wanted.add(partner.pk)
        found.append((partner, rule, facts, applies))

    revenue, unconverted = _last_period_revenue(tenant, period, revenue_wanted)
    spoken = _spoken_for(tenant, period, partner_ids, keys)

    result = []
    for partner, rule, facts, applies in found:
        if not applies:
            amount, basis = (
                ZERO,
                _(
                    "nothing: %(rule)s does not pay this partner (its tiers, stages, regions or "
                    "dates, or the partner's stage)"
                )
                % {"rule": rule.name},
            )
        elif partner.pk in unconverted:
            currency, day = unconverted[partner.pk]
            amount, basis = (
                None,
                _(
                    "unknown: no exchange rate for %(currency)s on or before %(day)s converts last period's sales"
                )
                % {"currency": currency, "day": short_date(day)},
            )
        else:
            amount, basis = mdf_budget(
                rule.params,
                last_period_revenue=revenue.get(partner.pk, Decimal(0)),
                tier=facts.tier,
                benefits=facts.benefits,
            )
            amount = to_cents(amount)
        figures = spoken.get((partner.pk, rule.key), {})
        result.append(
            MdfBudget(
                partner_id=partner.pk,
                partner_name=partner.name,
                rule_id=rule.pk,
                rule_key=rule.key,
                rule_name=rule.name,
                period=period.code,
                currency=tenant.currency,
                budget=amount,
                basis=basis,
                **{name: to_cents(value or 0) for name, value in figures.items()},
            )
        )
    return result


def budget_of(*, tenant, partner_id: int, rule_key, period: Period) -> MdfBudget | None:
    """One budget (``budgets``); None when the rule has no current MDF version."""
    found = budgets(tenant=tenant, period=period, pairs=[(partner_id, rule_key)])
    return found[0] if found else None


def _last_period_revenue(tenant, period: Period, partner_ids: set[int]):
    """The partners' revenue of the period before ``period``, converted like the run converts it
    (one query), and, for a partner some of whose sales no rate converts, that currency and date."""
    if not partner_ids:
        return {}, {}
    previous = period.previous()
    sales = Sale.objects.for_tenant(tenant).filter(
        partner_id__in=partner_ids, date__gte=previous.start, date__lte=previous.end
    )
    revenue, missing = revenue_and_unconverted(sales, tenant)
    unconverted = {}
    if missing:  # (rare) which partners: one more query
        rows = (
            sales.filter(converted__isnull=True)
            .values("partner_id", "currency")
            .annotate(first=Min("date"))
            .order_by("partner_id", "first")
        )
        for row in rows:
            unconverted.setdefault(row["partner_id"], (row["currency"], row["first"]))
    return revenue, unconverted


def _spoken_for(tenant, period: Period, partner_ids, keys) -> dict[tuple[int, UUID], dict]:
    """Per partner and rule key: committed (approved requests), claimed, approved claims and paid (two
    grouped queries)."""
    figures: dict[tuple[int, UUID], dict] = {}
    requests = (
        MdfRequest.objects.for_tenant(tenant)
        .filter(period=period.code, partner_id__in=partner_ids, rule__key__in=keys, status=MdfStatus.APPROVED)
        .values("partner_id", "rule__key")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in requests:
        figures.setdefault((row["partner_id"], row["rule__key"]), {})["committed"] = row["total"]
    claims = (
        MdfClaim.objects.for_tenant(tenant)
        .filter(request__period=period.code, request__partner_id__in=partner_ids, request__rule__key__in=keys)
        .values("request__partner_id", "request__rule__key")
        .annotate(
            claimed=Sum("amount", filter=~Q(status=ClaimStatus.REJECTED)),
            approved_claims=Sum("amount", filter=Q(status__in=[ClaimStatus.APPROVED, ClaimStatus.PAID])),
            paid=Sum("paid_line__amount", filter=Q(status=ClaimStatus.PAID)),
        )
        .order_by()
    )
    for row in claims:
        key = (row.pop("request__partner_id"), row.pop("request__rule__key"))
        figures.setdefault(key, {}).update(row)
    return figures


def requested_pairs(*, tenant, period: Period, partner_id: int | None = None, rule_key=None):
    """(partner id, rule key) of every MDF request of ``period`` (of one partner, or rule), by partner
    name: a queryset of ``{"partner_id", "rule__key"}`` (to page through)."""
    rows = MdfRequest.objects.for_tenant(tenant).filter(period=period.code)
    if partner_id is not None:
        rows = rows.filter(partner_id=partner_id)
    if rule_key is not None:
        rows = rows.filter(rule__key=rule_key)
    return (
        rows.values("partner_id", "rule__key").distinct().order_by("partner__name", "partner_id", "rule__key")
    )


def partner_pairs(*, tenant, period: Period, partner, rule_key=None) -> list[tuple[int, UUID]]:
    """A partner's own budgets: under each active MDF rule that pays it, and any other rule it requested under
    in ``period``."""
    paying = (
        rules_for_partner(tenant=tenant, partner=partner).filter(kind=RuleKind.MDF).order_by("name", "pk")
    )
    keys = list(paying.values_list("key", flat=True))
    requested = requested_pairs(tenant=tenant, period=period, partner_id=partner.pk, rule_key=rule_key)
    keys += [row["rule__key"] for row in requested]
    if rule_key is not None:
        keys = [key for key in keys if str(key) == str(rule_key)]
    return [(partner.pk, key) for key in dict.fromkeys(keys)]


def lock(*, tenant_id: int, partner_id: int, rule_key, period: str) -> None:
    """Hold one budget for the rest of the transaction: whoever decides on the same budget waits."""
    hold(f"incentives.mdf_budget:{tenant_id}:{partner_id}:{rule_key}:{period}")


def money(amount: Decimal) -> str:
    """An amount for a sentence, grouped the reader's way (1,000.00 in English)."""
    return number_format(amount, 2, force_grouping=True)
