"""Computing a payout run's draft, set-based: in one process, or over ranges of partners on workers.

The paid partners are cut into ranges of ``PRM_PAYOUT_CHUNK`` (``RunPlan``). For each range the
facts are loaded (``facts.load_facts``: a fixed number of queries, the sales counted and summed in
the database), every rule is evaluated on every partner (``ComputedLine``), and the range's lines,
points and warnings are written. In one process (``payout_run_compute``) each range is written
straight into the locked draft; the ``incentives.compute_run`` job runs the computation ``PAYOUTS``
(``prm.jobs.computations``), which keeps each range's lines as JSON on a worker and lets the last
range insert them all with one ``INSERT … SELECT`` each (``queries.chunk_lines_insert`` …). Either
way the draft is replaced in one transaction, with the duplicate sales across all partners and the
total (``_finish``). Adjusting, approving and exporting a run are ``services.runs``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from prm.jobs.computations import Computation, Plan, register
from prm.periods import parse_period
from prm.sql import aggregate_memory, insert_rows

from .. import run_checks as checks
from .. import run_warnings
from ..facts import load_facts, paid_partners, partner_ranges
from ..models import IncentiveRule, PayoutLine, PayoutRun, PayoutRunWarning, PointsEntry
from ..money import MissingRate, to_cents
from ..queries import chunk_lines_insert, chunk_points_insert, chunk_warnings_insert, payout_lines_insert
from ..rules import RunContext, evaluate
from ..rules.base import Selection, lines_in_active_language
from .drafts import ensure_recomputable, run_summary
from .run_periods import ensure_started


@dataclass(kw_only=True, slots=True)
class RunPlan(Plan):
    """A computation of a period's run: the rules it pays (fixed for all its chunks) and the ranges
    of partners its chunks cover."""

    period: str
    rule_ids: list[int]


def payout_run_plan(*, tenant, period: str, chunk: int | None = None) -> RunPlan:
    """Plan the computation of ``period``'s draft: refused when the period has not started or its
    run is approved already."""
    period = parse_period(period)
    ensure_started(period)
    ensure_recomputable(PayoutRun.objects.for_tenant(tenant).filter(period=period.code).first())
    rules = IncentiveRule.objects.for_tenant(tenant).filter(is_current=True, active=True)
    return RunPlan(
        period=period.code,
        rule_ids=list(rules.values_list("pk", flat=True)),
        ranges=partner_ranges(tenant, chunk),
    )


def payout_run_compute(*, tenant, period: str, progress=None, rules=None, save: bool = True, chunk=None):
    """Compute (or recompute) the period's draft run; ``save=False`` only returns the lines (what-if).

    The paid partners are taken in ranges of ``settings.PRM_PAYOUT_CHUNK`` (a fixed number of
    queries each, memory bounded by the range, not the channel), each written straight into the
    draft, all in one transaction. The ``incentives.compute_run`` job sends the ranges to several
    workers instead (``PayoutRunCompute``). Manual adjustment lines of the draft are kept.
    """
    if not save:
        period = parse_period(period)
        rules = list(rules) if rules is not None else _rules(tenant, None)
        return [
            line
            for low, high in partner_ranges(tenant, chunk)
            for line in _evaluate(tenant, period, rules, _facts(tenant, period, low, high, rules))
        ]
    plan = payout_run_plan(tenant=tenant, period=period, chunk=chunk)
    rules = list(rules) if rules is not None else _rules(tenant, plan.rule_ids)
    return _compute_in_place(tenant, plan, rules, progress)


@aggregate_memory()
@transaction.atomic
def _compute_in_place(tenant, plan: RunPlan, rules, progress):
    """The planned run in this process: its draft locked and cleared, then each range of partners
    computed and written straight into it with its warnings, then the duplicate sales across all
    partners and the total, in one transaction (a range that fails leaves the draft as it was)."""
    period = parse_period(plan.period)
    run = _draft_cleared(tenant, period)
    for index, (low, high) in enumerate(plan.ranges):
        facts = _facts(tenant, period, low, high, rules)
        lines = _evaluate(tenant, period, rules, facts)
        _write_lines(tenant, run, lines)
        checks.write(
            tenant=tenant, run=run, warnings=checks.chunk_warnings(tenant=tenant, facts=facts, lines=lines)
        )
        del facts, lines  # (the next range's take their place, not join them)
        if progress:
            progress(0.9 * (index + 1) / len(plan.ranges))
    return _finish(tenant, run, period)


def _rules(tenant, ids):
    rules = IncentiveRule.objects.for_tenant(tenant)
    rules = rules.filter(pk__in=ids) if ids is not None else rules.filter(is_current=True, active=True)
    return list(rules)


def _facts(tenant, period, low, high, rules):
    try:
        return load_facts(tenant, period, low, high, rules)
    except MissingRate as exc:
        raise ValidationError({"period": [str(exc)]}) from exc


@dataclass(slots=True)
class ComputedLine:
    """A line as a rule computed it, before it is kept (what-if shows these without saving)."""

    partner_id: int
    rule: IncentiveRule
    kind: str
    amount: Decimal  # rounded once, to cents
    explanation: str
    details: dict  # the source besides the sales (``Draft.details``)
    points: int = 0
    sales: Selection | None = None

    @property
    def rule_version(self):
        return self.rule.version

    @property
    def source(self) -> dict:
        return {**self.sales.source, **self.details} if self.sales is not None else self.details


def _evaluate(tenant, period, rules, facts) -> list[ComputedLine]:
    """Every rule on every partner of ``facts``, rounded once to cents here."""
    context = RunContext(period=period, currency=tenant.currency)
    with lines_in_active_language():
        return [
            ComputedLine(
                partner_id=partner_facts.partner_id,
                rule=rule,
                kind=rule.kind,
                amount=to_cents(draft.amount),
                explanation=f"{rule.name}: {draft.explanation}",
                details=draft.details,
                points=draft.points,
                sales=draft.sales,
            )
            for partner_facts in facts.values()
            for rule in rules
            for draft in evaluate(rule, partner_facts, context)
        ]


def _draft_cleared(tenant, period) -> PayoutRun:
    """The period's draft, locked for this transaction, without its computed lines, points and
    warnings (its manual adjustments stay); refused when the period's run is approved."""
    run, _created = (
        PayoutRun.objects.for_tenant(tenant)
        .select_for_update()
        .get_or_create(tenant=tenant, period=period.code, defaults={"currency": tenant.currency})
    )
    ensure_recomputable(run)
    PayoutLine.objects.for_tenant(tenant).filter(run=run).exclude(kind="adjustment").delete()
    PointsEntry.objects.for_tenant(tenant).filter(run=run).delete()
    PayoutRunWarning.objects.for_tenant(tenant).filter(run=run).delete()
    return run


