"""Joint business plans: drafted by the vendor, agreed by the partner, tracked against the year.

The vendor drafts a partner's plan for a year (goals on KPIs, activities each side commits to, the MDF
planned) and proposes it; the partner agrees or asks for changes (back to a draft, with its note). An
agreed plan sets the partner's quarterly targets from its goals, acknowledged by the partner as it
agrees, so the scorecard measures what both sides signed up to. After that only activities move.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Partner
from partners.selectors import partner_accounts
from prm.audit.events import audit_record
from prm.notifications.services import notify
from prm.periods import parse_period

from ..audit_actions import ScorecardAudit
from ..choices import ADDITIVE_SOURCES, PlanStatus, Side
from ..models import BusinessPlan, Kpi, PlanActivity, PlanGoal, Target
from ..sources import actuals

CENTS = Decimal("0.01")


def quarters(year: int) -> list[str]:
    return [f"{year}-Q{q}" for q in range(1, 5)]


def _goals(plan, goals: list[dict]) -> None:
    seen = set()
    for index, goal in enumerate(goals):
        kpi = goal.get("kpi")
        if not isinstance(kpi, Kpi) or kpi.tenant_id != plan.tenant_id:
            raise ValidationError(
                {"goals": [_("Goal %(n)d: choose one of the programme's KPIs.") % {"n": index + 1}]}
            )
        if kpi.pk in seen:
            raise ValidationError(
                {"goals": [_("Goal %(n)d: %(kpi)s is planned twice.") % {"n": index + 1, "kpi": kpi.name}]}
            )
        if goal.get("target") is None or Decimal(goal["target"]) < 0:
            raise ValidationError({"goals": [_("Goal %(n)d: a target of 0 or more.") % {"n": index + 1}]})
        seen.add(kpi.pk)
    PlanGoal.objects.for_tenant(plan.tenant_id).filter(plan=plan).delete()
    PlanGoal.objects.for_tenant(plan.tenant_id).bulk_create(
        PlanGoal(
            tenant_id=plan.tenant_id,
            plan=plan,
            kpi=g["kpi"],
            target=Decimal(g["target"]),
            note=g.get("note", ""),
        )
        for g in goals
    )


def _activities(plan, activities: list[dict]) -> None:
    for index, activity in enumerate(activities):
        if not (activity.get("title") or "").strip():
            raise ValidationError(
                {"activities": [_("Activity %(n)d: say what will be done.") % {"n": index + 1}]}
            )
        if activity.get("side", Side.PARTNER) not in Side.values:
            raise ValidationError(
                {"activities": [_("Activity %(n)d: done by the partner or the vendor.") % {"n": index + 1}]}
            )
    PlanActivity.objects.for_tenant(plan.tenant_id).filter(plan=plan).delete()
    PlanActivity.objects.for_tenant(plan.tenant_id).bulk_create(
        PlanActivity(
            tenant_id=plan.tenant_id,
            plan=plan,
            title=a["title"].strip(),
            side=a.get("side", Side.PARTNER),
            due=a.get("due"),
        )
        for a in activities
    )


@transaction.atomic
def plan_create(
    *,
    tenant,
    actor,
    partner: Partner,
    year: int,
    summary: str = "",
    mdf_planned=0,
    goals: list[dict] | None = None,
    activities: list[dict] | None = None,
) -> BusinessPlan:
    """A draft plan for the partner's ``year``; one plan per partner and year."""
    if partner.tenant_id != tenant.pk:
        raise ValidationError({"partner": [_("Choose a partner of this programme.")]})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": [_("A year such as %(y)d.") % {"y": timezone.localdate().year}]})
    if BusinessPlan.objects.for_tenant(tenant).filter(partner=partner, year=year).exists():
        raise ValidationError(
            {"year": [_("%(p)s has a plan for %(y)d already.") % {"p": partner.name, "y": year}]}
        )
    if Decimal(mdf_planned or 0) < 0:
        raise ValidationError({"mdf_planned": [_("An amount of 0 or more.")]})
    plan = BusinessPlan.objects.for_tenant(tenant).create(
        tenant=tenant, partner=partner, year=year, summary=summary, mdf_planned=Decimal(mdf_planned or 0)
    )
    _goals(plan, goals or [])
    _activities(plan, activities or [])
    audit_record(
        tenant=tenant,
        actor=actor,
        action=ScorecardAudit.PLAN_SAVED,
        target=plan,
        changes={"year": [None, year]},
    )
    return plan


