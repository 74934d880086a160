"""What looks wrong in a payout run, found while it is computed: its warnings as rows.

Each range of partners finds its own (``chunk_warnings``: sales of unsigned partners, sales paid
by two rules of one kind, totals far above the partner's history) and writes them (``write``), or,
on a worker, keeps them with its lines until the join inserts them; the duplicate sales across
all partners are written by one statement once every range is in (``duplicate_sales``), and every
adjustment typed by hand raises one for a second person (``adjustments``). Reading, counting and
rendering them is ``run_warnings``.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum

from partners.choices import Stage
from partners.models import Sale
from prm.sql import insert_rows

from .choices import FINAL_RUN_STATUSES, RuleKind
from .models import PayoutLine, PayoutRunWarning
from .programme import incentive_programme_for
from .queries import WARNING_COLUMNS, duplicate_sales_insert
from .rules.base import all_sales
from .run_warnings import ADJUSTMENT, NAMES_KEPT, SALES_KEPT, rank

VOLUME_KINDS = {RuleKind.COMMISSION, RuleKind.REBATE, RuleKind.SPIF}


def _warning(code, params, *, partner=None, sales=(), count=None, position=0) -> dict:
    """One warning as a run keeps it (and a range running on a worker keeps it in its payload)."""
    sales = list(sales)
    return {
        "code": code,
        "rank": rank(code),
        "partner": partner,
        "position": position,
        "params": params,
        "facts": {"sales_count": len(sales) if count is None else count, "sales": sales[:SALES_KEPT]},
    }


def chunk_warnings(*, tenant, facts: dict, lines: list) -> list[dict]:
    """The warnings one range of partners raises on its own (everything but duplicates, which
    compare partners across ranges: ``duplicate_sales``). Each is small, whatever the partner sold."""
    return [*_unsigned_partners(facts), *_overlapping_rules(lines), *_jumps(tenant, lines, facts)]


def write(*, tenant, run, warnings: list[dict]) -> int:
    """``warnings`` (``chunk_warnings``) into the run: one INSERT on PostgreSQL."""
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    rows = [
        (tenant_id, run.pk, w["code"], w["rank"], w["partner"], w["position"], w["params"], w["facts"])
        for w in warnings
    ]
    return insert_rows(PayoutRunWarning, WARNING_COLUMNS, rows, tenant_id=tenant_id)


def _unsigned_partners(facts) -> list[dict]:
    found = []
    for f in facts.values():
        sales = all_sales(f)
        if sales.count and f.stage not in (Stage.SIGNED, Stage.CERTIFIED):
            found.append(
                _warning(
                    "unsigned_partner",
                    {"partner": f.name, "stage": f.stage, "n": sales.count},
                    partner=f.partner_id,
                    sales=sales.ids[:SALES_KEPT],
                    count=sales.count,
                )
            )
    return found


def _overlapping_rules(lines) -> list[dict]:
    """Two rules of the same kind paying on the same sale (a commission and a rebate on one
    sale is the programme's design; two commissions on it is a mistake): per partner and set of
    rules, how many sales and the first few. One partner's sales are held at a time."""
    volume = defaultdict(list)  # only a partner paid by two rules of one kind can have an overlap
    for line in lines:
        if line.kind in VOLUME_KINDS and line.rule is not None and line.sales is not None:
            volume[(line.partner_id, line.kind)].append(line)
    found, positions = [], defaultdict(int)
    for (partner_id, _kind), paying in volume.items():
        if len({id(line.rule) for line in paying}) < 2:
            continue
        for rules, sales in _paid_twice(paying):
            found.append(
                _warning(
                    "overlapping_rules",
                    {"n": len(sales), "rules": rules},
                    partner=partner_id,
                    sales=sales,
                    position=positions[partner_id],
                )
            )
            positions[partner_id] += 1
    return found


def _paid_twice(lines) -> list[tuple[str, list[int]]]:
    """One partner's sales that several of ``lines`` (of one kind) pay, by the rules paying them:
    (their names, the sales in the order the lines list them)."""
    paid_by, names, parsed = defaultdict(set), {}, {}
    for line in lines:
        rule = line.rule.pk or id(line.rule)  # a what-if rule is not saved
        names[rule] = line.rule.name
        selection = id(line.sales)  # rules that select alike share one selection: read it once
        if selection not in parsed:
            parsed[selection] = line.sales.ids
        for sale in parsed[selection]:
            paid_by[sale].add(rule)
    overlaps = defaultdict(list)
    for sale, rules in paid_by.items():
        if len(rules) > 1:
            overlaps[tuple(sorted(rules))].append(sale)
    return [(", ".join(sorted(names[r] for r in rules)), sales) for rules, sales in overlaps.items()]


def _jumps(tenant, lines, facts) -> list[dict]:
    """A partner's total far above its own history (earlier approved runs)."""
    programme = incentive_programme_for(tenant)
    factor, minimum = Decimal(str(programme.jump_factor)), Decimal(programme.jump_minimum)
    totals = defaultdict(Decimal)
    for line in lines:
        totals[line.partner_id] += line.amount
    if not totals:
        return []
    history = (
        PayoutLine.objects.for_tenant(tenant)
        .filter(run__status__in=FINAL_RUN_STATUSES, partner_id__in=list(totals))
        .values("partner_id", "run_id")
        .annotate(total=Sum("amount"))
    )
    per_partner = defaultdict(list)
    for row in history:
        per_partner[row["partner_id"]].append(row["total"])
    warnings = []
    for partner_id, total in totals.items():
        earlier = per_partner.get(partner_id, [])
        if not earlier:
            continue
        average = sum(earlier, Decimal(0)) / len(earlier)
        if total > minimum and total > factor * max(average, Decimal(0)):
            params = {
                "partner": facts[partner_id].name,
                "total": f"{total:.2f}",
                "avg": f"{average:.2f}",
                "factor": f"{float(factor):g}",
            }
            warnings.append(_warning("jump", params, partner=partner_id))
    return warnings


def adjustments(*, tenant, run) -> int:
    """One ``manual_adjustment`` warning per adjustment line of the run (adjustments are few: typed
    by hand), so that every added cent is checked by a second person (``services.four_eyes``). Written
    again whenever the run is computed, as its other warnings are."""
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    PayoutRunWarning.objects.for_tenant(tenant_id).filter(run_id=run.pk, code=ADJUSTMENT).delete()
    lines = (
        PayoutLine.objects.for_tenant(tenant_id)
        .filter(run_id=run.pk, kind="adjustment")
        .select_related("partner", "created_by")
        .order_by("pk")
    )
    warnings = [
        _warning(
            ADJUSTMENT,
            {
                "partner": line.partner.name,
                "amount": f"{line.amount} {line.currency}",
                "reason": line.source.get("reason", ""),
                "by": (line.created_by.get_full_name() or line.created_by.get_username())
                if line.created_by
                else "—",
            },
            partner=line.partner_id,
            position=line.pk,
        )
        for line in lines
    ]
    return write(tenant=tenant_id, run=run, warnings=warnings)


def duplicate_sales(*, tenant, run, period, partners) -> int:
    """Write the run's duplicate sales: the same customer (normalised), product, day and amount
    booked by more than one of ``partners`` in the period. One INSERT … SELECT over a GROUP BY of
    the stored customer keys (``queries.duplicate_sales_insert``): each keeps how many sales, the
    first few and the first partners' names, ordered by day. Returns how many.

    A sale without a customer is left out: two equal sales are not evidence of anything then.
    """
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    sales = (
        Sale.objects.for_tenant(tenant_id)
        .filter(date__gte=period.start, date__lte=period.end, partner__in=partners)
        .exclude(Q(customer="") | Q(customer__regex=r"^\s*$"))
    )
    return duplicate_sales_insert(
        sales,
        tenant_id=tenant_id,
        run_id=run.pk,
        rank=rank("duplicate_sale"),
        sales_kept=SALES_KEPT,
        names_kept=NAMES_KEPT,
    )
