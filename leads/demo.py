"""Demo leads: a rule, leads offered, accepted, converted and waiting, and one for the demo partner."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from partners.models import Partner, PartnerUser

from .choices import LeadSource, LeadStatus
from .models import Lead, LeadOffer, LeadRule
from .services.distribution import lead_accept, lead_convert, lead_create, lead_decline

CUSTOMERS = [
    ("Contoso Foods", "Packaging line, 6 arms"),
    ("Fabrikam Metal", "Welding cell"),
    ("Litware Pharma", "Clean-room pick and place"),
    ("Tailspin Logistics", "Palletising"),
    ("Wingtip Motors", "Assembly retrofit"),
]


def seed(tenant) -> None:
    if LeadRule.objects.for_tenant(tenant).exists():
        return
    LeadRule.objects.for_tenant(tenant).create(
        tenant=tenant, name="Partners of the lead's region", position=0, respond_within_hours=48, max_open=3
    )
    sellers = list(
        Partner.objects.for_tenant(tenant)
        .filter(stage__in=("strategic", "signed", "certified"))
        .exclude(region="")
    )
    link = (
        PartnerUser.objects.for_tenant(tenant)
        .filter(membership__user__username=f"{tenant.slug}-partner")
        .first()
    )
    if not sellers:
        return
    leads = []
    for i, (customer, need) in enumerate(CUSTOMERS):
        region = sellers[i % len(sellers)].region
        leads.append(
            lead_create(
                tenant=tenant,
                customer=customer,
                region=region,
                description=need,
                expected_amount=20000 + 5000 * i,
                contact_name="Purchasing",
                source=LeadSource.FORM if i % 2 else LeadSource.ENTERED,
            )
        )
    offered = [lead for lead in leads if lead.status == LeadStatus.OFFERED]
    if offered:
        lead_accept(lead=offered[0], actor=None)
        lead_convert(lead=offered[0], actor=None)
    if len(offered) > 1:
        lead_decline(lead=offered[1], actor=None, reason="No capacity this quarter")
    if link is not None:  # one lead waiting for the demo partner's answer
        partner, now = link.partner, timezone.now()
        lead = Lead.objects.for_tenant(tenant).create(
            tenant=tenant,
            customer="Northwind Traders",
            region=partner.region,
            currency=tenant.currency,
            description="Two palletising cells for the new warehouse",
            expected_amount=48000,
            contact_name="Ops manager",
            contact_email="ops@northwind.example",
            status=LeadStatus.OFFERED,
            partner=partner,
            offered_at=now,
            respond_by=now + timedelta(hours=48),
        )
        LeadOffer.objects.for_tenant(tenant).create(
            tenant=tenant, lead=lead, partner=partner, offered_at=now, respond_by=lead.respond_by
        )