def _finish(tenant, run, period) -> PayoutRun:
    """The run's duplicate sales across all partners (the ranges wrote the rest of its warnings),
    checked again by nobody yet, and its total."""
    checks.duplicate_sales(tenant=tenant, run=run, period=period, partners=paid_partners(tenant))
    checks.adjustments(tenant=tenant, run=run)  # the adjustments the recompute kept
    for check in run_warnings.run_checks():  # the kinds other apps find (``run_checks`` plugs)
        check.write(tenant=tenant, run=run, period=period, partners=paid_partners(tenant), rank=check.rank)
    run.warnings_acknowledged, run.computed_at = False, timezone.now()
    run.acknowledgements = {}  # new warnings: checked again
    run.summary = run_summary(run, warnings=run_warnings.counted(run))
    run.total = Decimal(run.summary["total"])
    run.save()
    return run


def _write_lines(tenant, run, lines: list[ComputedLine]) -> None:
    """One range's lines and points into the run: one INSERT each, where a line's source is its
    sales' JSON (as the range's query built it) joined to its details."""
    payout_lines_insert(
        tenant_id=tenant.pk,
        run_id=run.pk,
        currency=run.currency,
        partner_ids=[line.partner_id for line in lines],
        rule_ids=[line.rule.pk for line in lines],
        rule_versions=[line.rule_version for line in lines],
        kinds=[line.kind for line in lines],
        amounts=[line.amount for line in lines],
        explanations=[line.explanation for line in lines],
        details=[json.dumps(line.details) for line in lines],
        sales=[line.sales.source_json if line.sales is not None else None for line in lines],
    )
    insert_rows(
        PointsEntry,
        ["tenant_id", "run_id", "partner_id", "rule_id", "points", "reason", "created_at"],
        [
            (
                tenant.pk,
                run.pk,
                line.partner_id,
                line.rule.pk,
                line.points,
                line.explanation[:255],
                timezone.now(),
            )
            for line in lines
            if line.points
        ],
        tenant_id=tenant.pk,
    )


