"""What looks wrong in a payout run before finance approves it: its warnings.

A warning is stored as facts, not as a sentence: ``{"code", "params", "partner", "sales"}``.
Pages, the API and the CSV render it in the reader's language (``message``). A run over a
large channel can carry thousands of warnings: ``groups`` summarises them by kind (count,
the first few, who acknowledged the group), and finance acknowledges a kind at a time.
"""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from partners.choices import Stage
from partners.programme import programme_for

from .choices import FINAL_RUN_STATUSES, RuleKind
from .models import PayoutLine
from .rules.base import all_sales

VOLUME_KINDS = {RuleKind.COMMISSION, RuleKind.REBATE, RuleKind.SPIF}


#: The kinds of warning in the order a run lists them.
ORDER = ["duplicate_sale", "unsigned_partner", "overlapping_rules", "jump"]


def chunk_warnings(*, tenant, facts: dict, lines: list) -> dict[str, list[dict]]:
    """The warnings one range of partners raises on its own, by code (everything but duplicates,
    which compare partners across ranges: ``duplicate_sales``)."""
    return {
        "unsigned_partner": _unsigned_partners(facts),
        "overlapping_rules": _overlapping_rules(lines),
        "jump": _jumps(tenant, lines, facts),
    }


def merged(duplicates: list[dict], chunks: list[dict[str, list[dict]]]) -> list[dict]:
    """A run's warnings: its duplicates, then each kind of the chunks' warnings in chunk order."""
    by_code = {"duplicate_sale": list(duplicates)}
    for found in chunks:
        for code, items in found.items():
            by_code.setdefault(code, []).extend(items)
    return [w for code in ORDER for w in by_code.get(code, [])]


def duplicate_sales(*, tenant, period, partners) -> list[dict]:
    """The same customer (normalised), product, day and amount booked by more than one of
    ``partners`` in the period: one GROUP BY over the stored customer keys.

    A sale without a customer is left out: two equal sales are not evidence of anything then.
    """
    from django.db import connection
    from django.db.models import Q

    from partners.models import Sale

    sales = (
        Sale.objects.for_tenant(tenant)
        .filter(date__gte=period.start, date__lte=period.end, partner__in=partners)
        .exclude(Q(customer="") | Q(customer__regex=r"^\s*$"))
    )
    if connection.vendor != "postgresql":  # the SQLite demo: grouped here
        return _duplicates_in_python(sales)
    source, params = sales.values(
        "id", "partner_id", "customer_key", "product", "date", "amount"
    ).query.sql_with_params()
    with connection.cursor() as cursor:  # the groups first (min <> max: no per-group sort), then their sales
        cursor.execute(
            f"""
            WITH s AS MATERIALIZED ({source}),
                 d AS (SELECT customer_key, product, date, amount FROM s GROUP BY 1, 2, 3, 4
                       HAVING min(partner_id) <> max(partner_id))
            SELECT d.customer_key, d.product, d.date, d.amount, array_agg(DISTINCT p.name),
                   array_agg(s.id ORDER BY s.id)
            FROM d JOIN s USING (customer_key, product, date, amount)
            JOIN partners_partner p ON p.id = s.partner_id AND p.tenant_id = %s
            GROUP BY 1, 2, 3, 4 ORDER BY d.date, min(s.id)
            """,
            [*params, tenant if isinstance(tenant, int) else tenant.pk],
        )
        return [_duplicate(*row) for row in cursor.fetchall()]


def _duplicates_in_python(sales) -> list[dict]:
    seen = defaultdict(list)
    rows = sales.order_by("date", "id").values_list(
        "customer_key", "product", "date", "amount", "partner__name", "id"
    )
    for key, product, day, amount, name, sale_id in rows:
        seen[(key, product, day, amount)].append((name, sale_id))
    return [
        _duplicate(*key, [name for name, _id in found], [sale_id for _name, sale_id in found])
        for key, found in seen.items()
        if len({name for name, _id in found}) > 1
    ]


def _duplicate(customer, product, day, amount, names, sale_ids) -> dict:
    return {
        "code": "duplicate_sale",
        "params": {
            "customer": customer or "—", "product": product, "date": str(day), "amount": str(amount),
            "partners": ", ".join(sorted(set(names))),
        },
        "sales": list(sale_ids),
    }  # fmt: skip


