"""Agreements and the onboarding checklist."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding.audit_actions import OnboardingAudit
from partners.lifecycle.gates import Unmet
from prm.audit.events import audit_record
from prm.files import PDF, check_upload

from ..models import Agreement, AgreementTemplate, ChecklistStep
from ..selectors import checklist_of, checklist_template

AGREEMENT_KEY = "agreement"


def checklist_start(partner, *, actor=None) -> list[ChecklistStep]:
    """Give the partner its onboarding checklist from the tenant's template (once: a partner that has
    one keeps it). Runs as the partner enters ``signed`` and when its agreement is recorded."""
    if ChecklistStep.objects.for_tenant(partner.tenant_id).filter(partner=partner).exists():
        return checklist_of(partner)
    ChecklistStep.objects.for_tenant(partner.tenant_id).bulk_create(
        ChecklistStep(
            tenant_id=partner.tenant_id, partner=partner, key=t.key, title=t.title, position=t.position
        )
        for t in checklist_template(tenant=partner.tenant_id)
    )
    return checklist_of(partner)


@transaction.atomic
def checklist_step_done(*, step: ChecklistStep, actor, done: bool = True) -> ChecklistStep:
    """Tick (or untick) a step of a partner's onboarding checklist (audited)."""
    before = step.done_at is not None
    step.done_at, step.done_by = (
        (timezone.now(), actor if getattr(actor, "is_authenticated", False) else None)
        if done
        else (None, None)
    )
    step.save(update_fields=["done_at", "done_by"])
    if before != done:
        audit_record(
            tenant=step.partner.tenant,
            actor=actor,
            action=OnboardingAudit.STEP_DONE,
            target=step.partner,
            changes={step.title: [before, done]},
        )
    return step


@transaction.atomic
def agreement_record(
    *, partner, actor, template: AgreementTemplate, signed_on, signatories: str, document
) -> Agreement:
    """Record the signed agreement (a PDF); the checklist starts with its step done."""
    checked = check_upload(document, field="document", accept=(PDF,))
    if not signatories.strip():
        raise ValidationError({"signatories": [_("Name who signed.")]})
    agreement = Agreement(
        tenant_id=partner.tenant_id,
        partner=partner,
        template=template,
        version=template.version,
        signed_on=signed_on,
        signatories=signatories.strip(),
        document=document,
        uploaded_by=actor,
        document_name=checked.original_name,
    )
    agreement.full_clean(exclude=["tenant", "partner", "template", "uploaded_by"])
    agreement.save()
    for step in checklist_start(partner):
        if step.key == AGREEMENT_KEY and step.done_at is None:
            checklist_step_done(step=step, actor=actor)
    audit_record(
        tenant=partner.tenant,
        actor=actor,
        action=OnboardingAudit.AGREEMENT_SIGNED,
        target=partner,
        changes={"agreement": [None, f"{template.name} {template.version}"]},
    )
    return agreement


def needs_agreement(partner, **context):
    """The ``signed`` gate onboarding adds: a signed agreement is on file."""
    if not Agreement.objects.for_tenant(partner.tenant_id).filter(partner=partner).exists():
        return Unmet(_("Signed needs the signed cooperation agreement on file."), "agreement")
    return None
