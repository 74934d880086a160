"""Payout runs: compute a draft (set-based), adjust it, approve it, export it."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from incentives.audit_actions import IncentiveAudit
from prm.audit.events import audit_record
from prm.notifications import notify
from prm.periods import parse_period
from prm.sql import aggregate_memory, insert_rows
from prm.webhooks.events import emit

from .. import run_warnings as checks
from ..choices import ClaimStatus, RuleKind, RunStatus
from ..facts import load_facts, paid_partners, partner_ranges
from ..models import (
    IncentiveRule,
    MdfClaim,
    PayoutChunk,
    PayoutLine,
    PayoutRun,
    PayoutRunWarning,
    PointsEntry,
)
from ..money import MissingRate, to_cents
from ..payloads import run_payload
from ..rules import RunContext, evaluate
from ..rules.base import Selection, lines_in_active_language
from . import four_eyes


def ensure_recomputable(run) -> None:
    """An approved period is never computed again (the rule's one home: pages, API and the job ask it)."""
    if run is not None and not run.is_draft:
        raise RunNotDraft(
            {
                "period": [
                    _("The run of %(p)s is approved; corrections go into a later run as adjustments.")
                    % {"p": run.period}
                ]
            }
        )


class RunNotDraft(ValidationError):
    """The run is approved already (the API answers 409)."""


@dataclass(frozen=True)
class RunPlan:
    """A computation of a period's run: the rules it pays (fixed for all its chunks) and the ranges
    of partners its chunks cover."""

    period: str
    token: str
    rule_ids: list[int]
    ranges: list[tuple[int, int | None]]


def payout_run_plan(*, tenant, period: str, chunk: int | None = None) -> RunPlan:
    """Plan the computation of ``period``'s draft: refused when the period's run is approved already."""
    period = parse_period(period)
    ensure_recomputable(PayoutRun.objects.for_tenant(tenant).filter(period=period.code).first())
    rules = IncentiveRule.objects.for_tenant(tenant).filter(is_current=True, active=True)
    return RunPlan(
        period=period.code,
        token=str(uuid.uuid4()),
        rule_ids=list(rules.values_list("pk", flat=True)),
        ranges=partner_ranges(tenant, chunk),
    )


def payout_run_compute(*, tenant, period: str, progress=None, rules=None, save: bool = True, chunk=None):
    """Compute (or recompute) the period's draft run; ``save=False`` only returns the lines (what-if).

    The paid partners are taken in ranges of ``settings.PRM_PAYOUT_CHUNK`` (``payout_chunk_compute``: a fixed
    number of queries each, memory bounded by the range, not the channel), then joined into the
    run in one transaction (``payout_run_join``). The ``incentives.compute_run`` job sends the
    ranges to several workers instead. Manual adjustment lines of the draft are kept.
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


@aggregate_memory()  # a range aggregates its sales as the whole channel does: hashed, not by index
def payout_chunk_compute(*, tenant, plan: RunPlan, index: int, rules=None) -> PayoutChunk:
    """Compute one range of partners of a planned run and keep its lines, points and warnings
    until the join (computing a range again replaces what it kept)."""
    period = parse_period(plan.period)
    low, high = plan.ranges[index]
    rules = list(rules) if rules is not None else _rules(tenant, plan.rule_ids)
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
    chunk, _created = PayoutChunk.objects.for_tenant(tenant).update_or_create(
        tenant=tenant,
        token=plan.token,
        index=index,
        defaults={"period": plan.period, "lines": staged, "points": points, "warnings": warnings},
    )
    return chunk


@aggregate_memory()
@transaction.atomic
def payout_run_join(*, tenant, plan: RunPlan):
    """Replace the draft's computed lines, points and warnings with the chunks' in one transaction,
    with the duplicate sales across all partners and the run's total."""
    period = parse_period(plan.period)
    chunks = PayoutChunk.objects.for_tenant(tenant).filter(token=plan.token)
    run = _draft_cleared(tenant, period)
    if chunks.count() != len(plan.ranges):
        raise RuntimeError(
            f"payout run {plan.period}: {chunks.count()} of {len(plan.ranges)} chunks computed"
        )
    _insert_staged(tenant, run, chunks)
    chunks.delete()
    stale = timezone.now() - timedelta(days=1)  # left by computations that died
    PayoutChunk.objects.for_tenant(tenant).filter(created_at__lt=stale).delete()
    return _finish(tenant, run, period)


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
    run.warnings_acknowledged, run.computed_at = False, timezone.now()
    run.acknowledgements = {}  # new warnings: checked again
    run.summary = run_summary(run, warnings=checks.counted(run))
    run.total = Decimal(run.summary["total"])
    run.save()
    return run


def run_summary(run, warnings: list[tuple[str, int]] | None = None) -> dict:
    """What the run's page and API show of its lines (per kind: total and count; how many partners:
    two aggregate queries) and of its ``warnings`` (per kind, how many: ``run_warnings.counted``),
    kept on the run (``PayoutRun.summary``). Without ``warnings``, those the run's summary keeps already."""
    rows = (
        PayoutLine.objects.for_tenant(run.tenant_id)
        .filter(run=run)
        .values("kind")
        .annotate(total=Sum("amount"), lines=Count("id"))
        .order_by("kind")
    )
    kinds = [
        {"kind": r["kind"], "total": str(to_cents(r["total"] or Decimal(0))), "lines": r["lines"]}
        for r in rows
    ]
    groups = (
        [{"code": code, "count": n} for code, n in warnings]
        if warnings is not None
        else [{"code": g["code"], "count": g["count"]} for g in (run.summary or {}).get("warnings", [])]
    )
    partners = (
        PayoutLine.objects.for_tenant(run.tenant_id)
        .filter(run=run)
        .aggregate(n=Count("partner", distinct=True))
    )
    return {
        "lines": sum(k["lines"] for k in kinds),
        "partners": partners["n"],
        "kinds": kinds,
        "total": str(to_cents(sum((Decimal(k["total"]) for k in kinds), Decimal(0)))),
        "warnings_count": sum(g["count"] for g in groups),
        "warnings": groups,
    }


def _write_lines(tenant, run, lines: list[ComputedLine]) -> None:
    """One range's lines and points into the run: one INSERT each, where a line's source is its
    sales' JSON (as the range's query built it) joined to its details."""
    if lines:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO incentives_payoutline
                  (tenant_id, run_id, partner_id, rule_id, rule_version, kind, amount, currency, explanation, source)
                SELECT %s, %s, l.partner_id, l.rule_id, l.rule_version, l.kind, l.amount, %s, l.explanation,
                       coalesce(l.sales::jsonb || l.details, l.details)
                FROM unnest(%s::bigint[], %s::bigint[], %s::integer[], %s::text[], %s::numeric[], %s::text[],
                            %s::jsonb[], %s::text[])
                  AS l(partner_id, rule_id, rule_version, kind, amount, explanation, details, sales)
                """,
                [
                    tenant.pk,
                    run.pk,
                    run.currency,
                    [line.partner_id for line in lines],
                    [line.rule.pk for line in lines],
                    [line.rule_version for line in lines],
                    [line.kind for line in lines],
                    [line.amount for line in lines],
                    [line.explanation for line in lines],
                    [json.dumps(line.details) for line in lines],
                    [line.sales.source_json if line.sales is not None else None for line in lines],
                ],
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


def _insert_staged(tenant, run, chunks) -> None:
    """The chunks' lines, points and warnings into the run: three INSERT … SELECT statements."""
    params = {
        "t": tenant.pk,
        "run": run.pk,
        "currency": run.currency,
        "ids": list(chunks.values_list("pk", flat=True)),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO incentives_payoutline
              (tenant_id, run_id, partner_id, rule_id, rule_version, kind, amount, currency, explanation, source)
            SELECT c.tenant_id, %(run)s, l.partner_id, l.rule_id, l.rule_version, l.kind, l.amount, %(currency)s,
                   l.explanation, coalesce(l.sales::jsonb || l.source, l.source)
            FROM incentives_payoutchunk c
            CROSS JOIN LATERAL jsonb_to_recordset(c.lines) AS l(partner_id bigint, rule_id bigint,
              rule_version integer, kind text, amount numeric, explanation text, source jsonb, sales text)
            WHERE c.tenant_id = %(t)s AND c.id = ANY(%(ids)s)
            ORDER BY c.index
            """,
            params,
        )
        cursor.execute(
            """
            INSERT INTO incentives_pointsentry (tenant_id, run_id, partner_id, rule_id, points, reason, created_at)
            SELECT c.tenant_id, %(run)s, p.partner_id, p.rule_id, p.points, p.reason, now()
            FROM incentives_payoutchunk c
            CROSS JOIN LATERAL jsonb_to_recordset(c.points) AS p(partner_id bigint, rule_id bigint,
              points integer, reason text)
            WHERE c.tenant_id = %(t)s AND c.id = ANY(%(ids)s)
            ORDER BY c.index
            """,
            params,
        )
        cursor.execute(
            f"""
            INSERT INTO incentives_payoutrunwarning ({", ".join(checks.COLUMNS)})
            SELECT c.tenant_id, %(run)s, w.code, w.rank, w.partner, w.position, w.params, w.facts
            FROM incentives_payoutchunk c
            CROSS JOIN LATERAL jsonb_to_recordset(c.warnings) AS w(code text, rank smallint, partner bigint,
              position integer, params jsonb, facts jsonb)
            WHERE c.tenant_id = %(t)s AND c.id = ANY(%(ids)s)
            """,
            params,
        )


def _total(run) -> Decimal:
    from django.db.models import Sum

    return to_cents(
        PayoutLine.objects.for_tenant(run.tenant_id).filter(run=run).aggregate(t=Sum("amount"))["t"]
        or Decimal(0)
    )


@transaction.atomic
def payout_adjustment_add(*, run, actor, partner, amount: Decimal, reason: str) -> PayoutLine:
    """A correction (positive or negative) added to a draft run, with its reason."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why.")]})
    run = PayoutRun.objects.for_tenant(run.tenant_id).select_for_update().get(pk=run.pk)  # vs. approval
    line = PayoutLine(
        tenant_id=run.tenant_id,
        run=run,
        partner=partner,
        kind="adjustment",
        amount=to_cents(Decimal(amount)),
        currency=run.currency,
        explanation=_("Adjustment: %(r)s") % {"r": reason},
        source={"reason": reason},
        created_by=actor,
    )
    line.save()  # refuses when the run is approved
    checks.adjustments(tenant=run.tenant_id, run=run)  # a second person acknowledges every adjustment
    run.acknowledgements.pop(checks.ADJUSTMENT, None)  # a new adjustment is checked again
    if run.summary is not None:  # (a run computed before summaries were kept shows its lines live)
        run.summary = run_summary(run, warnings=checks.counted(run))
    PayoutRun.objects.for_tenant(run.tenant_id).filter(pk=run.pk).update(
        total=_total(run), summary=run.summary, acknowledgements=run.acknowledgements
    )
    audit_record(
        tenant=run.tenant,
        actor=actor,
        action=IncentiveAudit.RUN_ADJUSTED,
        target=run,
        changes={"amount": [None, str(line.amount)]},
        reason=reason,
    )
    return line


