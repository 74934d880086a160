"""Logging visits with their objections, and the tenant's objection playbook."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.audit_actions import PartnerAudit
from partners.choices import ObjectionType, VisitKind
from partners.lifecycle.moves import partner_update
from partners.models import Objection, ObjectionResponse, Partner, Visit, VisitPlan
from partners.visiting.recording import clean_concerns, clean_objection_step, clean_outcome, clean_script
from prm.audit.events import audit_record

#: The recommended lines of response a new tenant starts with (the domain brief's).
DEFAULT_PLAYBOOK = {
    ObjectionType.DEMAND: gettext_lazy(
        "“We already carry a competing brand.” Learn the relationship; propose one trial deal."
    ),
    ObjectionType.FINANCIAL: gettext_lazy(
        "“We cannot pay in full.” Offer flexible cooperation and delivery models, a small initial investment."
    ),
    ObjectionType.PRICE: gettext_lazy(
        "“Your margin is too thin.” Show whole-project economics and the cost of failure with lower quality."
    ),
    ObjectionType.PRODUCT: gettext_lazy("Quality, style, novelty: bring evidence of stability and demand."),
    ObjectionType.BRAND: gettext_lazy("“Customers don't know you.” Bring reference cases and credentials."),
    ObjectionType.SERVICE: gettext_lazy(
        "“Your response is slow.” Point to the local office, remote support and local service partners."
    ),
}


def playbook_for(tenant) -> dict[str, str]:
    """The tenant's recommended response per objection type (its own, else the default)."""
    own = dict(ObjectionResponse.objects.for_tenant(tenant).values_list("type", "response"))
    return {t: own.get(t) or str(DEFAULT_PLAYBOOK[t]) for t in ObjectionType.values}


@transaction.atomic
def playbook_set(*, tenant, actor, type: str, response: str) -> ObjectionResponse:
    if type not in ObjectionType.values:
        raise ValidationError({"type": [_("Unknown objection type.")]})
    entry, _created = ObjectionResponse.objects.for_tenant(tenant).update_or_create(
        tenant=tenant, type=type, defaults={"response": response}
    )
    audit_record(tenant=tenant, actor=actor, action=PartnerAudit.PLAYBOOK_CHANGED, target=entry)
    return entry


@transaction.atomic
def visit_log(
    *,
    partner: Partner,
    actor,
    date,
    summary: str,
    kind: str = VisitKind.VISIT,
    goal_met: bool = False,
    next_step: str = "",
    make_target: bool = False,
    objections: list[dict] | None = None,
    script: dict | None = None,
    concerns: dict | None = None,
    stopped_at: str = "",
    missed_why: str = "",
    agreed_points: str = "",
    plan: VisitPlan | None = None,
) -> Visit:
    """Log a visit, call or meeting with its objections (each ``{"type", "note"}``, optionally the
    ``step`` of the script it was raised at). A visit run by the playbook's script also records each
    step (``script``), the partner's four concerns rated 1–5, and when its goal was missed, where it
    stopped and why; a senior-leadership meeting its agreed points. ``plan``: the prepared visit it
    carries out (a plan is carried out once)."""
    clean_outcome(
        kind=kind,
        goal_met=goal_met,
        stopped_at=stopped_at,
        missed_why=missed_why,
        agreed_points=agreed_points,
    )
    if plan is not None and (plan.partner_id != partner.pk or plan.visit_id is not None):
        raise ValidationError({"plan": [_("A plan of this partner that has not been carried out yet.")]})
    visit = Visit(
        tenant_id=partner.tenant_id,
        partner=partner,
        date=date,
        kind=kind,
        summary=summary,
        goal_met=goal_met,
        next_step=next_step,
        make_target=make_target,
        script=clean_script(script),
        concerns=clean_concerns(concerns),
        stopped_at=stopped_at,
        missed_why=missed_why,
        agreed_points=agreed_points,
        logged_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    visit.full_clean(exclude=["tenant", "partner"])
    visit.save()
    if make_target and not partner.on_target_list:  # the managers' list of partners to work on next
        partner_update(partner=partner, actor=actor, on_target_list=True)
        partner.on_target_list = True
    rows = []
    for index, objection in enumerate(objections or []):
        if objection.get("type") not in ObjectionType.values:
            raise ValidationError(
                {
                    "objections": [
                        _("Objection %(n)d: unknown type “%(t)s”.")
                        % {"n": index + 1, "t": objection.get("type")}
                    ]
                }
            )
        rows.append(
            Objection(
                tenant_id=partner.tenant_id,
                visit=visit,
                type=objection["type"],
                note=objection.get("note", ""),
                step=clean_objection_step(index, objection.get("step", "")),
            )
        )
    Objection.objects.for_tenant(partner.tenant_id).bulk_create(rows)
    if plan is not None:
        plan.visit = visit
        plan.save(update_fields=["visit"])
    return visit
