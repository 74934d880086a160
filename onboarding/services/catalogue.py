"""What the vendor publishes for every partner: agreement templates (versioned), the onboarding
checklist's steps and announcements. Each change is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from onboarding.audit_actions import OnboardingAudit
from prm.audit.events import audit_record

from ..models import AgreementTemplate, Announcement, ChecklistTemplateStep


@transaction.atomic
def agreement_template_publish(
    *, tenant, actor, name: str, version: str, body: str = ""
) -> AgreementTemplate:
    """A new version of an agreement: it is the one in use; earlier versions of the same name are
    kept (signed agreements name them) but no longer offered."""
    name, version = name.strip(), version.strip()
    if AgreementTemplate.objects.for_tenant(tenant).filter(name=name, version=version).exists():
        raise ValidationError(
            {"version": [_("This agreement has a version %(v)s already.") % {"v": version}]}
        )
    AgreementTemplate.objects.for_tenant(tenant).filter(name=name, active=True).update(active=False)
    template = AgreementTemplate.objects.for_tenant(tenant).create(
        tenant=tenant, name=name, version=version, body=body
    )
    audit_record(
        tenant=tenant,
        actor=actor,
        action=OnboardingAudit.TEMPLATE_PUBLISHED,
        target=template,
        changes={"version": [None, version]},
    )
    return template


@transaction.atomic
def checklist_step_add(*, tenant, actor, title: str, position: int | None = None) -> ChecklistTemplateStep:
    """A step every newly signed partner's onboarding checklist will have."""
    steps = ChecklistTemplateStep.objects.for_tenant(tenant)
    if position is None:  # after the last step (the column holds up to 32767)
        position = min(
            (steps.order_by("-position").values_list("position", flat=True).first() or 0) + 1, 32767
        )
    # no key: keys name the steps the code ticks itself (the agreement), never a step people add
    step = steps.create(tenant=tenant, title=title.strip(), position=position)
    audit_record(tenant=tenant, actor=actor, action=OnboardingAudit.STEP_ADDED, target=step)
    return step


@transaction.atomic
def announcement_publish(*, tenant, actor, title: str, body: str, **fields) -> Announcement:
    """An announcement every partner and member of the tenant reads."""
    item = Announcement.objects.for_tenant(tenant).create(tenant=tenant, title=title, body=body, **fields)
    audit_record(tenant=tenant, actor=actor, action=OnboardingAudit.ANNOUNCEMENT_PUBLISHED, target=item)
    return item