@transaction.atomic
def payout_run_approve(*, run, actor, acknowledge_warnings: bool = False) -> PayoutRun:
    """Finance approves a draft: once, with the warnings acknowledged, never by someone who changed what
    it pays (``four_eyes``)."""
    run = PayoutRun.objects.for_tenant(run.tenant_id).select_for_update().get(pk=run.pk)
    if not run.is_draft:
        raise RunNotDraft({"detail": [_("This run is approved already.")]})
    four_eyes.refuse_own_changes(run, actor)
    used = PayoutLine.objects.for_tenant(run.tenant_id).filter(run=run, rule__isnull=False)
    open_kinds = checks.unacknowledged(run)
    if open_kinds and not acknowledge_warnings:
        raise ValidationError(
            {
                "acknowledge_warnings": [
                    _("This run has audit warnings nobody has acknowledged yet: %(kinds)s.")
                    % {"kinds": "; ".join(checks.label(code) for code in open_kinds)}
                ]
            }
        )
    for code in open_kinds:  # acknowledged with the approval
        run.acknowledgements[code] = _acknowledgement(actor)
    run.status, run.approved_by, run.approved_at = RunStatus.APPROVED, actor, timezone.now()
    warnings = checks.count(run)
    run.warnings_acknowledged = bool(warnings)
    run.save()
    for line in used.filter(kind=RuleKind.MDF):
        MdfClaim.objects.for_tenant(run.tenant_id).filter(pk=line.source.get("claim")).update(
            status=ClaimStatus.PAID, paid_line=line
        )
    _tell_partners(run)
    emit(tenant=run.tenant_id, name="payout_run.approved", data=lambda: run_payload(run))
    audit_record(
        tenant=run.tenant,
        actor=actor,
        action=IncentiveAudit.RUN_APPROVED,
        target=run,
        changes={"status": ["draft", "approved"], "total": [None, str(run.total)]},
        reason=_("%(n)d warnings acknowledged.") % {"n": warnings} if warnings else "",
    )
    return run


