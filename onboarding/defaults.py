"""What a tenant's onboarding starts with: the checklist, an agreement template, the sales training."""

from django.utils.translation import gettext_lazy as _

from .models import AgreementTemplate, ChecklistTemplateStep, Course

AGREEMENT_STEP = _("Agreement signed")
CHECKLIST = [
    AGREEMENT_STEP,
    _("Partner file completed"),
    _("Plaque or certificate awarded"),
    _("Portal users invited"),
    _("Required training completed"),
]
COURSES = [
    (_("Sales handbook"), True),
    (_("Running large projects"), True),
    (_("Consultative selling"), True),
    (_("Key-account breakthrough"), False),
    (_("Product line: features, advantages, benefits, evidence"), True),
]


def ensure_onboarding_defaults(tenant) -> None:
    """Create the default checklist, agreement template and courses once (idempotent); a new tenant
    gets them from ``tenant_create`` (``PRM_TENANT_SETUP``)."""
    ensure_checklist_template(tenant)
    ensure_agreement_template_and_courses(tenant)


def ensure_checklist_template(tenant) -> None:
    """The steps every signing partner's checklist starts with, unless the tenant has its own."""
    if not ChecklistTemplateStep.objects.for_tenant(tenant).exists():
        ChecklistTemplateStep.objects.for_tenant(tenant).bulk_create(
            ChecklistTemplateStep(
                tenant=tenant,
                key="agreement" if title is AGREEMENT_STEP else "",
                title=str(title),
                position=i,
            )
            for i, title in enumerate(CHECKLIST)
        )


def ensure_agreement_template_and_courses(tenant) -> None:
    if not AgreementTemplate.objects.for_tenant(tenant).exists():
        AgreementTemplate.objects.for_tenant(tenant).create(
            tenant=tenant,
            name=str(_("Cooperation agreement")),
            version="2026.1",
            body=str(_("Duties and rights of the partner and the vendor, margins, territory, term.")),
        )
    if not Course.objects.for_tenant(tenant).exists():
        Course.objects.for_tenant(tenant).bulk_create(
            Course(
                tenant=tenant,
                name=str(name),
                required_for_certification=required,
                validity_months=24,
                position=i,
            )
            for i, (name, required) in enumerate(COURSES)
        )
