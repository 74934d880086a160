"""What looks wrong in a payout run before finance approves it: its warnings.

A warning is a row (``PayoutRunWarning``) of facts, not a sentence: its kind (``code``), the partner
it is about, the parameters of its sentence, and how many sales it is about with the first few of
them. Pages, the API and the CSV render it in the reader's language (``message``). A run over a
large channel carries hundreds of thousands of warnings: each range of partners writes its own
(``chunk_warnings``, ``write``), the duplicate sales across all partners are written by one
statement (``duplicate_sales``), and readers count, group and page them in the database (``groups``,
``rows``, ``csv_download``). Finance acknowledges a kind at a time.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from partners.choices import Stage
from partners.models import Sale
from partners.programme import programme_for
from prm.portal.responses import csv_stream
from prm.sql import insert_rows

from .choices import FINAL_RUN_STATUSES, RuleKind
from .models import PayoutLine, PayoutRunWarning
from .rules.base import all_sales

VOLUME_KINDS = {RuleKind.COMMISSION, RuleKind.REBATE, RuleKind.SPIF}

#: The kind every adjustment raises: someone other than whoever adjusted the run acknowledges it.
ADJUSTMENT = "manual_adjustment"
#: Each kind's rank, kept on each of its rows (``PayoutRunWarning.rank``): a run lists its warnings
#: kind by kind in this order. Never renumber a kind (its rows keep the number it was written with,
#: those moved by migration 0011 too); a new kind takes the next number.
RANKS = {"duplicate_sale": 0, "unsigned_partner": 1, "overlapping_rules": 2, "jump": 3, ADJUSTMENT: 4}
#: The kinds of warning in the order a run lists them.
ORDER = sorted(RANKS, key=RANKS.get)
#: The rank of a kind this version does not know (kept by an earlier one).
UNKNOWN_RANK = 99
#: A warning keeps how many sales it is about and the first this many of them, never all of them.
SALES_KEPT = 10
#: A duplicate sale names the first this many of the partners that booked it.
NAMES_KEPT = 10

COLUMNS = ["tenant_id", "run_id", "code", "rank", "partner_id", "position", "params", "facts"]


def rank(code: str) -> int:
    return RANKS.get(code, UNKNOWN_RANK)


def _warning(code, params, *, partner=None, sales=(), count=None, position=0) -> dict:
    """One warning as a run keeps it (the keys of a ``PayoutChunk``'s warnings)."""
    sales = list(sales)
    return {
        "code": code,
        "rank": rank(code),
        "partner": partner,
        "position": position,
        "params": params,
        "facts": {"sales_count": len(sales) if count is None else count, "sales": sales[:SALES_KEPT]},
    }


# --- finding them -------------------------------------------------------------------------


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
    return insert_rows(PayoutRunWarning, COLUMNS, rows, tenant_id=tenant_id)


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
    the stored customer keys: each keeps how many sales, the first few and the first partners'
    names, ordered by day. Returns how many.

    A sale without a customer is left out: two equal sales are not evidence of anything then.
    """
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    sales = (
        Sale.objects.for_tenant(tenant_id)
        .filter(date__gte=period.start, date__lte=period.end, partner__in=partners)
        .exclude(Q(customer="") | Q(customer__regex=r"^\s*$"))
    )
    source, params = sales.values(
        "id", "partner_id", "customer_key", "product", "date", "amount"
    ).query.sql_with_params()
    with connection.cursor() as cursor:  # the groups first (min <> max: no per-group sort), then their sales
        cursor.execute(
            f"""
            WITH s AS MATERIALIZED ({source}),
                 d AS (SELECT customer_key, product, date, amount FROM s GROUP BY 1, 2, 3, 4
                       HAVING min(partner_id) <> max(partner_id)),
                 g AS (SELECT d.customer_key, d.product, d.date, d.amount, count(*) AS n, min(s.id) AS first,
                              (array_agg(s.id ORDER BY s.id))[1:%s] AS sales,
                              (array_agg(DISTINCT p.name COLLATE "C"))[1:%s] AS names,
                              count(DISTINCT p.id) AS partners
                       FROM d JOIN s USING (customer_key, product, date, amount)
                       JOIN partners_partner p ON p.id = s.partner_id AND p.tenant_id = %s
                       GROUP BY 1, 2, 3, 4)
            INSERT INTO {PayoutRunWarning._meta.db_table} ({", ".join(COLUMNS)})
            SELECT %s, %s, 'duplicate_sale', %s, NULL, row_number() OVER (ORDER BY date, first) - 1,
                   jsonb_build_object('customer', coalesce(nullif(customer_key, ''), '—'), 'product', product,
                                      'date', date::text, 'amount', amount::text,
                                      'partners', array_to_string(names, ', ')
                                                  || CASE WHEN partners > %s THEN ', …' ELSE '' END),
                   jsonb_build_object('sales_count', n, 'sales', to_jsonb(sales), 'partners_count', partners)
            FROM g
            """,
            [
                *params,
                SALES_KEPT,
                NAMES_KEPT,
                tenant_id,
                tenant_id,
                run.pk,
                rank("duplicate_sale"),
                NAMES_KEPT,
            ],
        )
        return cursor.rowcount


# --- reading them -------------------------------------------------------------------------

#: code → (what the group is called, the sentence one warning reads as)
KINDS = {
    ADJUSTMENT: (
        _("Adjustments typed by hand"),
        _("%(by)s adjusted %(partner)s by %(amount)s: %(reason)s"),
    ),
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
#: what a reader takes of a warning's row
FIELDS = ("code", "partner_id", "params", "facts")


def label(code: str) -> str:
    return str(KINDS[code][0]) if code in KINDS else code


def message(warning: dict) -> str:
    """One warning (a row's ``FIELDS``) in the reader's language."""
    params = warning.get("params")
    if not params or warning.get("code") not in KINDS:  # stored as a sentence by an earlier version
        return (warning.get("facts") or {}).get("message") or warning.get("message", "")
    params = {"factor": "3", **params}  # runs stored before the factor was a setting: 3×
    if "stage" in params and params["stage"] in Stage.values:
        params["stage"] = Stage(params["stage"]).label
    return str(KINDS[warning["code"]][1]) % params


def item(row: dict) -> dict:
    """A warning as the API lists it."""
    facts = row["facts"] or {}
    return {
        "code": row["code"],
        "label": label(row["code"]),
        "partner": row["partner_id"],
        "message": message(row),
        "sales": facts.get("sales", []),
        "sales_count": facts.get("sales_count", len(facts.get("sales", []))),
    }


def rows(run, code: str | None = None):
    """The run's warnings (of one kind, or all) in the order the run lists them: a queryset of
    their ``FIELDS``, for a page at a time (the API) or a stream (the CSV)."""
    found = PayoutRunWarning.objects.for_tenant(run.tenant_id).filter(run_id=run.pk)
    if code:
        found = found.filter(rank=rank(code), code=code)
    return found.order_by("rank", "partner_id", "position").values(*FIELDS)


def counted(run) -> list[tuple[str, int]]:
    """(code, how many) of each kind of the run's warnings, in the order the run lists them: one
    GROUP BY over the run's rows."""
    found = (
        PayoutRunWarning.objects.for_tenant(run.tenant_id)
        .filter(run_id=run.pk)
        .values("rank", "code")
        .annotate(n=Count("id"))
        .order_by("rank", "code")
    )
    return [(row["code"], row["n"]) for row in found]


def counts(run) -> list[tuple[str, int]]:
    """``counted``, as the run's summary keeps it since it was computed (``PayoutRun.summary``)."""
    kept = (run.summary or {}).get("warnings")
    if kept is not None:
        return [(group["code"], group["count"]) for group in kept]
    return counted(run)


def count(run) -> int:
    return sum(n for _code, n in counts(run))


def groups(run, sample: int = SAMPLE) -> list[dict]:
    """The run's warnings by kind: code, label, count, the first few, and who acknowledged them."""
    acknowledged = run.acknowledgements or {}
    found = counts(run)
    first = _first(run, [code for code, _n in found], sample)
    return [
        {
            "code": code,
            "label": label(code),
            "count": n,
            "sample": [message(w) for w in first.get(code, [])],
            "acknowledged": acknowledged.get(code),
        }
        for code, n in found
    ]


def _first(run, codes: list[str], sample: int) -> dict[str, list[dict]]:
    """The first ``sample`` warnings of each of ``codes``: one statement, a short index range each."""
    if not codes or sample <= 0:
        return {}
    parts = [rows(run, code).values(*FIELDS, "position")[:sample] for code in codes]
    if len(parts) > 1:
        parts = [parts[0].union(*parts[1:], all=True)]
    found = defaultdict(list)
    for row in (row for part in parts for row in part):
        found[row["code"]].append(row)
    for listed in found.values():  # (a union keeps no order: each kind's, as ``rows`` sorts it)
        listed.sort(key=lambda w: (w["partner_id"] is None, w["partner_id"] or 0, w["position"]))
    return found


def unacknowledged(run) -> list[str]:
    """The kinds of warning nobody has acknowledged yet, in the order they appear."""
    acknowledged = run.acknowledgements or {}
    return [code for code, n in counts(run) if n and code not in acknowledged]


CSV_COLUMNS = ["kind", "code", "partner_id", "message", "sales"]


def csv_rows(run, code: str | None = None, language: str | None = None):
    """Every warning (of one kind, or all) as rows for a CSV download in ``language`` (the active
    one by default), read a few thousand at a time."""
    with translation.override(language or translation.get_language()):
        yield CSV_COLUMNS
        for warning in rows(run, code).iterator(chunk_size=2000):
            yield [
                label(warning["code"]),
                warning["code"],
                warning["partner_id"] or "",
                message(warning),
                " ".join(str(sale) for sale in (warning["facts"] or {}).get("sales", [])),
            ]


def csv_download(run, code: str | None = None):
    """The warnings as a CSV file download (pages and API alike), streamed as it is read, in the
    language of the request."""
    code = code if code in KINDS else None
    suffix = f"-{code}" if code else ""
    return csv_stream(csv_rows(run, code, translation.get_language()), f"warnings-{run.period}{suffix}.csv")