@transaction.atomic
def plan_update(
    *,
    plan: BusinessPlan,
    actor,
    goals: list[dict] | None = None,
    activities: list[dict] | None = None,
    **fields,
) -> BusinessPlan:
    """Change a draft (a proposed plan goes back to draft; an agreed one no longer changes)."""
    plan = BusinessPlan.objects.for_tenant(plan.tenant_id).select_for_update().get(pk=plan.pk)
    if plan.status == PlanStatus.AGREED:
        raise ValidationError(
            {"status": [_("The plan was agreed: it no longer changes. Mark its activities done.")]}
        )
    unknown = set(fields) - {"summary", "mdf_planned"}
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})
    if "mdf_planned" in fields and Decimal(fields["mdf_planned"] or 0) < 0:
        raise ValidationError({"mdf_planned": [_("An amount of 0 or more.")]})
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.status = PlanStatus.DRAFT
    plan.save()
    if goals is not None:
        _goals(plan, goals)
    if activities is not None:
        _activities(plan, activities)
    audit_record(
        tenant=plan.tenant,
        actor=actor,
        action=ScorecardAudit.PLAN_SAVED,
        target=plan,
        changes={k: [None, str(v)] for k, v in fields.items()},
    )
    return plan


def _partner_users(plan):
    return partner_accounts(tenant=plan.tenant_id, partner_ids=[plan.partner_id])[plan.partner_id]


@transaction.atomic
def plan_propose(*, plan: BusinessPlan, actor) -> BusinessPlan:
    """The vendor's side agrees and asks the partner to agree (its users are e-mailed)."""
    plan = BusinessPlan.objects.for_tenant(plan.tenant_id).select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError({"status": [_("Only a draft is proposed.")]})
    if not PlanGoal.objects.for_tenant(plan.tenant_id).filter(plan=plan).exists():
        raise ValidationError({"goals": [_("Set at least one goal before proposing the plan.")]})
    plan.status, plan.proposed_at = PlanStatus.PROPOSED, timezone.now()
    plan.proposed_by = actor if getattr(actor, "is_authenticated", False) else None
    plan.save(update_fields=["status", "proposed_at", "proposed_by"])
    audit_record(tenant=plan.tenant, actor=actor, action=ScorecardAudit.PLAN_PROPOSED, target=plan)
    notify(
        tenant=plan.tenant,
        users=_partner_users(plan),
        category="business_plans",
        subject=_("Your business plan for %(y)d is ready to agree") % {"y": plan.year},
        template="notifications/plan_proposed.txt",
        context={"plan": plan},
    )
    return plan


@transaction.atomic
def plan_request_changes(*, plan: BusinessPlan, actor, note: str) -> BusinessPlan:
    """The partner sends a proposed plan back with what it wants changed."""
    plan = BusinessPlan.objects.for_tenant(plan.tenant_id).select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.PROPOSED:
        raise ValidationError({"status": [_("Only a proposed plan can be sent back.")]})
    if not (note or "").strip():
        raise ValidationError({"note": [_("Say what should change.")]})
    plan.status, plan.change_request = PlanStatus.DRAFT, note.strip()
    plan.save(update_fields=["status", "change_request"])
    audit_record(
        tenant=plan.tenant,
        actor=actor,
        action=ScorecardAudit.PLAN_CHANGES_REQUESTED,
        target=plan,
        reason=note.strip(),
    )
    return plan


