"""What looks wrong in a payout run before finance approves it: its warnings.

A warning is stored as facts, not as a sentence: ``{"code", "params", "partner", "sales"}``.
Pages, the API and the CSV render it in the reader's language (``message``). A run over a
large channel can carry thousands of warnings: ``groups`` summarises them by kind (count,
the first few, who acknowledged the group), and finance acknowledges a kind at a time.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from partners.choices import Stage
from partners.customers import normalise_customer
from partners.programme import programme_for

from .choices import FINAL_RUN_STATUSES, RuleKind
from .models import PayoutLine

VOLUME_KINDS = {RuleKind.COMMISSION, RuleKind.REBATE, RuleKind.SPIF}


def run_warnings(*, tenant, run, facts: dict, lines: list) -> list[dict]:
    warnings = []
    warnings += _duplicate_sales(facts)
    warnings += _unsigned_partners(facts)
    warnings += _overlapping_rules(lines)
    warnings += _jumps(tenant, run, lines, facts)
    return warnings


def _duplicate_sales(facts) -> list[dict]:
    """The same customer, product, day and amount booked by more than one partner."""
    seen = defaultdict(list)
    for f in facts.values():
        for s in f.sales:
            if s.customer.strip():  # without a customer two equal sales are not evidence of anything
                seen[(normalise_customer(s.customer), s.product, s.date, s.amount)].append((f, s))
    return [
        {
            "code": "duplicate_sale",
            "params": {
                "customer": key[0] or "—",
                "product": key[1],
                "date": str(key[2]),
                "amount": str(key[3]),
                "partners": ", ".join(sorted({f.name for f, _s in rows})),
            },
            "sales": [s.id for _f, s in rows],
        }  # fmt: skip
        for key, rows in seen.items()
        if len({f.partner_id for f, _s in rows}) > 1
    ]


def _unsigned_partners(facts) -> list[dict]:
    return [
        {
            "code": "unsigned_partner",
            "params": {"partner": f.name, "stage": f.stage, "n": len(f.sales)},
            "partner": f.partner_id,
            "sales": [s.id for s in f.sales],
        }
        for f in facts.values()
        if f.sales and f.stage not in (Stage.SIGNED, Stage.CERTIFIED)
    ]


def _overlapping_rules(lines) -> list[dict]:
    """Two rules of the same kind paying on the same sale (a commission and a rebate on one
    sale is the programme's design; two commissions on it is a mistake)."""
    paid_by = defaultdict(set)
    names = {}
    for line in lines:
        if line.kind in VOLUME_KINDS and line.rule is not None:
            names[id(line.rule)] = line.rule.name
            for sale in line.source.get("sales", []):
                paid_by[(line.partner_id, line.kind, sale)].add(id(line.rule))
    overlaps = defaultdict(list)
    for (partner_id, _kind, sale), rules in paid_by.items():
        if len(rules) > 1:
            overlaps[(partner_id, tuple(sorted(rules)))].append(sale)
    return [
        {
            "code": "overlapping_rules",
            "params": {"n": len(sales), "rules": ", ".join(names[r] for r in rules)},
            "partner": partner_id,
            "sales": sales,
        }
        for (partner_id, rules), sales in overlaps.items()
    ]


def _jumps(tenant, run, lines, facts) -> list[dict]:
    """A partner's total far above its own history (earlier approved runs)."""
    programme = programme_for(tenant)
    factor, minimum = Decimal(str(programme.jump_factor)), Decimal(programme.jump_minimum)
    totals = defaultdict(Decimal)
    for line in lines:
        totals[line.partner_id] += line.amount
    history = (
        PayoutLine.objects.for_tenant(tenant)
        .filter(run__status__in=FINAL_RUN_STATUSES)
        .exclude(run=run)
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
            warnings.append(
                {
                    "code": "jump",
                    "params": {
                        "partner": facts[partner_id].name,
                        "total": f"{total:.2f}",
                        "avg": f"{average:.2f}",
                        "factor": f"{float(factor):g}",
                    },
                    "partner": partner_id,
                }
            )
    return warnings


# --- reading them -------------------------------------------------------------------------

#: code → (what the group is called, the sentence one warning reads as)
KINDS = {
    "duplicate_sale": (
        _("The same sale booked by several partners"),
        _("The same sale (%(customer)s, %(product)s, %(date)s, %(amount)s) is booked by %(partners)s."),
    ),
    "unsigned_partner": (
        _("Sales by partners not signed yet"),
        _("%(partner)s is not signed (stage %(stage)s) but has %(n)d sales this period."),
    ),
    "overlapping_rules": (
        _("Sales paid by several rules of one kind"),
        _("%(n)d sales are paid by several rules: %(rules)s."),
    ),
    "jump": (
        _("Totals far above the partner's history"),
        _("%(partner)s: %(total)s this period, more than %(factor)s× its average of %(avg)s before."),
    ),
}
#: how many warnings of a kind the run page and the API show before "all as CSV"
SAMPLE = 5


def label(code: str) -> str:
    return str(KINDS[code][0]) if code in KINDS else code


def message(warning: dict) -> str:
    """One warning in the reader's language."""
    if "params" not in warning or warning.get("code") not in KINDS:
        return warning.get("message", "")  # stored as a sentence by an earlier version
    from partners.choices import Stage

    params = {"factor": "3", **warning["params"]}  # runs stored before the factor was a setting: 3×
    if "stage" in params and params["stage"] in Stage.values:
        params["stage"] = Stage(params["stage"]).label
    return str(KINDS[warning["code"]][1]) % params


def groups(run, sample: int = SAMPLE) -> list[dict]:
    """The run's warnings by kind: code, label, count, the first few, and who acknowledged them."""
    by_code: dict[str, list[dict]] = defaultdict(list)
    for warning in run.warnings:
        by_code[warning["code"]].append(warning)
    acknowledged = run.acknowledgements or {}
    return [
        {
            "code": code,
            "label": label(code),
            "count": len(items),
            "sample": [message(w) for w in items[:sample]],
            "acknowledged": acknowledged.get(code),
        }  # fmt: skip
        for code, items in by_code.items()
    ]


def unacknowledged(run) -> list[str]:
    """The kinds of warning nobody has acknowledged yet, in the order they appear."""
    acknowledged = run.acknowledgements or {}
    return list(dict.fromkeys(w["code"] for w in run.warnings if w["code"] not in acknowledged))


CSV_COLUMNS = ["kind", "code", "partner_id", "message", "sales"]


def csv_rows(run, code: str | None = None):
    """Every warning (of one kind, or all) as rows for a CSV download."""
    yield CSV_COLUMNS
    for warning in run.warnings:
        if code and warning["code"] != code:
            continue
        yield [
            label(warning["code"]), warning["code"], warning.get("partner") or "", message(warning),
            " ".join(str(sale) for sale in warning.get("sales", [])),
        ]  # fmt: skip


def csv_download(run, code: str | None = None):
    """The warnings as a CSV file download (pages and API alike)."""
    from prm.portal.responses import CSV, attachment, csv_text

    code = code if code in KINDS else None
    suffix = f"-{code}" if code else ""
    return attachment(csv_text(csv_rows(run, code)), CSV, f"warnings-{run.period}{suffix}.csv")