def _acknowledgement(actor) -> dict:
    return {
        "by": actor.pk,
        "name": actor.get_full_name() or actor.get_username(),
        "at": timezone.now().isoformat(),
    }


@transaction.atomic
def payout_run_acknowledge(*, run, actor, code: str) -> PayoutRun:
    """Finance has checked one kind of warning of a draft run (recorded with who and when)."""
    run = PayoutRun.objects.for_tenant(run.tenant_id).select_for_update().get(pk=run.pk)
    if not run.is_draft:
        raise RunNotDraft({"detail": [_("This run is approved already.")]})
    if code == checks.ADJUSTMENT and actor.pk in four_eyes.adjusters(run):
        raise ValidationError({"code": [_("You adjusted this run: someone else checks the adjustments.")]})
    count = checks.rows(run, code).count() if code else 0
    if not count:
        raise ValidationError({"code": [_("This run has no warnings of that kind.")]})
    if code not in run.acknowledgements:
        run.acknowledgements[code] = _acknowledgement(actor)
        run.save(update_fields=["acknowledgements"])
        audit_record(
            tenant=run.tenant,
            actor=actor,
            action=IncentiveAudit.WARNINGS_ACKNOWLEDGED,
            target=run,
            changes={"acknowledged": [None, f"{code} ({count})"]},
        )
    return run


