"""Demo onboarding: agreements and checklists of signed partners, training, announcements, an application.

Idempotent: what exists already is left as it is.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from partners.choices import Source
from partners.models import Partner, PartnerUser

from .defaults import ensure_onboarding_defaults
from .models import Agreement, AgreementTemplate, Announcement, Application, Completion, Course
from .services.signing import checklist_start, checklist_step_done

PDF = b"%PDF-1.4\n% demo agreement\n"


def seed(tenant) -> None:
    ensure_onboarding_defaults(tenant)
    template = AgreementTemplate.objects.for_tenant(tenant).first()
    courses = list(Course.objects.for_tenant(tenant))
    today = timezone.localdate()
    for partner in (
        Partner.objects.for_tenant(tenant).filter(stage__in=["signed", "certified"]).order_by("name")
    ):
        if not Agreement.objects.for_tenant(tenant).filter(partner=partner).exists():
            agreement = Agreement(
                tenant=tenant,
                partner=partner,
                template=template,
                version=template.version,
                signed_on=partner.stage_entered_at.date() - timedelta(days=3),
                signatories=f"Managing director, {partner.name}",
            )
            agreement.document.save(f"agreement-{partner.pk}.pdf", ContentFile(PDF), save=False)
            agreement.save()
        steps = checklist_start(partner)
        finished = len(steps) if partner.stage == "certified" else 2
        for step in steps[:finished]:
            if step.done_at is None:
                checklist_step_done(step=step, actor=partner.owner)
        if not Completion.objects.for_tenant(tenant).filter(partner=partner).exists():
            taken = courses if partner.stage == "certified" else courses[:2]
            Completion.objects.for_tenant(tenant).bulk_create(
                Completion(
                    tenant=tenant,
                    course=c,
                    partner=partner,
                    person=f"Sales lead, {partner.name}",
                    completed_on=today - timedelta(days=60 + i * 7),
                    expires_on=today + timedelta(days=600),
                )
                for i, c in enumerate(taken)
            )
    PartnerUser.objects.for_tenant(tenant).filter(membership__user__username=f"{tenant.slug}-partner").update(
        is_partner_admin=True
    )
    if not Announcement.objects.for_tenant(tenant).exists():
        Announcement.objects.for_tenant(tenant).bulk_create(
            [
                Announcement(
                    tenant=tenant,
                    title="New price list from next quarter",
                    body="Partner margins on the flagship line rise by one point for tiers A and B.",
                    published_at=timezone.now() - timedelta(days=2),
                ),
                Announcement(
                    tenant=tenant,
                    title="Partner summit in March",
                    body="Two days of roadmap, training and the partner awards. Registration opens soon.",
                    published_at=timezone.now() - timedelta(days=20),
                ),
            ]
        )
    if not Application.objects.for_tenant(tenant).exists():
        prospect = Partner.objects.for_tenant(tenant).filter(source=Source.INBOUND).first()
        Application.objects.for_tenant(tenant).create(
            tenant=tenant,
            company="Harbour Automation",
            contact_name="Rita Sousa",
            email="rita@harbour.example",
            region="South",
            country="PT",
            message="We integrate robots for the food industry and want a second line.",
            partner=prospect,
        )
