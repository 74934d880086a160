"""MDF requests and claims: plan, approval, proof, payment through a payout run."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from incentives.audit_actions import IncentiveAudit
from partners.choices import BenefitKind
from partners.tiering.benefits import benefit_values
from prm.audit.events import audit_record
from prm.files import JPEG, PDF, PNG, check_upload
from prm.periods import parse_period

from .. import mdf_budget
from ..choices import ClaimStatus, MdfStatus, RuleKind
from ..mdf_budget import money
from ..models import IncentiveRule, MdfClaim, MdfRequest
from ..programme import incentive_programme_for


@transaction.atomic
def mdf_request_create(*, tenant, actor, partner, rule, period: str, plan: str, amount) -> MdfRequest:
    if rule.kind != RuleKind.MDF or not rule.is_current or not rule.active:
        raise ValidationError({"rule": [_("Choose an active MDF programme.")]})
    shares = benefit_values(tenant, BenefitKind.MDF_SHARE)
    if shares and not shares.get(partner.tier):  # the tiers' benefits say who may request MDF
        raise ValidationError(
            {
                "partner": [
                    _("Tier %(tier)s gives no MDF budget (tier benefits); tiers %(tiers)s do.")
                    % {
                        "tier": partner.tier or "—",
                        "tiers": ", ".join(sorted(t for t, v in shares.items() if v)),
                    }
                ]
            }
        )
    request = MdfRequest(
        tenant=tenant,
        partner=partner,
        rule=rule,
        period=parse_period(period).code,
        plan=plan,
        amount=amount,
        requested_by=actor,
    )
    request.full_clean(exclude=["tenant", "partner", "rule", "requested_by", "decided_by"])
    request.save()
    audit_record(
        tenant=tenant,
        actor=actor,
        action=IncentiveAudit.MDF_REQUESTED,
        target=request,
        changes={"amount": [None, str(amount)], "period": [None, request.period]},
    )
    return request


@transaction.atomic
def mdf_request_decide(*, request: MdfRequest, actor, approve: bool, note: str = "") -> MdfRequest:
    """Approve or reject an open request. An approval must fit the budget of the request's partner, rule
    and period (``incentives.mdf_budget``): what is committed already and this request together; it
    is refused with the figures otherwise. The budget is locked meanwhile, so that two approvals sent at
    once cannot both pass."""
    rule_key = (
        IncentiveRule.objects.for_tenant(request.tenant_id)
        .values_list("key", flat=True)
        .get(pk=request.rule_id)
    )
    mdf_budget.lock(
        tenant_id=request.tenant_id, partner_id=request.partner_id, rule_key=rule_key, period=request.period
    )
    request = MdfRequest.objects.for_tenant(request.tenant_id).select_for_update().get(pk=request.pk)
    if request.status != MdfStatus.REQUESTED:
        raise ValidationError({"status": [_("Only an open request can be decided.")]})
    if approve:
        budget = _budget(request, rule_key)
        if budget.committed + request.amount > budget.budget:
            raise ValidationError(
                {
                    "amount": [
                        _(
                            "Budget %(budget)s %(currency)s for %(period)s; %(committed)s committed; this request asks "
                            "%(amount)s; %(remaining)s remains."
                        )
                        % {
                            "budget": money(budget.budget),
                            "currency": budget.currency,
                            "period": budget.period,
                            "committed": money(budget.committed),
                            "amount": money(request.amount),
                            "remaining": money(budget.remaining),
                        }
                    ]
                }
            )
    request.status = MdfStatus.APPROVED if approve else MdfStatus.REJECTED
    request.decided_by, request.decision_note = actor, note
    request.save(update_fields=["status", "decided_by", "decision_note"])
    audit_record(
        tenant=request.tenant,
        actor=actor,
        action=IncentiveAudit.MDF_REQUEST_DECIDED,
        target=request,
        changes={"status": ["requested", request.status]},
        reason=note,
    )
    return request


def _budget(request: MdfRequest, rule_key) -> mdf_budget.MdfBudget:
    """The budget a decision on ``request`` (or one of its claims) is taken against, as it is now;
    refused when it cannot be computed."""
    budget = mdf_budget.budget_of(
        tenant=request.tenant,
        partner_id=request.partner_id,
        rule_key=rule_key,
        period=parse_period(request.period),
    )
    if budget is None:
        raise ValidationError({"rule": [_("This MDF programme has no current version, so no budget.")]})
    if budget.budget is None:
        raise ValidationError(
            {
                "amount": [
                    _("The budget for %(period)s cannot be computed yet: %(basis)s.")
                    % {"period": budget.period, "basis": budget.basis}
                ]
            }
        )
    return budget


@transaction.atomic
def mdf_claim_submit(*, request: MdfRequest, amount, description: str, proof, actor=None) -> MdfClaim:
    """Claim against an approved request; claims together never exceed the approved amount.

    A claim above what remains is refused, or, where the programme says so
    (``mdf_over_claim = pay_remaining``), accepted for what remains with the
    rest kept as its open balance (``claimed_amount``), which the partner sees.

    The request row is locked while the claimed total is checked, so two
    claims sent at once cannot both pass the check.
    """
    checked = check_upload(proof, field="proof", accept=(PDF, PNG, JPEG))
    request = MdfRequest.objects.for_tenant(request.tenant_id).select_for_update().get(pk=request.pk)
    if request.status != MdfStatus.APPROVED:
        raise ValidationError({"request": [_("Claim against an approved request.")]})
    others = (
        MdfClaim.objects.for_tenant(request.tenant_id)
        .filter(request=request)
        .exclude(status=ClaimStatus.REJECTED)
    )
    claimed = sum((c.amount for c in others), 0)
    remaining = request.amount - claimed
    claimed_amount = None
    if amount > remaining:
        pays_remaining = incentive_programme_for(request.tenant).mdf_over_claim == "pay_remaining"
        if not pays_remaining or remaining <= 0:
            raise ValidationError(
                {
                    "amount": [
                        _("Claims may not exceed the approved amount (%(a)s); %(r)s remains.")
                        % {"a": request.amount, "r": remaining}
                    ]
                }
            )
        # the programme pays what remains; the rest stays open as the claim's balance
        claimed_amount, amount = amount, remaining
    claim = MdfClaim(
        tenant_id=request.tenant_id,
        request=request,
        amount=amount,
        claimed_amount=claimed_amount,
        description=description,
        proof=proof,
        proof_name=checked.original_name,
    )
    claim.full_clean(exclude=["tenant", "request", "decided_by", "paid_line"])
    claim.save()
    changes = {"amount": [None, str(amount)]}
    if claimed_amount is not None:
        changes["claimed_amount"] = [None, str(claimed_amount)]
    audit_record(
        tenant=request.tenant, actor=actor, action=IncentiveAudit.MDF_CLAIMED, target=claim, changes=changes
    )
    return claim


@transaction.atomic
def mdf_claim_decide(*, claim: MdfClaim, actor, approve: bool) -> MdfClaim:
    """Approve or reject a submitted claim. An approval must fit the budget of its request's partner,
    rule and period as it is now (a share of revenue may have shrunk since the request): the claims
    approved already and this one together; it is refused with the figures otherwise, the budget
    locked meanwhile."""
    request = MdfRequest.objects.for_tenant(claim.tenant_id).select_related("rule").get(pk=claim.request_id)
    mdf_budget.lock(
        tenant_id=request.tenant_id,
        partner_id=request.partner_id,
        rule_key=request.rule.key,
        period=request.period,
    )
    claim = MdfClaim.objects.for_tenant(claim.tenant_id).select_for_update().get(pk=claim.pk)
    if claim.status != ClaimStatus.SUBMITTED:
        raise ValidationError({"status": [_("Only a submitted claim can be decided.")]})
    if approve:
        budget = _budget(request, request.rule.key)
        if budget.approved_claims + claim.amount > budget.budget:
            raise ValidationError(
                {
                    "amount": [
                        _(
                            "Budget %(budget)s %(currency)s for %(period)s; %(approved)s in approved claims; this claim "
                            "asks %(amount)s; %(room)s remains."
                        )
                        % {
                            "budget": money(budget.budget),
                            "currency": budget.currency,
                            "period": budget.period,
                            "approved": money(budget.approved_claims),
                            "amount": money(claim.amount),
                            "room": money(budget.claims_room),
                        }
                    ]
                }
            )
    claim.status, claim.decided_by = (ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED), actor
    claim.save(update_fields=["status", "decided_by"])
    audit_record(
        tenant=request.tenant,
        actor=actor,
        action=IncentiveAudit.MDF_CLAIM_DECIDED,
        target=claim,
        changes={"status": ["submitted", claim.status]},
    )
    return claim
