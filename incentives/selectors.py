"""Reads of incentives' data, scoped to a tenant."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.utils import timezone

from partners.models import Partner
from prm.currency.models import ExchangeRate

from .choices import RunStatus
from .models import (
    IncentiveRule,
    MdfClaim,
    MdfRequest,
    Payment,
    PayoutLine,
    PayoutRun,
    PayoutRunWarning,
    PointsEntry,
)
from .money import to_cents
from .rules.describe import describe


def rule_list(*, tenant, current_only: bool = True):
    queryset = IncentiveRule.objects.for_tenant(tenant).select_related("edited_by")
    return queryset.filter(is_current=True) if current_only else queryset


def rules_for_partner(*, tenant, partner, today=None):
    """The current, active rules a partner is paid by (or may be, this period or later): those whose
    tier, stage and region conditions it meets and whose validity has not ended. A queryset."""

    today = today or timezone.localdate()
    ids = [
        rule.pk
        for rule in IncentiveRule.objects.for_tenant(tenant)
        .filter(is_current=True, active=True)
        .only("id", "tiers", "stages", "regions", "valid_to")
        if (not rule.tiers or partner.tier in rule.tiers)
        and (not rule.stages or partner.stage in rule.stages)
        and (not rule.regions or partner.region in rule.regions)
        and (rule.valid_to is None or rule.valid_to >= today)
    ]
    return rule_list(tenant=tenant).filter(pk__in=ids)


def in_words(rules, *, tenant) -> list:
    """The rules, each with ``params_in_words`` (its parameters as a sentence)."""

    rules = list(rules)
    for rule in rules:
        rule.params_in_words = describe(rule.kind, rule.params, tenant.currency)
    return rules


def run_summaries(*, tenant):
    """``run_list`` for lists of runs: each run's number of warnings, as its summary keeps it or
    counted over its rows (a run computed before summaries were kept)."""
    kept = Cast(KT("summary__warnings_count"), IntegerField())
    rows = (
        PayoutRunWarning.objects.for_tenant(tenant)
        .filter(run=OuterRef("pk"))
        .order_by()
        .values("run")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return run_list(tenant=tenant).annotate(
        warnings_count=Coalesce(kept, Subquery(rows, output_field=IntegerField()), 0)
    )


def run_list(*, tenant):
    """Runs, newest period first, each with its number of lines: counted per run shown (a
    subquery over the run's index), not by grouping every line of every run before the page."""
    lines = (
        PayoutLine.objects.for_tenant(tenant)
        .filter(run=OuterRef("pk"))
        .order_by()
        .values("run")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        PayoutRun.objects.for_tenant(tenant)
        .select_related("approved_by")
        .annotate(
            lines_count=Coalesce(
                Cast(KT("summary__lines"), IntegerField()), Subquery(lines, output_field=IntegerField()), 0
            )
        )
        .order_by("-period", "-id")
    )


def accruals(*, tenant) -> dict:
    """Where the money of every period stands: accrued in a draft run (not approved yet), approved and
    not yet paid, paid (two aggregate queries, one row per run).

    A draft's total is the period's accrual: what the programme owes if finance approves it as it is.
    """

    paid = (
        Payment.objects.for_tenant(tenant)
        .filter(run=OuterRef("pk"))
        .values("run")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    money = DecimalField(max_digits=16, decimal_places=2)
    runs = list(
        PayoutRun.objects.for_tenant(tenant)
        .annotate(paid=Coalesce(Subquery(paid, output_field=money), Value(0, output_field=money)))
        .order_by("-period")
        .values("id", "period", "status", "currency", "total", "paid")
    )
    totals = {"accrued": Decimal(0), "payable": Decimal(0), "paid": Decimal(0)}
    for row in runs:
        row["accrued"] = row["total"] if row["status"] == RunStatus.DRAFT else Decimal(0)
        row["payable"] = (
            Decimal(0) if row["status"] == RunStatus.DRAFT else max(row["total"] - row["paid"], Decimal(0))
        )
        for key in totals:
            totals[key] += row[key]
    return {"currency": tenant.currency, "runs": runs, "totals": {k: to_cents(v) for k, v in totals.items()}}


def line_list(*, tenant, run):
    return PayoutLine.objects.for_tenant(tenant).filter(run=run).select_related("partner", "rule")


def run_totals(*, tenant, run) -> dict:
    """Totals per kind and overall (kept on the run, or one aggregate query); per partner, see
    ``run_partner_totals``."""
    if run.summary is not None:  # kept when the run was computed or adjusted
        per_kind = [{**kind, "total": Decimal(kind["total"])} for kind in run.summary["kinds"]]
    else:
        lines = PayoutLine.objects.for_tenant(tenant).filter(run=run)
        per_kind = list(
            lines.values("kind").annotate(total=Sum("amount"), lines=Count("id")).order_by("kind")
        )
    labels = dict(PayoutLine._meta.get_field("kind").choices)
    for row in per_kind:
        row["total"] = _cents(row["total"])
        row["label"] = labels.get(row["kind"], row["kind"])
    return {"per_kind": per_kind, "total": run.total, "currency": run.currency}


def run_partner_totals(*, tenant, run):
    """Each partner's total and number of lines in the run, by name: ``partner_id``, ``name``,
    ``payee_reference``, ``total``, ``lines`` (a queryset to paginate).

    Partners are walked in name order and each one's lines summed from the (run, partner) index,
    so a page of 50 reads those 50 partners' lines, not every line of a run over the whole channel.
    """
    lines = PayoutLine.objects.for_tenant(tenant).filter(run=run, partner=OuterRef("pk")).order_by()
    per_partner = lines.values("partner")
    return (
        run_partners(tenant=tenant, run=run)
        .annotate(
            total=Subquery(per_partner.annotate(s=Sum("amount")).values("s")),
            lines=Subquery(per_partner.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        )
        .order_by("name", "pk")
        .values("name", "payee_reference", "total", "lines", partner_id=F("pk"))
    )


def run_partners(*, tenant, run):
    """The partners with a line in the run (what ``run_partner_totals`` lists)."""

    lines = PayoutLine.objects.for_tenant(tenant).filter(run=run, partner=OuterRef("pk"))
    return Partner.objects.for_tenant(tenant).filter(Exists(lines))


def run_partner_ids(*, tenant, run):
    """The ids of the partners with a line in the run: as many rows as ``run_partners``, counted from
    the (tenant, run, partner) index alone."""
    return PayoutLine.objects.for_tenant(tenant).filter(run=run).order_by().values("partner_id").distinct()


def _cents(total):
    """A sum of cent amounts shown as cents: an empty Sum is None; a kind whose lines sum
    to 0.00 (points) is a real zero."""
    return to_cents(total if total is not None else 0)


def export_rows(*, tenant, run) -> list[dict]:
    """One row per partner and rule: what finance pays (one aggregate query).

    Money only: points are not paid and are exported apart (``export_points``).
    """
    rows = list(
        PayoutLine.objects.for_tenant(tenant)
        .filter(run=run)
        .exclude(kind="points")
        .values("partner_id", "partner__name", "partner__payee_reference", "rule__name", "kind")
        .annotate(amount=Sum("amount"))
        .order_by("partner__name", "partner_id", "kind", "rule__name")
    )
    for row in rows:
        row["amount"] = to_cents(row["amount"])
    return rows


def amounts_owed(*, tenant, run) -> dict:
    """{partner id: what the run owes it}: money lines summed per partner, above zero (one query)."""
    rows = (
        PayoutLine.objects.for_tenant(tenant)
        .filter(run=run)
        .exclude(kind="points")
        .values("partner_id")
        .annotate(total=Sum("amount"))
        .filter(total__gt=0)
    )
    return {row["partner_id"]: to_cents(row["total"]) for row in rows}


def payment_list(*, tenant):
    return Payment.objects.for_tenant(tenant).select_related("partner", "run", "recorded_by")


def export_points(*, tenant, run) -> list[dict]:
    """Points earned in the run, per partner (one aggregate query)."""
    return list(
        PointsEntry.objects.for_tenant(tenant)
        .filter(run=run)
        .values("partner_id", "partner__name", "partner__payee_reference")
        .annotate(points=Sum("points"))
        .order_by("partner__name")
    )


def rates(*, tenant):
    return ExchangeRate.objects.for_tenant(tenant)


def approved_only(queryset):
    """Rows (lines, points) that are in no draft run: what statements show; a draft is finance's
    work in progress. The one place this rule lives."""
    return queryset.exclude(run__status=RunStatus.DRAFT)


def visible_to(queryset, access):
    """Partner users see rows of approved runs only; staff see drafts too."""
    return approved_only(queryset) if access.is_partner else queryset


def statement_run(*, tenant, run_id, access):
    """The run a statement is asked for: 404 if it does not exist here, or is a draft for a partner."""

    run = PayoutRun.objects.for_tenant(tenant).select_related("tenant").filter(pk=run_id).first()
    if run is None or (access.is_partner and run.is_draft):
        raise Http404
    return run


def points_list(*, tenant):
    return PointsEntry.objects.for_tenant(tenant).select_related("partner", "run")


def mdf_requests(*, tenant):
    return MdfRequest.objects.for_tenant(tenant).select_related("partner", "rule")


def mdf_claims(*, tenant):
    return MdfClaim.objects.for_tenant(tenant).select_related("request__partner", "paid_line")
