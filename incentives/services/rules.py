"""Creating and editing incentive rules; an edit makes a new version."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from incentives.audit_actions import IncentiveAudit
from partners.choices import ReferenceKind, Stage, Tier
from partners.reference.vocabularies import Vocabulary
from partners.tiering.benefit_keeping import refuse_contradicting_rule
from prm.audit.events import audit_record

from ..benefit_uses import in_force, uses_of
from ..models import IncentiveRule
from ..rules import clean_params

RULE_FIELDS = {
    "name",
    "kind",
    "params",
    "tiers",
    "stages",
    "regions",
    "products",
    "valid_from",
    "valid_to",
    "active",
}


def _clean(fields: dict) -> dict:
    unknown = set(fields) - RULE_FIELDS
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in unknown})
    errors = {}
    for name, allowed in (("tiers", Tier.values), ("stages", Stage.values)):
        values = fields.get(name) or []
        if not isinstance(values, list) or any(v not in allowed for v in values):
            errors[name] = [_("Use a list of: %(v)s.") % {"v": ", ".join(allowed)}]
    for name in ("regions", "products"):
        values = fields.get(name) or []
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            errors[name] = [_("Use a list of names.")]
    if fields.get("valid_from") and fields.get("valid_to") and fields["valid_to"] < fields["valid_from"]:
        errors["valid_to"] = [_("The window ends before it starts.")]
    try:
        fields["params"] = clean_params(fields.get("kind"), fields.get("params", {}))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return fields


def _canonical(tenant, fields: dict) -> dict:
    """Regions and products as the tenant's reference lists spell them (so the rule matches its sales)."""

    vocabulary, errors = Vocabulary(tenant), {}
    for name, kind in (("regions", ReferenceKind.REGION), ("products", ReferenceKind.PRODUCT)):
        try:
            fields[name] = [vocabulary.canonical(kind, v) for v in fields.get(name) or []]
        except ValidationError as exc:
            errors[name] = exc.messages
    params = fields.get("params") or {}
    if params.get("product"):
        try:
            fields["params"] = {
                **params,
                "product": vocabulary.canonical(ReferenceKind.PRODUCT, params["product"]),
            }
        except ValidationError as exc:
            errors["params.product"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def rule_create(*, tenant, actor, **fields) -> IncentiveRule:
    fields = _canonical(tenant, _clean(fields))
    rule = IncentiveRule(tenant=tenant, edited_by=actor, **fields)
    rule.full_clean(exclude=["tenant", "edited_by"])
    _refuse_contradictions(tenant, rule)
    rule.save()
    audit_record(
        tenant=tenant,
        actor=actor,
        action=IncentiveAudit.RULE_CREATED,
        target=rule,
        changes={"params": [None, rule.params]},
    )
    return rule


@transaction.atomic
def rule_edit(*, rule: IncentiveRule, actor, **fields) -> IncentiveRule:
    """A new version of the rule with the changes; the old version stays for the runs that used it."""
    current = IncentiveRule.objects.for_tenant(rule.tenant_id).select_for_update().get(pk=rule.pk)
    if not current.is_current:
        raise ValidationError({"detail": [_("Edit the current version of the rule.")]})
    merged = {name: getattr(current, name) for name in RULE_FIELDS}
    merged.update(fields)
    merged = _canonical(current.tenant, _clean(merged))
    IncentiveRule.objects.for_tenant(rule.tenant_id).filter(pk=current.pk).update(is_current=False)
    new = IncentiveRule(
        tenant_id=current.tenant_id, key=current.key, version=current.version + 1, edited_by=actor, **merged
    )
    new.full_clean(exclude=["tenant", "edited_by"])
    _refuse_contradictions(
        current.tenant,
        new,
        label=_("incentive rule #%(id)s “%(name)s”") % {"id": current.pk, "name": new.name},
    )
    new.save()
    changes = {k: [getattr(current, k), merged[k]] for k in fields if getattr(current, k) != merged[k]}
    audit_record(
        tenant=current.tenant,
        actor=actor,
        action=IncentiveAudit.RULE_EDITED,
        target=new,
        changes=_jsonable(changes),
    )
    return new


def _refuse_contradictions(tenant, rule: IncentiveRule, label: str | None = None) -> None:
    """A rule in force may not give a tier other than what the tier's benefits promise (an MDF share
    of 3% where the tier's benefit says 2%): refused, naming the tier, the benefit and the rule."""
    if in_force(rule):
        refuse_contradicting_rule(
            tenant, uses_of(rule, currency=getattr(tenant, "currency", ""), label=label)
        )


def _jsonable(changes):
    return {
        k: [str(v) if not isinstance(v, (dict, list, str, bool, type(None))) else v for v in pair]
        for k, pair in changes.items()
    }