class PayoutRunCompute(Computation):
    """A period's draft run over ranges of partners: each range computes its lines, points and
    warnings and keeps them as JSON; the join replaces the draft's computed lines with all of them
    (three ``INSERT … SELECT`` from the kept JSON, none of it read into Python), with the duplicate
    sales across all partners and the total, as ``payout_run_compute`` does in one process.
    A missing exchange rate fails the computation in its own words."""

    name = "incentives.payout_run"
    label = "payout run"
    plan_class = RunPlan

    def plan(self, tenant, *, period: str, chunk: int | None = None, **params) -> RunPlan:
        return payout_run_plan(tenant=tenant, period=period, chunk=chunk)

    def measure(self, tenant, plan: RunPlan, index: int) -> dict:
        """``{"lines": [...], "points": [...], "warnings": [...]}`` of the range, as the join's
        statements read them (``queries.chunk_lines_insert`` and the two after it)."""
        period = parse_period(plan.period)
        low, high = plan.ranges[index]
        rules = _rules(tenant, plan.rule_ids)
        facts = _facts(tenant, period, low, high, rules)
        lines = _evaluate(tenant, period, rules, facts)
        warnings = checks.chunk_warnings(tenant=tenant, facts=facts, lines=lines)
        staged = [
            {
                "partner_id": line.partner_id,
                "rule_id": line.rule.pk,
                "rule_version": line.rule_version,
                "kind": line.kind,
                "amount": str(line.amount),
                "explanation": line.explanation,
                "source": line.details,
                "sales": line.sales.source_json if line.sales is not None else None,
            }
            for line in lines
        ]
        points = [
            {
                "partner_id": line.partner_id,
                "rule_id": line.rule.pk,
                "points": line.points,
                "reason": line.explanation[:255],
            }
            for line in lines
            if line.points
        ]
        return {"lines": staged, "points": points, "warnings": warnings}

    def join(self, tenant, plan: RunPlan, chunks) -> PayoutRun:
        period = parse_period(plan.period)
        run = _draft_cleared(tenant, period)
        ids = chunks.ids()
        chunk_lines_insert(tenant_id=tenant.pk, run_id=run.pk, currency=run.currency, chunk_ids=ids)
        chunk_points_insert(tenant_id=tenant.pk, run_id=run.pk, chunk_ids=ids)
        chunk_warnings_insert(tenant_id=tenant.pk, run_id=run.pk, chunk_ids=ids)
        return _finish(tenant, run, period)

    def in_place(self, tenant, plan: RunPlan, progress=None) -> PayoutRun:
        return _compute_in_place(tenant, plan, _rules(tenant, plan.rule_ids), progress)

    def result(self, tenant, outcome: PayoutRun) -> dict:
        return {
            "run": outcome.pk,
            "period": outcome.period,
            "total": str(outcome.total),
            "warnings": outcome.summary["warnings_count"],
            "url": reverse("incentives:run", kwargs={"tenant": tenant.slug, "pk": outcome.pk}),
        }

    def describe(self, plan: RunPlan) -> str:
        return f"payout run {plan.period}"


PAYOUTS = register(PayoutRunCompute())
