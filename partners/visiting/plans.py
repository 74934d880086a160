"""Preparing a visit: the plan with its goal, area and the programme's checklist, ticked as it is done."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners.models import Partner, VisitPlan
from partners.visiting.settings import visits_programme_for


@transaction.atomic
def plan_create(*, partner: Partner, actor, date, goal: str, area: str = "") -> VisitPlan:
    """Prepare a visit to ``partner`` on ``date``: the checklist is the programme's as it stands now;
    the area defaults to the partner's region (the day's round is grouped by it)."""
    plan = VisitPlan(
        tenant_id=partner.tenant_id,
        partner=partner,
        date=date,
        goal=(goal or "").strip(),
        area=(area or "").strip() or partner.region,
        checklist=[
            {"item": item, "done": False} for item in visits_programme_for(partner.tenant).visit_checklist
        ],
        planned_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    plan.full_clean(exclude=["tenant", "partner", "visit"])
    plan.save()
    return plan


@transaction.atomic
def plan_update(*, plan: VisitPlan, actor, done=None, **changes) -> VisitPlan:
    """Change a plan's ``date``, ``goal`` or ``area``, and tick its checklist: ``done`` is the list of
    the items' positions (0-based) now done, every other item not done."""
    for name in ("date", "goal", "area"):
        if name in changes and changes[name] is not None:
            setattr(plan, name, changes[name].strip() if isinstance(changes[name], str) else changes[name])
    if done is not None:
        positions = set(done)
        if any(
            not isinstance(p, int) or isinstance(p, bool) or not 0 <= p < len(plan.checklist)
            for p in positions
        ):
            raise ValidationError(
                {
                    "done": [
                        _("Positions of the checklist, from 0 to %(last)d.")
                        % {"last": len(plan.checklist) - 1}
                    ]
                }
            )
        plan.checklist = [
            {"item": entry["item"], "done": index in positions} for index, entry in enumerate(plan.checklist)
        ]
    plan.full_clean(exclude=["tenant", "partner", "visit"])
    plan.save()
    return plan


def day_by_area(plans) -> list[dict]:
    """A day's plans grouped by area, areas in order, ``[{"area", "plans": [...]}]``."""
    groups: dict[str, list] = {}
    for plan in sorted(plans, key=lambda p: (p.area or "", p.partner.name, p.pk)):
        groups.setdefault(plan.area or "", []).append(plan)
    return [{"area": area, "plans": rows} for area, rows in groups.items()]


def visit_plans_section(tenant, partner) -> dict:
    """The partner page's section: its latest prepared visits."""
    plans = VisitPlan.objects.for_tenant(tenant).filter(partner=partner).order_by("-date", "-id")[:5]
    return {"plans": list(plans)}