def _unsigned_partners(facts) -> list[dict]:
    found = []
    for f in facts.values():
        sales = all_sales(f)
        if sales.count and f.stage not in (Stage.SIGNED, Stage.CERTIFIED):
            found.append({
                "code": "unsigned_partner",
                "params": {"partner": f.name, "stage": f.stage, "n": sales.count},
                "partner": f.partner_id,
                "sales": sales.ids,
            })  # fmt: skip
    return found


def _overlapping_rules(lines) -> list[dict]:
    """Two rules of the same kind paying on the same sale (a commission and a rebate on one
    sale is the programme's design; two commissions on it is a mistake)."""
    volume = [line for line in lines if line.kind in VOLUME_KINDS and line.rule is not None]
    rules_of = defaultdict(set)  # only a partner paid by two rules of one kind can have an overlap
    for line in volume:
        rules_of[(line.partner_id, line.kind)].add(id(line.rule))
    paid_by = defaultdict(set)
    names = {}
    for line in volume:
        if len(rules_of[(line.partner_id, line.kind)]) > 1:
            rule = line.rule.pk or id(line.rule)  # a what-if rule is not saved
            names[rule] = line.rule.name
            for sale in line.sales.ids if line.sales is not None else []:
                paid_by[(line.partner_id, line.kind, sale)].add(rule)
    overlaps = defaultdict(list)
    for (partner_id, _kind, sale), rules in paid_by.items():
        if len(rules) > 1:
            overlaps[(partner_id, tuple(sorted(rules)))].append(sale)
    return [
        {
            "code": "overlapping_rules",
            "params": {"n": len(sales), "rules": ", ".join(sorted(names[r] for r in rules))},
            "partner": partner_id,
            "sales": sales,
        }
        for (partner_id, rules), sales in overlaps.items()
    ]


def _jumps(tenant, lines, facts) -> list[dict]:
    """A partner's total far above its own history (earlier approved runs)."""
    programme = programme_for(tenant)
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
    acknowledged = run.acknowledgements or {}
    return [
        {
            "code": code,
            "label": label(code),
            "count": count,
            "sample": [message(w) for w in first],
            "acknowledged": acknowledged.get(code),
        }  # fmt: skip
        for code, count, first in _by_code(run, sample)
    ]


def unacknowledged(run) -> list[str]:
    """The kinds of warning nobody has acknowledged yet, in the order they appear."""
    acknowledged = run.acknowledgements or {}
    return [code for code, _count, _first in _by_code(run, 0) if code not in acknowledged]


def summarised(warnings: list[dict]) -> list[dict]:
    """A run's ``warnings`` as its summary keeps them: per kind, in the order kinds first appear,
    how many and the first ``SAMPLE``."""
    return [
        {"code": code, "count": count, "first": first} for code, count, first in _grouped(warnings, SAMPLE)
    ]


def _grouped(warnings, sample: int) -> list[tuple[str, int, list[dict]]]:
    by_code: dict[str, list[dict]] = defaultdict(list)
    for warning in warnings:
        by_code[warning["code"]].append(warning)
    return [(code, len(items), items[:sample]) for code, items in by_code.items()]


def _by_code(run, sample: int) -> list[tuple[str, int, list[dict]]]:
    """(code, how many, the first ``sample``) of each kind of warning, in the order kinds first appear.

    A run over a large channel carries megabytes of warnings (their sales ids): its summary keeps
    the groups since it was computed (``PayoutRun.summary``); a run computed before that, read
    without its warnings (``defer("warnings")``, as its page does), has them counted in PostgreSQL
    and only the first few come back."""
    from django.db import connection

    kept = (run.summary or {}).get("warnings")
    if kept is not None and sample <= SAMPLE:
        return [(group["code"], group["count"], group["first"][:sample]) for group in kept]
    if "warnings" in run.get_deferred_fields() and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT code, count(*), jsonb_agg(w ORDER BY n) FILTER (WHERE k <= %s)
                FROM (SELECT e.w ->> 'code' AS code, e.w, e.n,
                             row_number() OVER (PARTITION BY e.w ->> 'code' ORDER BY e.n) AS k
                      FROM {type(run)._meta.db_table} r
                      CROSS JOIN LATERAL jsonb_array_elements(r.warnings) WITH ORDINALITY AS e (w, n)
                      WHERE r.id = %s AND r.tenant_id = %s) AS numbered
                GROUP BY code ORDER BY min(n)
                """,
                [sample, run.pk, run.tenant_id],
            )
            return [
                (code, count, json.loads(first) if isinstance(first, str) else first or [])
                for code, count, first in cursor.fetchall()
            ]
    return _grouped(run.warnings, sample)


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
