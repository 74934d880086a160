"""Payout runs once computed: adjust a draft, acknowledge its warnings, approve it, export it.

Computing a run's draft is ``services.run_compute`` (``payout_run_compute``, kept importable from
here); whether a run may still change and what it sums up to are ``services.drafts``.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from incentives.audit_actions import IncentiveAudit
from partners.models import PartnerUser
from prm.audit.events import audit_record
from prm.notifications import notify
from prm.webhooks.events import emit

from .. import run_checks, run_warnings
from ..choices import ClaimStatus, RuleKind, RunStatus
from ..models import MdfClaim, PayoutLine, PayoutRun
from ..money import to_cents
from ..payloads import run_payload
from . import four_eyes
from .drafts import RunNotDraft as RunNotDraft  # (re-exported: the API and pages catch it here)
from .drafts import ensure_recomputable as ensure_recomputable  # (re-exported, as ``RunNotDraft``)
from .drafts import run_summary
from .run_compute import payout_run_compute as payout_run_compute  # (re-exported: callers find it here)


def _total(run) -> Decimal:
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
    run_checks.adjustments(tenant=run.tenant_id, run=run)  # a second person acknowledges every adjustment
    run.acknowledgements.pop(run_warnings.ADJUSTMENT, None)  # a new adjustment is checked again
    if run.summary is not None:  # (a run computed before summaries were kept shows its lines live)
        run.summary = run_summary(run, warnings=run_warnings.counted(run))
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
    open_kinds = run_warnings.unacknowledged(run)
    if open_kinds and not acknowledge_warnings:
        raise ValidationError(
            {
                "acknowledge_warnings": [
                    _("This run has audit warnings nobody has acknowledged yet: %(kinds)s.")
                    % {"kinds": "; ".join(run_warnings.label(code) for code in open_kinds)}
                ]
            }
        )
    for code in open_kinds:  # acknowledged with the approval
        run.acknowledgements[code] = _acknowledgement(actor)
    run.status, run.approved_by, run.approved_at = RunStatus.APPROVED, actor, timezone.now()
    warnings = run_warnings.count(run)
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
    if code == run_warnings.ADJUSTMENT and actor.pk in four_eyes.adjusters(run):
        raise ValidationError({"code": [_("You adjusted this run: someone else checks the adjustments.")]})
    count = run_warnings.rows(run, code).count() if code else 0
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
