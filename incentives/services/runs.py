"""Payout runs: compute a draft (set-based), adjust it, approve it, export it."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from incentives.audit_actions import IncentiveAudit
from prm.audit.events import audit_record
from prm.notifications import notify
from prm.periods import parse_period
from prm.webhooks.events import emit

from .. import run_warnings as checks
from ..choices import ClaimStatus, RuleKind, RunStatus
from ..facts import load_facts
from ..models import IncentiveRule, MdfClaim, PayoutLine, PayoutRun, PointsEntry
from ..money import MissingRate, to_cents
from ..rules import RunContext, evaluate


def ensure_recomputable(run) -> None:
    """An approved period is never computed again (the rule's one home: pages, API and the job ask it)."""
    if run is not None and not run.is_draft:
        raise RunNotDraft(
            {
                "period": [
                    _("The run of %(p)s is approved; corrections go into a later run as adjustments.")
                    % {"p": run.period}
                ]
            }  # fmt: skip
        )


class RunNotDraft(ValidationError):
    """The run is approved already (the API answers 409)."""


def payout_run_compute(*, tenant, period: str, progress=None, rules=None, save: bool = True):
    """Compute (or recompute) the period's draft run; ``save=False`` only returns the lines (what-if).

    Queries: the rules, the facts (a fixed number, see ``facts.load_facts``),
    the partners' history for the audits, then a delete and batched inserts.
    Manual adjustment lines of the draft are kept across recomputes.
    """
    period = parse_period(period)
    if rules is None:
        rules = list(IncentiveRule.objects.for_tenant(tenant).filter(is_current=True, active=True))
    try:
        facts = load_facts(tenant, period)
    except MissingRate as exc:
        raise ValidationError({"period": [str(exc)]}) from exc
    if progress:
        progress(0.5)
    context = RunContext(period=period, currency=tenant.currency)
    lines, points = [], []
    for partner_facts in facts.values():
        for rule in rules:
            for draft in evaluate(rule, partner_facts, context):
                line = PayoutLine(
                    tenant=tenant, partner_id=partner_facts.partner_id, rule=rule, rule_version=rule.version,
                    kind=rule.kind, amount=to_cents(draft.amount), currency=tenant.currency,
                    explanation=f"{rule.name}: {draft.explanation}", source=draft.source,
                )  # fmt: skip
                lines.append(line)
                if draft.points:
                    points.append((partner_facts.partner_id, rule, draft.points, line.explanation))
    if not save:
        return lines
    with transaction.atomic():
        run, _created = (
            PayoutRun.objects.for_tenant(tenant)
            .select_for_update()
            .get_or_create(tenant=tenant, period=period.code, defaults={"currency": tenant.currency})
        )
        ensure_recomputable(run)
        warnings = checks.run_warnings(tenant=tenant, run=run, facts=facts, lines=lines)
        PayoutLine.objects.for_tenant(tenant).filter(run=run).exclude(kind="adjustment").delete()
        PointsEntry.objects.for_tenant(tenant).filter(run=run).delete()
        for line in lines:
            line.run = run
        PayoutLine.objects.for_tenant(tenant).bulk_create(lines, batch_size=2000)
        PointsEntry.objects.for_tenant(tenant).bulk_create(
            [
                PointsEntry(tenant=tenant, partner_id=p, run=run, rule=r, points=n, reason=why[:255])
                for p, r, n, why in points
            ]
        )
        run.warnings, run.warnings_acknowledged, run.computed_at = warnings, False, timezone.now()
        run.acknowledgements = {}  # new warnings: checked again
        run.total = _total(run)
        run.save()
    return run


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
    line = PayoutLine(
        tenant_id=run.tenant_id, run=run, partner=partner, kind="adjustment", amount=to_cents(Decimal(amount)),
        currency=run.currency, explanation=_("Adjustment: %(r)s") % {"r": reason}, source={"reason": reason},
        created_by=actor,
    )  # fmt: skip
    line.save()  # refuses when the run is approved
    PayoutRun.objects.for_tenant(run.tenant_id).filter(pk=run.pk).update(total=_total(run))
    audit_record(tenant=run.tenant, actor=actor, action=IncentiveAudit.RUN_ADJUSTED, target=run,
                 changes={"amount": [None, str(line.amount)]}, reason=reason)  # fmt: skip
    return line


@transaction.atomic
def payout_run_approve(*, run, actor, acknowledge_warnings: bool = False) -> PayoutRun:
    """Finance approves a draft: once, with the warnings acknowledged, never by a rule's last editor."""
    run = PayoutRun.objects.for_tenant(run.tenant_id).select_for_update().get(pk=run.pk)
    if not run.is_draft:
        raise RunNotDraft({"detail": [_("This run is approved already.")]})
    used = PayoutLine.objects.for_tenant(run.tenant_id).filter(run=run, rule__isnull=False)
    keys = set(used.values_list("rule__key", flat=True))
    edited = IncentiveRule.objects.for_tenant(run.tenant_id).filter(
        Q(pk__in=used.values("rule_id")) | Q(key__in=keys, is_current=True), edited_by=actor
    )
    if edited.exists():
        raise ValidationError(
            {"detail": [_("You last edited a rule this run pays; someone else must approve it.")]}
        )
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
    run.warnings_acknowledged = bool(run.warnings)
    run.save()
    for line in used.filter(kind=RuleKind.MDF):
        MdfClaim.objects.for_tenant(run.tenant_id).filter(pk=line.source.get("claim")).update(
            status=ClaimStatus.PAID, paid_line=line
        )
    _tell_partners(run)
    emit(tenant=run.tenant_id, name="payout_run.approved", data=lambda: _run_data(run))
    audit_record(
        tenant=run.tenant, actor=actor, action=IncentiveAudit.RUN_APPROVED, target=run,
        changes={"status": ["draft", "approved"], "total": [None, str(run.total)]},
        reason=_("%(n)d warnings acknowledged.") % {"n": len(run.warnings)} if run.warnings else "",
    )  # fmt: skip
    return run


def _run_data(run) -> dict:
    """The run as the API shows it (for webhooks)."""
    from ..api.serializers import PayoutRunSerializer
    from ..selectors import run_list

    return dict(PayoutRunSerializer(run_list(tenant=run.tenant_id).get(pk=run.pk)).data)


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
    count = sum(1 for w in run.warnings if w["code"] == code)
    if not count:
        raise ValidationError({"code": [_("This run has no warnings of that kind.")]})
    if code not in run.acknowledgements:
        run.acknowledgements[code] = _acknowledgement(actor)
        run.save(update_fields=["acknowledgements"])
        audit_record(
            tenant=run.tenant, actor=actor, action=IncentiveAudit.WARNINGS_ACKNOWLEDGED, target=run,
            changes={"acknowledged": [None, f"{code} ({count})"]},
        )  # fmt: skip
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
            tenant=run.tenant, users=people, category="payouts",
            subject=_("Payout approved: %(p)s") % {"p": run.period}, template="notifications/payout_approved.txt",
            context={"run": run, "total": to_cents(totals[partner_id])},
        )  # fmt: skip