@transaction.atomic
def payout_run_mark_exported(*, run, actor) -> PayoutRun:
    """Finance handed the export to the bank or ERP (an explicit step; downloading changes nothing).

    Once: a run exported or paid already stays as it is.
    """
    run = PayoutRun.objects.for_tenant(run.tenant_id).select_for_update().get(pk=run.pk)
    if run.status == RunStatus.DRAFT:
        raise ValidationError({"detail": [_("Approve the run before exporting it.")]})
    if run.status == RunStatus.APPROVED:
        run.status, run.exported_at = RunStatus.EXPORTED, timezone.now()
        run.save(allow_final=True, update_fields=["status", "exported_at"])
        audit_record(tenant=run.tenant, actor=actor, action=IncentiveAudit.RUN_EXPORTED, target=run)
    return run


def _tell_partners(run) -> None:
    """E-mail each paid partner's portal users that the run is approved (category "payouts")."""
    from collections import defaultdict

    from django.db.models import Sum

    from partners.models import PartnerUser

    totals = dict(
        PayoutLine.objects.for_tenant(run.tenant_id)
        .filter(run=run)
        .values_list("partner_id")
        .annotate(t=Sum("amount"))
    )
    users = defaultdict(list)
    links = PartnerUser.objects.for_tenant(run.tenant_id).filter(
        partner_id__in=totals, membership__is_active=True
    )
    for link in links.select_related("membership__user"):
        users[link.partner_id].append(link.membership.user)
    for partner_id, people in users.items():
        notify(
            tenant=run.tenant,
            users=people,
            category="payouts",
            subject=_("Payout approved: %(p)s") % {"p": run.period},
            template="notifications/payout_approved.txt",
            context={"run": run, "total": to_cents(totals[partner_id])},
        )
