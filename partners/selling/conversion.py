"""Sales re-converted when the rate table changes.

A sale is converted when it is written (``Sale.rate`` and ``Sale.converted``, set by the database's
trigger of partners 0027). A rate added afterwards for a past date applies to the sales of its
currency from its date up to the currency's next rate: those are re-converted here, in one
set-based UPDATE that writes only the sales whose rate changes and answers, per month, what moved.

``sales_reconvert_for_rates`` is the entry point the rate services call: a few sales are re-converted
in the caller's transaction; more than ``PRM_RECONVERT_INLINE_SALES`` go to a job (``sales_reconvert``,
``partners.tasks.reconvert_sales``), so adding a rate to a tenant of millions of sales answers at
once. Either way the audit trail records, per currency, which periods' figures moved and by how much
(``sales.reconverted``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction

from partners.audit_actions import PartnerAudit
from partners.models import Sale
from prm.audit.events import audit_record
from prm.currency.models import ExchangeRate
from prm.periods import period_containing

#: A sale's rate for the sale row ``s``, as the trigger of partners 0027 computes it.
RATE = f"""CASE WHEN s.currency = (SELECT t.currency FROM tenancy_tenant t WHERE t.id = s.tenant_id) THEN 1
     ELSE (SELECT r.rate FROM {ExchangeRate._meta.db_table} r
           WHERE r.tenant_id = s.tenant_id AND r.currency = s.currency AND r.date <= s.date
           ORDER BY r.date DESC LIMIT 1) END"""

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Span:
    """The sales of ``currency`` dated from ``since`` (inclusive) to ``until`` (exclusive; None: on)."""

    currency: str
    since: date
    until: date | None

    def as_params(self) -> dict:
        return {
            "currency": self.currency,
            "since": self.since.isoformat(),
            "until": self.until.isoformat() if self.until else None,
        }

    @classmethod
    def from_params(cls, params: dict) -> Span:
        until = params.get("until")
        return cls(
            params["currency"], date.fromisoformat(params["since"]), until and date.fromisoformat(until)
        )


def spans_of_new_rates(*, tenant, added: list[ExchangeRate]) -> list[Span]:
    """Per currency of the rates ``added`` (already saved), the sales they may convert otherwise: from
    the earliest added date to the currency's first older rate after the latest added date (one query)."""
    spans = []
    for currency in sorted({rate.currency for rate in added}):
        dates = [rate.date for rate in added if rate.currency == currency]
        later = (
            ExchangeRate.objects.for_tenant(tenant)
            .filter(currency=currency, date__gt=max(dates))
            .exclude(pk__in=[rate.pk for rate in added])
            .order_by("date")
            .values_list("date", flat=True)
            .first()
        )
        spans.append(Span(currency, min(dates), later))
    return spans


def _within(tenant, span: Span):
    sales = Sale.objects.for_tenant(tenant).filter(currency=span.currency, date__gte=span.since)
    return sales.filter(date__lt=span.until) if span.until else sales


def sales_reconvert(*, tenant, span: Span) -> dict:
    """Re-convert the tenant's sales of ``span`` at the rate table as it stands (one UPDATE that
    writes only the sales whose rate changes). Returns ``{"currency", "since", "until", "sales",
    "periods": [{"period": "2026-07", "sales", "before", "after"}], "quarters": ["2026-Q3"]}``:
    per month, how many sales moved and what they summed in the tenant's currency before and after
    (``before`` counts only the sales a rate converted then)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH fresh AS (
              SELECT s.id, s.date, s.converted AS before, {RATE} AS rate FROM {Sale._meta.db_table} s
              WHERE s.tenant_id = %(t)s AND s.currency = %(currency)s AND s.date >= %(since)s::date
                AND (%(until)s::date IS NULL OR s.date < %(until)s::date)
            ), moved AS (
              UPDATE {Sale._meta.db_table} AS s SET rate = f.rate, converted = s.amount * f.rate
              FROM fresh f WHERE s.id = f.id AND s.tenant_id = %(t)s AND s.rate IS DISTINCT FROM f.rate
              RETURNING f.date, f.before, s.converted AS after
            )
            SELECT to_char(date, 'YYYY-MM'), min(date), count(*), sum(before), sum(after)
            FROM moved GROUP BY 1 ORDER BY 1
            """,
            {"t": tenant.pk, **span.as_params()},
        )
        rows = cursor.fetchall()
    periods = [
        {
            "period": month,
            "sales": count,
            "before": str((before or Decimal(0)).quantize(CENT)),
            "after": str((after or Decimal(0)).quantize(CENT)),
        }
        for month, _first, count, before, after in rows
    ]
    quarters = sorted({period_containing(first).code for _month, first, *_rest in rows})
    return {
        **span.as_params(),
        "sales": sum(p["sales"] for p in periods),
        "periods": periods,
        "quarters": quarters,
    }


def sales_reconvert_audited(*, tenant, actor, span: Span, rate: ExchangeRate) -> dict:
    """``sales_reconvert`` and its audit entry on ``rate`` (the rate that caused it): each moved
    month's figure ``[before, after]`` and the quarters it falls in. Nothing moved, nothing recorded."""
    with transaction.atomic():
        moved = sales_reconvert(tenant=tenant, span=span)
        if moved["sales"]:
            audit_record(
                tenant=tenant,
                actor=actor,
                action=PartnerAudit.SALES_RECONVERTED,
                target=rate,
                changes={p["period"]: [p["before"], p["after"]] for p in moved["periods"]},
                reason=", ".join(moved["quarters"]),
            )
    return moved


def sales_reconvert_for_rates(*, tenant, actor, added: list[ExchangeRate], start_job) -> list[dict]:
    """After ``added`` rates are saved: re-convert the sales they apply to, in this transaction when
    they are at most ``PRM_RECONVERT_INLINE_SALES``, else by a job per currency (``start_job(span,
    rate)``, called inside the transaction: the job is sent once it commits). Returns what moved
    inline, per currency (the jobs' results say it for theirs)."""
    moved = []
    for span in spans_of_new_rates(tenant=tenant, added=added):
        cause = min((r for r in added if r.currency == span.currency), key=lambda r: r.date)
        limit = settings.PRM_RECONVERT_INLINE_SALES
        if _within(tenant, span).order_by()[: limit + 1].count() > limit:
            start_job(span, cause)
        else:
            moved.append(sales_reconvert_audited(tenant=tenant, actor=actor, span=span, rate=cause))
    return moved
