"""Reading and writing what each tier gives (``TierBenefit``), for pages, the API and the apps that
use a benefit's number instead of repeating it: incentive rules (margin points as a commission rate,
the MDF budget share and who may request MDF), lead distribution (lead priority)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners.audit_actions import PartnerAudit
from partners.choices import BenefitKind, Tier
from partners.models import TierBenefit
from partners.tiering.benefit_keeping import refuse_contradicted_benefit
from prm.audit.events import audit_record


def benefit_list(*, tenant):
    return TierBenefit.objects.for_tenant(tenant)


def benefits_by_tier(tenant) -> dict[str, list[TierBenefit]]:
    """Every tier's benefits in order: one query."""
    grouped: dict[str, list] = {tier: [] for tier in Tier.values}
    for benefit in benefit_list(tenant=tenant):
        grouped[benefit.tier].append(benefit)
    return grouped


def benefit_values(tenant, kind: str) -> dict[str, Decimal]:
    """{tier: value} of one kind of benefit (tiers without it are absent): one query."""
    rows = benefit_list(tenant=tenant).filter(kind=kind, value__isnull=False).values_list("tier", "value")
    return dict(rows)


def benefit_save(*, tenant, actor, benefit: TierBenefit | None = None, **fields) -> TierBenefit:
    """Create or change a tier's benefit; one of each kind per tier (``other`` may repeat). A benefit
    that a current rule contradicts (the tier's MDF rule pays another share) is refused, naming the rule."""
    benefit = benefit or TierBenefit(tenant=tenant)
    for name, value in fields.items():
        setattr(benefit, name, value)
    needs_value = benefit.kind in (
        BenefitKind.MARGIN_POINTS,
        BenefitKind.MDF_SHARE,
        BenefitKind.LEAD_PRIORITY,
    )
    if needs_value and benefit.value is None:
        raise ValidationError({"value": [_("This kind of benefit needs its number.")]})
    if benefit.kind != BenefitKind.OTHER:
        clash = (
            benefit_list(tenant=tenant).filter(tier=benefit.tier, kind=benefit.kind).exclude(pk=benefit.pk)
        )
        if clash.exists():
            raise ValidationError(
                {"kind": [_("Tier %(t)s has this benefit already; change it instead.") % {"t": benefit.tier}]}
            )
    benefit.full_clean(exclude=["tenant"], validate_constraints=False)
    refuse_contradicted_benefit(tenant, benefit)  # a current rule gives the tier something else
    with transaction.atomic():
        created = benefit.pk is None
        benefit.save()
        audit_record(
            tenant=tenant,
            actor=actor,
            action=PartnerAudit.BENEFIT_SAVED,
            target=benefit,
            changes={k: [None, str(v)] for k, v in fields.items()},
            reason="" if created else "changed",
        )
    return benefit


@transaction.atomic
def benefit_delete(*, benefit: TierBenefit, actor) -> None:
    audit_record(
        tenant=benefit.tenant,
        actor=actor,
        action=PartnerAudit.BENEFIT_DELETED,
        target=benefit,
        changes={"description": [benefit.description, None]},
    )
    benefit.delete()