@transaction.atomic
def plan_agree(*, plan: BusinessPlan, actor) -> BusinessPlan:
    """The partner agrees: the plan is final and its goals become the quarterly targets, acknowledged.

    A goal on a count or an amount (revenue, registrations, visits) is the year's total: a quarter's
    target is a quarter of it, in cents. A goal on a rate is the level to hold each quarter.
    """
    plan = BusinessPlan.objects.for_tenant(plan.tenant_id).select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.PROPOSED:
        raise ValidationError({"status": [_("Only a proposed plan can be agreed.")]})
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    plan.status, plan.agreed_at, plan.agreed_by, plan.change_request = PlanStatus.AGREED, now, user, ""
    plan.save(update_fields=["status", "agreed_at", "agreed_by", "change_request"])
    for goal in PlanGoal.objects.for_tenant(plan.tenant_id).filter(plan=plan).select_related("kpi"):
        quarterly = (
            (goal.target / 4).quantize(CENTS, rounding=ROUND_HALF_UP)
            if goal.kpi.source in ADDITIVE_SOURCES
            else goal.target
        )
        for code in quarters(plan.year):
            Target.objects.for_tenant(plan.tenant_id).update_or_create(
                tenant_id=plan.tenant_id,
                partner=plan.partner,
                period=code,
                kpi=goal.kpi,
                defaults={"value": quarterly, "acknowledged_at": now, "acknowledged_by": user},
            )
    audit_record(tenant=plan.tenant, actor=actor, action=ScorecardAudit.PLAN_AGREED, target=plan)
    return plan


@transaction.atomic
def plan_activity_done(*, activity: PlanActivity, actor, done: bool = True) -> PlanActivity:
    if activity.plan.status != PlanStatus.AGREED:
        raise ValidationError({"activity": [_("Activities are done once the plan is agreed.")]})
    user = actor if getattr(actor, "is_authenticated", False) else None
    activity.done_at, activity.done_by = (timezone.now(), user) if done else (None, None)
    activity.save(update_fields=["done_at", "done_by"])
    return activity


def plan_progress(plan: BusinessPlan, today=None) -> dict:
    """Where the plan stands: each goal's actual so far against the year's target (summed over the
    quarters begun for counts and amounts, the latest quarter for rates), activities done, MDF approved
    against planned. One aggregate query per goal and quarter begun."""

    today = today or timezone.localdate()
    begun = [parse_period(code) for code in quarters(plan.year) if parse_period(code).start <= today]
    goals = []
    for goal in PlanGoal.objects.for_tenant(plan.tenant_id).filter(plan=plan).select_related("kpi"):
        values = []
        for period in begun:
            measured = actuals(plan.tenant, period, goal.kpi)
            values.append(None if measured is None else measured.get(plan.partner_id, Decimal(0)))
        known = [v for v in values if v is not None]
        if goal.kpi.source in ADDITIVE_SOURCES:
            actual = sum(known, Decimal(0)) if known else None
        else:
            actual = known[-1] if known else None
        share = (
            None if actual is None or not goal.target else min(Decimal(actual) / goal.target, Decimal(9.99))
        )
        goals.append(
            {
                "goal": goal,
                "actual": None if actual is None else Decimal(actual).quantize(CENTS),
                "percent": None if share is None else int(share * 100),
            }
        )
    activities = list(
        PlanActivity.objects.for_tenant(plan.tenant_id).filter(plan=plan).select_related("done_by")
    )
    mdf = Kpi(tenant=plan.tenant, code="_mdf", source="mdf_approved")
    approved = [actuals(plan.tenant, period, mdf) for period in begun]
    mdf_approved = (
        None
        if any(a is None for a in approved) or not approved
        else sum((a.get(plan.partner_id, Decimal(0)) for a in approved), Decimal(0))
    )
    return {
        "goals": goals,
        "activities": activities,
        "done": sum(1 for a in activities if a.done_at),
        "mdf_approved": mdf_approved,
        "quarters_begun": len(begun),
    }
