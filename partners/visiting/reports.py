"""How scripted visits go: visits per step reached, where they stop, objections per step.

Aggregate queries only (one per question), over the visits of a period, optionally one manager's
(``owner``: who logged them) or one region's.
"""

from __future__ import annotations

from django.db.models import Avg, Count, IntegerField, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from partners.choices import ObjectionType
from partners.models import Objection, Visit
from partners.visiting.script import CONCERNS, STEP_KEYS, step_label


def _visits(tenant, period, owner=None, region: str = ""):
    visits = Visit.objects.for_tenant(tenant).filter(date__gte=period.start, date__lte=period.end)
    if region:
        visits = visits.filter(partner__region__iexact=region)
    if owner is not None:
        visits = visits.filter(logged_by=owner)
    return visits


def visit_step_report(*, tenant, period, owner=None, region: str = "") -> dict:
    """``{"period", "visits", "scripted", "goal_met", "concerns": [{key, label, average}],
    "steps": [{step, label, reached, stopped, objections: {type: n}, objections_total}]}``:
    ``reached`` counts the scripted visits that recorded the step as done, ``stopped`` the visits
    whose goal was missed at the step, ``objections`` the objections raised at it by type."""
    visits = _visits(tenant, period, owner, region)
    scripted = visits.exclude(script={})
    totals = visits.aggregate(
        visits=Count("id"),
        scripted=Count("id", filter=~Q(script={})),
        goal_met=Count("id", filter=Q(goal_met=True) & ~Q(script={})),
        **{f"reached_{key}": Count("id", filter=Q(**{f"script__{key}__done": True})) for key in STEP_KEYS},
    )
    concerns = scripted.aggregate(
        **{key: Avg(Cast(KeyTextTransform(key, "concerns"), IntegerField())) for key in CONCERNS}
    )
    stopped = dict(
        visits.exclude(stopped_at="")
        .values_list("stopped_at")
        .annotate(n=Count("id"))
        .values_list("stopped_at", "n")
    )
    objections: dict = {key: {} for key in STEP_KEYS}
    rows = (
        Objection.objects.for_tenant(tenant)
        .filter(visit__in=visits, step__in=STEP_KEYS)
        .values("step", "type")
        .annotate(n=Count("id"))
    )
    for row in rows:
        objections[row["step"]][row["type"]] = row["n"]
    return {
        "period": period.code,
        "visits": totals["visits"],
        "scripted": totals["scripted"],
        "goal_met": totals["goal_met"],
        "concerns": [
            {
                "key": key,
                "label": str(label),
                "average": round(concerns[key], 1) if concerns[key] is not None else None,
            }
            for key, label in CONCERNS.items()
        ],
        "steps": [
            {
                "step": key,
                "label": step_label(key),
                "reached": totals[f"reached_{key}"],
                "stopped": stopped.get(key, 0),
                "objections": {t: objections[key].get(t, 0) for t in ObjectionType.values},
                "objections_total": sum(objections[key].values()),
            }
            for key in STEP_KEYS
        ],
    }
