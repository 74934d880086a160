"""Reads of onboarding/: agreements, the checklist, training catalogue, announcements.

Nothing here writes: a tenant's defaults are made when the tenant is
created (``PRM_TENANT_SETUP``), a partner's checklist when it signs
(``services.signing.checklist_start``).
"""

from __future__ import annotations

from django.db.models import Count, Q

from .models import (
    Agreement,
    AgreementTemplate,
    Announcement,
    ChecklistStep,
    ChecklistTemplateStep,
    Completion,
    Course,
)


def agreement_list(*, tenant):
    return Agreement.objects.for_tenant(tenant).select_related("template")


def agreement_templates(*, tenant, active_only: bool = False):
    queryset = AgreementTemplate.objects.for_tenant(tenant)
    return queryset.filter(active=True) if active_only else queryset


def completion_list(*, tenant):
    return Completion.objects.for_tenant(tenant).select_related("course")


def course_list(*, tenant):
    return Course.objects.for_tenant(tenant)


def checklist_template(*, tenant):
    return ChecklistTemplateStep.objects.for_tenant(tenant)


def checklist_steps(*, tenant):
    return (
        ChecklistStep.objects.for_tenant(tenant)
        .select_related("done_by")
        .order_by("partner_id", "position", "id")
    )


def checklist_of(partner) -> list[ChecklistStep]:
    """The partner's checklist as it stands (empty before it signs)."""
    return list(ChecklistStep.objects.for_tenant(partner.tenant_id).filter(partner=partner))


def checklist_progress(*, tenant, partner_ids) -> dict[int, int]:
    """Percent of checklist steps done per partner (one aggregate query); partners without a checklist
    are left out."""
    rows = (
        ChecklistStep.objects.for_tenant(tenant)
        .filter(partner_id__in=partner_ids)
        .values("partner_id")
        .annotate(total=Count("id"), done=Count("id", filter=Q(done_at__isnull=False)))
    )
    return {r["partner_id"]: round(100 * r["done"] / r["total"]) for r in rows if r["total"]}


def announcement_list(*, tenant):
    return Announcement.objects.for_tenant(tenant)
