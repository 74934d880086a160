"""Where KPI actuals come from: one aggregate query per source over a whole period.

A source is ``(tenant, period, kpi, partners=None) -> {partner_id: Decimal}``: ``partners``, a
partner id range ``(low, high)`` (``prm.ranges``), restricts it to the partners a chunk of the
compute measures. Scorecards declares its own in its plugs module (``kpi_sources = [Actuals(...)]``,
see ``prm.plugs``) and apps above it declare theirs alike (onboarding ``training``); a source
nobody declared has no data yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from partners.choices import DealStatus
from partners.models import DealRegistration, Sale, Visit
from prm.periods import Period
from prm.ranges import within

from .models import ManualValue, ProductRegistration, SatisfactionResult
from .programme import scorecard_programme_for

Source = Callable[..., dict[int, Decimal]]
_sources: dict[str, Source] = {}


@dataclass(frozen=True)
class Actuals:
    """Where the actuals of the KPI source ``source`` (a ``KpiSource``) come from: ``measure``."""

    source: str
    measure: Source


def register_source(declared: Actuals) -> None:
    """Set the source's measure (replacing one declared before); ``prm.plugs`` calls it for each
    ``kpi_sources`` entry."""
    _sources[declared.source] = declared.measure


def actuals(tenant, period: Period, kpi, partners=None) -> dict[int, Decimal | None] | None:
    """The KPI's value per partner (of the range ``partners``, when given) that has one; None when no
    source measures this KPI here."""
    source = _sources.get(kpi.source)
    return source(tenant, period, kpi, partners=partners) if source else None


def _in(period: Period, field: str = "date") -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _sales(tenant, partners):
    """Every sale (of the range ``partners``), read for its stored ``converted``: its amount in the
    tenant's currency at its date's rate (``prm.currency.conversion``); one without a rate counts
    nothing and the compute job reports it."""
    return within(Sale.objects.for_tenant(tenant), partners)


def sales_revenue(tenant, period, kpi=None, partners=None):
    rows = _sales(tenant, partners).filter(_in(period)).values("partner_id").annotate(v=Sum("converted"))
    return {r["partner_id"]: r["v"] or Decimal(0) for r in rows}


def revenue_growth(tenant, period, kpi=None, partners=None):
    """Percentage growth of revenue against the previous period (None where it had none)."""
    previous = period.previous()
    rows = (
        _sales(tenant, partners)
        .filter(date__gte=previous.start, date__lte=period.end)
        .values("partner_id")
        .annotate(now=Sum("converted", filter=_in(period)), before=Sum("converted", filter=_in(previous)))
    )
    # sold, but nothing the quarter before: growth is undefined (None, left out); sold nothing at
    # all: not in the answer, which counts as doing nothing (0 against the target)
    return {
        r["partner_id"]: (
            Decimal(100) * ((r["now"] or 0) - r["before"]) / r["before"]
            if r["before"] and r["before"] > 0
            else None
        )
        for r in rows
    }


def deal_registrations(tenant, period, kpi=None, partners=None):
    rows = (
        within(DealRegistration.objects.for_tenant(tenant), partners)
        .filter(registered_at__date__gte=period.start, registered_at__date__lte=period.end)
        .values("partner_id")
        .annotate(v=Count("id"))
    )
    return {r["partner_id"]: Decimal(r["v"]) for r in rows}


def win_rate(tenant, period, kpi=None, partners=None):
    rows = (
        within(DealRegistration.objects.for_tenant(tenant), partners)
        .filter(registered_at__date__gte=period.start, registered_at__date__lte=period.end)
        .values("partner_id")
        .annotate(
            won=Count("id", filter=Q(status=DealStatus.WON)),
            lost=Count("id", filter=Q(status=DealStatus.LOST)),
        )
    )
    # registered deals, none closed yet: undefined (None); registered nothing: not in the answer (0)
    return {
        r["partner_id"]: Decimal(100) * r["won"] / (r["won"] + r["lost"]) if r["won"] + r["lost"] else None
        for r in rows
    }


def visits(tenant, period, kpi=None, partners=None):
    rows = (
        within(Visit.objects.for_tenant(tenant), partners)
        .filter(_in(period))
        .values("partner_id")
        .annotate(v=Count("id"))
    )
    return {r["partner_id"]: Decimal(r["v"]) for r in rows}


def answered_in_time(tenant, period, kpi=None, partners=None):
    """% of the partner's deal registrations of the period the vendor decided within the programme's
    ``answer_within_days``. A registration still waiting past that counts as not answered; one still
    within it is left out (the vendor has time yet)."""

    allowed = timedelta(days=scorecard_programme_for(tenant).answer_within_days)
    waited = ExpressionWrapper(F("decided_at") - F("registered_at"), output_field=DurationField())
    rows = (
        within(DealRegistration.objects.for_tenant(tenant), partners)
        .filter(registered_at__date__gte=period.start, registered_at__date__lte=period.end)
        .filter(Q(decided_at__isnull=False) | Q(registered_at__lt=timezone.now() - allowed))
        .annotate(waited=waited)
        .values("partner_id")
        .annotate(n=Count("id"), in_time=Count("id", filter=Q(decided_at__isnull=False, waited__lte=allowed)))
    )
    return {r["partner_id"]: Decimal(100) * r["in_time"] / r["n"] for r in rows if r["n"]}


def product_registrations(tenant, period, kpi=None, partners=None):
    rows = (
        within(ProductRegistration.objects.for_tenant(tenant), partners)
        .filter(_in(period))
        .values("partner_id")
        .annotate(v=Count("id"))
    )
    return {r["partner_id"]: Decimal(r["v"]) for r in rows}


def satisfaction(tenant, period, kpi=None, partners=None):
    """Net promoter score: % promoters (9–10) minus % detractors (0–6)."""
    rows = (
        within(SatisfactionResult.objects.for_tenant(tenant), partners)
        .filter(_in(period))
        .values("partner_id")
        .annotate(
            n=Count("id"),
            promoters=Count("id", filter=Q(score__gte=9)),
            detractors=Count("id", filter=Q(score__lte=6)),
        )
    )
    return {
        r["partner_id"]: Decimal(100) * (r["promoters"] - r["detractors"]) / r["n"] for r in rows if r["n"]
    }


def manual(tenant, period, kpi, partners=None):
    rows = (
        within(ManualValue.objects.for_tenant(tenant), partners)
        .filter(period=period.code, kpi=kpi)
        .values_list("partner_id", "value")
    )
    return dict(rows)
